import { Instant } from '../values/time';
import { MemberCommand } from './commands';
import { MemberEvent, MemberEventType } from './events';
import { CouponView, couponViewOf } from '../coupons/coupons';

export type MemberCommandType = MemberCommand['type'];

/** One command type's command, written as an indexed map so code generic in the type can look its type up in a table. */
export type MemberCommandOf<T extends MemberCommandType> = { [K in T]: Extract<MemberCommand, { readonly type: K }> }[T];

type NothingToTell = Record<never, never>;

/** What each command did, in the terms its reply gives. */
interface ResultFields {
  readonly EnrolMember: NothingToTell;
  /** Every point the purchase accrued, all rules together (base, tier, category, offers, earning rules, referee bonus); pendingUntil is the first accrual's. */
  readonly RecordPurchase: {
    readonly pointsAccrued: number;
    readonly pendingUntil: Instant | null;
    readonly couponsApplied: readonly { readonly code: string; readonly discountMinor: number }[];
  };
  /** coupon: what a coupon reward issued; null for a points reward. */
  readonly RedeemPoints: { readonly pointsRedeemed: number; readonly coupon: CouponView | null };
  readonly RefundPurchase: { readonly pointsClawedBack: number; readonly debtIncurred: number };
  readonly ReverseRedemption: { readonly pointsRestored: number };
  readonly SettleMember: {
    readonly activated: number;
    readonly expired: number;
    readonly birthdayBonuses: number;
    readonly tierChanges: number;
    readonly debtRepayments: number;
    readonly couponsExpired: number;
  };
  readonly RecordAction: { readonly pointsAwarded: number; readonly capReached: boolean };
  readonly AdjustPoints: { readonly points: number; readonly actor: string };
  readonly TransferPoints: { readonly points: number };
  readonly ReceiveTransfer: NothingToTell;
  readonly AwardReferrerBonus: NothingToTell;
  readonly ErasePersonalData: NothingToTell;
  readonly ChangeTier: { readonly from: string | null; readonly tier: string; readonly until: Instant | null };
  readonly StartMembership: { readonly status: 'trial' | 'active'; readonly currentPeriodEnd: Instant };
  readonly RecordMembershipPayment: { readonly amountMinor: number; readonly currentPeriodEnd: Instant };
  readonly CancelMembership: { readonly benefitsUntil: Instant };
  readonly IssueCoupon: { readonly coupon: CouponView };
}

/** A command's result, keyed by the command's type. */
export type MemberResult<T extends MemberCommandType = MemberCommandType> = { [K in T]: { readonly type: K } & ResultFields[K] }[T];

type EventOf<T extends MemberEventType> = Extract<MemberEvent, { readonly type: T }>;

function firstOf<T extends MemberEventType, E extends MemberEvent = EventOf<T>>(
  events: readonly MemberEvent[],
  type: T,
): E['data'] | undefined {
  return events.find((event): event is E => event.type === type)?.data;
}

function settlementOf(events: readonly MemberEvent[]): ResultFields['SettleMember'] {
  const counts = { activated: 0, expired: 0, birthdayBonuses: 0, tierChanges: 0, debtRepayments: 0, couponsExpired: 0 };
  for (const event of events) {
    if (event.type === 'PointsActivated') counts.activated += 1;
    else if (event.type === 'PointsExpired') counts.expired += 1;
    else if (event.type === 'PointsAccrued' && event.data.source === 'birthday') counts.birthdayBonuses += 1;
    else if (event.type === 'TierChanged') counts.tierChanges += 1;
    else if (event.type === 'DebtRepaid') counts.debtRepayments += 1;
    else if (event.type === 'CouponIssued' && event.data.origin === 'birthday') counts.birthdayBonuses += 1;
    else if (event.type === 'CouponExpired') counts.couponsExpired += 1;
  }
  return counts;
}

type Derivation<T extends MemberCommandType> = (command: MemberCommandOf<T>, events: readonly MemberEvent[]) => MemberResult<T>;

const DERIVATIONS: { readonly [T in MemberCommandType]: Derivation<T> } = {
  EnrolMember: () => ({ type: 'EnrolMember' }),
  RecordPurchase: (_, events) => {
    const accruals = events.filter((event): event is EventOf<'PointsAccrued'> => event.type === 'PointsAccrued');
    const pointsAccrued = accruals.reduce((sum, accrual) => sum + accrual.data.points, 0);
    const couponsApplied = events.flatMap((e) =>
      e.type === 'CouponUsed' ? [{ code: e.data.code, discountMinor: e.data.discountMinor }] : [],
    );
    return { type: 'RecordPurchase', pointsAccrued, pendingUntil: accruals[0]?.data.pendingUntil ?? null, couponsApplied };
  },
  RedeemPoints: (_, events) => {
    const issued = firstOf(events, 'CouponIssued');
    return {
      type: 'RedeemPoints',
      pointsRedeemed: firstOf(events, 'PointsRedeemed')?.points ?? 0,
      coupon: issued ? couponViewOf(issued) : null,
    };
  },
  RefundPurchase: (_, events) => {
    const clawback = firstOf(events, 'PointsClawedBack');
    return { type: 'RefundPurchase', pointsClawedBack: clawback?.points ?? 0, debtIncurred: clawback?.debtIncurred ?? 0 };
  },
  ReverseRedemption: (_, events) => ({ type: 'ReverseRedemption', pointsRestored: firstOf(events, 'RedemptionReversed')?.points ?? 0 }),
  SettleMember: (_, events) => ({ type: 'SettleMember', ...settlementOf(events) }),
  RecordAction: (_, events) => {
    const recorded = firstOf(events, 'ActionRecorded');
    return {
      type: 'RecordAction',
      pointsAwarded: firstOf(events, 'PointsAccrued')?.points ?? 0,
      capReached: recorded ? !recorded.rewarded : false,
    };
  },
  AdjustPoints: (command, events) => {
    const adjusted = firstOf(events, 'PointsAdjusted');
    return { type: 'AdjustPoints', points: adjusted?.points ?? command.points, actor: adjusted?.actor ?? command.actor };
  },
  TransferPoints: (command, events) => ({
    type: 'TransferPoints',
    points: firstOf(events, 'PointsTransferredOut')?.points ?? command.points,
  }),
  ReceiveTransfer: () => ({ type: 'ReceiveTransfer' }),
  AwardReferrerBonus: () => ({ type: 'AwardReferrerBonus' }),
  ErasePersonalData: () => ({ type: 'ErasePersonalData' }),
  ChangeTier: (command, events) => {
    const changed = firstOf(events, 'TierChanged');
    return {
      type: 'ChangeTier',
      from: changed?.from ?? null,
      tier: changed?.to ?? command.tier,
      until: changed?.manual?.until ?? command.until,
    };
  },
  StartMembership: (_, events) => {
    const started = firstOf(events, 'MembershipStarted')!;
    return { type: 'StartMembership', status: started.status, currentPeriodEnd: started.periodEnd };
  },
  RecordMembershipPayment: (_, events) => {
    const paid = firstOf(events, 'MembershipPaymentRecorded')!;
    return { type: 'RecordMembershipPayment', amountMinor: paid.amountMinor, currentPeriodEnd: paid.periodEnd };
  },
  CancelMembership: (_, events) => ({ type: 'CancelMembership', benefitsUntil: firstOf(events, 'MembershipCancelled')!.benefitsUntil }),
  IssueCoupon: (_, events) => ({ type: 'IssueCoupon', coupon: couponViewOf(firstOf(events, 'CouponIssued')!) }),
};

/**
 * What a command did, read from its events: the ones just decided, or on a
 * repeat the ones its first run recorded, so a retry answers what the first
 * request was answered.
 */
export function resultOf<T extends MemberCommandType>(command: MemberCommandOf<T>, events: readonly MemberEvent[]): MemberResult<T> {
  const derive: Derivation<T> = DERIVATIONS[command.type];
  return derive(command, events);
}
