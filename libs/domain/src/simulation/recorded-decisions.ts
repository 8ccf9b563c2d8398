import { MemberCommand, ProgramInForce } from '../member/commands';
import { MemberEvent } from '../member/events';
import { Instant, toMillis } from '../values/time';
import { freshCouponCodesNeeded } from '../coupons/rule-coupons';

/**
 * One decision as the log recorded it: the events one command appended to a
 * member's stream. Events carry no command id, so decisions are told apart by
 * the event that opens them (a purchase, a redemption...) and the events a
 * decision of that kind can add after it (its accruals, a tier upgrade, a debt
 * repayment). A daily-job run has no opening event of its own: it is a run of
 * activations, expiries, a birthday bonus, status ends and lapses, in the order
 * settle() writes them, so a run starts again wherever that order goes back.
 */
export interface RecordedDecision {
  /** 'unknown': opened by an event type newer than this code; its events are counted, not replayed. */
  readonly kind: 'command' | 'settlement' | 'unknown';
  readonly events: MemberEvent[];
  /** The global position of the first event: the program version in force is the last one configured before it. */
  readonly position: bigint;
}

/** A settlement's events in the order settle() appends them; a debt repayment always comes last. */
const SETTLEMENT_STAGE = { lots: 0, birthday: 1, couponExpiry: 2, statusEnd: 3, lapse: 4, debtRepaid: 5 } as const;
type SettlementStage = (typeof SETTLEMENT_STAGE)[keyof typeof SETTLEMENT_STAGE];

type Role = { readonly opens: 'command' } | { readonly opens: 'settlement'; readonly stage: SettlementStage } | { readonly opens: 'none' };

const OPENS_COMMAND: Role = { opens: 'command' };
const CONTINUES: Role = { opens: 'none' };
const settlementAt = (stage: SettlementStage): Role => ({ opens: 'settlement', stage });

/** The referrer's bonus is a decision of its own (the referral reactor's command), told from the referee's by its lot id. */
const REFERRER_LOT_PREFIX = 'referral:referrer:';

function roleOf(event: MemberEvent): Role {
  switch (event.type) {
    case 'PointsActivated':
    case 'PointsExpired':
      return settlementAt(SETTLEMENT_STAGE.lots);
    case 'MembershipLapsed':
      return settlementAt(SETTLEMENT_STAGE.lapse);
    case 'PointsAccrued':
      if (event.data.source === 'birthday') return settlementAt(SETTLEMENT_STAGE.birthday);
      return event.data.lotId.startsWith(REFERRER_LOT_PREFIX) ? OPENS_COMMAND : CONTINUES;
    case 'TierChanged':
      if (event.data.manual) return OPENS_COMMAND;
      return event.data.reason === 'requalification' ? settlementAt(SETTLEMENT_STAGE.statusEnd) : CONTINUES;
    case 'CouponIssued':
      if (event.data.origin === 'admin') return OPENS_COMMAND;
      return event.data.origin === 'birthday' ? settlementAt(SETTLEMENT_STAGE.birthday) : CONTINUES;
    case 'CouponExpired':
      return settlementAt(SETTLEMENT_STAGE.couponExpiry);
    case 'CouponUsed':
    case 'CouponCancelled':
    case 'ReferralQualified':
    case 'PointsClawedBack':
    case 'DebtRepaid':
      return CONTINUES;
    default:
      return OPENS_COMMAND;
  }
}

/**
 * Splits one member's events, in stream order, into decisions. Fed one event
 * at a time, it holds only the decision still open, so a caller streaming the
 * whole log keeps one open decision per member.
 */
export class DecisionSplitter {
  private open: { decision: RecordedDecision; stage: SettlementStage; lastLotMs: number } | undefined;

  /** Adds an event; returns the decision it closed, if it opened a new one. */
  push(event: MemberEvent, position: bigint): RecordedDecision | undefined {
    const role = roleOf(event);
    const open = this.open;
    if (open && this.continues(open, event, role)) {
      open.decision.events.push(event);
      if (role.opens === 'settlement') open.stage = role.stage;
      if (open.decision.kind === 'settlement' && event.type === 'DebtRepaid') open.stage = SETTLEMENT_STAGE.debtRepaid;
      if (role.opens === 'settlement' && role.stage === SETTLEMENT_STAGE.lots) open.lastLotMs = toMillis(event.data.occurredAt);
      return undefined;
    }
    const kind = role.opens === 'settlement' ? 'settlement' : 'command';
    this.open = {
      decision: { kind, events: [event], position },
      stage: role.opens === 'settlement' ? role.stage : SETTLEMENT_STAGE.lots,
      lastLotMs: toMillis(event.data.occurredAt),
    };
    return open?.decision;
  }

  /** An event this code cannot decode opens a decision of its own, so what follows it is not taken for part of another. */
  pushUnknown(position: bigint): RecordedDecision | undefined {
    const open = this.open;
    this.open = { decision: { kind: 'unknown', events: [], position }, stage: SETTLEMENT_STAGE.lots, lastLotMs: 0 };
    return open?.decision;
  }

  /** The decision still open at the end of the member's events. */
  flush(): RecordedDecision | undefined {
    const open = this.open;
    this.open = undefined;
    return open?.decision;
  }

  private continues(open: NonNullable<DecisionSplitter['open']>, event: MemberEvent, role: Role): boolean {
    if (role.opens === 'command') return false;
    if (open.decision.kind !== 'settlement') return role.opens === 'none';
    if (open.stage === SETTLEMENT_STAGE.debtRepaid) return false;
    if (role.opens === 'none') return true;
    if (role.stage < open.stage) return false;
    if (role.stage === SETTLEMENT_STAGE.birthday && open.stage === SETTLEMENT_STAGE.birthday) return false;
    return role.stage !== SETTLEMENT_STAGE.lots || toMillis(event.data.occurredAt) >= open.lastLotMs;
  }
}

/** When a decision happened: its command's instant, or the latest instant a settlement run dated anything at. */
export function decisionInstant(decision: RecordedDecision): Instant {
  if (decision.kind === 'command') return decision.events[0]!.data.occurredAt;
  return decision.events.reduce(
    (latest, e) => (toMillis(e.data.occurredAt) > toMillis(latest) ? e.data.occurredAt : latest),
    decision.events[0]!.data.occurredAt,
  );
}

/** What the replay knows of a member beyond its events: its birthday, inferred from the birthday bonuses it was given. */
export interface ReplayContext {
  readonly program: ProgramInForce;
  readonly birthDate: string | null;
}

/**
 * The command that made a recorded decision, to be decided again under
 * `context.program`. undefined for a decision this code cannot rebuild (an
 * event type newer than it): the replay counts and skips it.
 */
export function commandOf(decision: RecordedDecision, context: ReplayContext): MemberCommand | undefined {
  if (decision.kind === 'unknown') return undefined;
  const first = decision.events[0]!;
  const instant = decisionInstant(decision);
  const common = {
    memberId: first.data.memberId,
    occurredAt: instant,
    receivedAt: instant,
    program: context.program,
    freshCouponCodes: freshCodesFor(decision, context.program),
  };
  if (decision.kind === 'settlement')
    return { ...common, type: 'SettleMember', requestHash: '', asOf: instant, birthDate: context.birthDate };
  const event = first;
  switch (event.type) {
    case 'MemberEnrolled': {
      const { memberType, personalData, referredBy, requestHash } = event.data;
      return { ...common, type: 'EnrolMember', memberType, personalData, referredBy, requestHash };
    }
    case 'PurchaseRecorded': {
      const { transactionId, amountMinor, currency, items, storeId, channelId, requestHash } = event.data;
      const channel = channelId === undefined ? {} : { channelId };
      const coupons = couponCodesUsed(decision.events);
      const couponCodes = coupons.length === 0 ? {} : { couponCodes: coupons };
      return {
        ...common,
        type: 'RecordPurchase',
        transactionId,
        amountMinor,
        currency,
        items,
        storeId,
        ...channel,
        ...couponCodes,
        requestHash,
      };
    }
    case 'CouponIssued': {
      const { couponId, rewardId, reason, code, requestHash } = event.data;
      return { ...common, type: 'IssueCoupon', couponId, rewardId, reason: reason ?? '', code, requestHash: requestHash ?? '' };
    }
    case 'PurchaseRefunded': {
      const { transactionId, refundId, amountMinor, requestHash } = event.data;
      return { ...common, type: 'RefundPurchase', transactionId, refundId, amountMinor, requestHash };
    }
    case 'PointsRedeemed': {
      const { redemptionId, points, rewardId, requestHash } = event.data;
      const issued = decision.events.find((e) => e.type === 'CouponIssued');
      const couponCode = issued?.type === 'CouponIssued' ? { couponCode: issued.data.code } : {};
      return {
        ...common,
        type: 'RedeemPoints',
        redemptionId,
        points: rewardId === null ? points : null,
        rewardId,
        ...couponCode,
        requestHash,
      };
    }
    case 'RedemptionReversed':
      return { ...common, type: 'ReverseRedemption', redemptionId: event.data.redemptionId, requestHash: '' };
    case 'ActionRecorded': {
      const { actionId, actionType, requestHash, feedback } = event.data;
      return { ...common, type: 'RecordAction', actionId, actionType, requestHash, ...(feedback && { feedback }) };
    }
    case 'PointsAdjusted': {
      const { adjustmentId, points, reason, actor, requestHash } = event.data;
      return { ...common, type: 'AdjustPoints', adjustmentId, points, reason, actor, requestHash };
    }
    case 'PointsTransferredOut': {
      const { transferId, toMemberId, points, requestHash } = event.data;
      return { ...common, type: 'TransferPoints', transferId, toMemberId, points, requestHash };
    }
    case 'PointsTransferredIn': {
      const { transferId, fromMemberId, points, lots } = event.data;
      return { ...common, type: 'ReceiveTransfer', transferId, fromMemberId, points, lots, requestHash: transferId };
    }
    case 'TierChanged': {
      const manual = event.data.manual!;
      const { changeId, reason, until, actor, requestHash } = manual;
      return { ...common, type: 'ChangeTier', changeId, tier: event.data.to, reason, until, actor, requestHash };
    }
    case 'PointsAccrued':
      return { ...common, type: 'AwardReferrerBonus', refereeId: event.data.reference, requestHash: '' };
    case 'MembershipStarted': {
      const { membershipId, planId, requestHash } = event.data;
      return { ...common, type: 'StartMembership', membershipId, planId, requestHash };
    }
    case 'MembershipPaymentRecorded': {
      const { membershipId, paymentId, amountMinor, requestHash } = event.data;
      return { ...common, type: 'RecordMembershipPayment', membershipId, paymentId, amountMinor, requestHash };
    }
    case 'MembershipCancelled': {
      const { membershipId, requestHash } = event.data;
      return { ...common, type: 'CancelMembership', membershipId, requestHash };
    }
    case 'MemberErased':
      return { ...common, type: 'ErasePersonalData', requestHash: event.data.requestHash };
    default:
      return undefined;
  }
}

/**
 * The codes a replayed command may give the coupons it issues: the ones the
 * recorded decision gave, in order (so a replay under the programs in force
 * issues the same coupons), then codes of the replay's own for coupons only
 * the candidate issues, as many as its rules may need.
 */
function freshCodesFor(decision: RecordedDecision, program: ProgramInForce): string[] {
  const recorded = decision.events.flatMap((e) => (e.type === 'CouponIssued' && e.data.origin !== 'admin' ? [e.data.code] : []));
  const own = Array.from({ length: freshCouponCodesNeeded(program.policy) }, (_, i) => `SIMULATED-${decision.position}-${i}`);
  return [...recorded, ...own];
}

/** The coupons a recorded purchase used, in the order it applied them. */
const couponCodesUsed = (events: readonly MemberEvent[]): string[] => events.flatMap((e) => (e.type === 'CouponUsed' ? [e.data.code] : []));

/**
 * The birthday a recorded bonus tells: the bonus is dated on the birthday, or
 * at enrolment when that came later in the year (birthday-year.ts), so only a
 * bonus dated elsewhere than the enrolment names the day for later years.
 */
export function birthDateTold(event: MemberEvent, enrolledAt: Instant | null, known: string | null): string | null {
  if (event.type !== 'PointsAccrued' || event.data.source !== 'birthday') return known;
  const day = event.data.occurredAt.slice(0, 'YYYY-MM-DD'.length);
  return event.data.occurredAt === enrolledAt && known !== null ? known : day;
}
