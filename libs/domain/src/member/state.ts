import { bookAfter, Movements, NO_MOVEMENTS } from '../lots/lot-effects';
import { availableInLots, Lot, LotConsumption, pendingPoints } from '../lots/lots';
import { Instant, isAfter, toMillis } from '../values/time';
import type { MembershipPeriod } from '../memberships/plans';
import { DEFAULT_TIME_ZONE } from '../program/policy';
import { activeAt } from '../memberships/benefits';
import { birthdayBonusYearOf } from './birthday-year';
import { CouponRecord, couponsAfter } from '../coupons/coupons';
import { commandKeys } from './command-keys';
import { tierStandingAfter } from '../tiers/qualification';
import { MemberEvent, MemberType } from './events';
import { PersistentMap } from './persistent-map';

export interface PurchaseRecord {
  readonly transactionId: string;
  readonly occurredAt: Instant;
  /** occurredAt read once: tier windows compare every purchase's instant at every purchase. */
  readonly occurredAtMs: number;
  readonly amountMinor: number;
  readonly refundedMinor: number;
  /** Points the purchase earned: its own accrual plus any offer bonuses on it, all clawed back by refunds. */
  readonly pointsAccrued: number;
  readonly pointsClawedBack: number;
  /** The purchase's own lots (base accrual and offer bonuses), taken first by a clawback. */
  readonly lotIds: readonly string[];
  /** What was bought where: segment criteria and offers ("bought before") read them. */
  readonly storeId: string | null;
  readonly skus: readonly string[];
  readonly categories: readonly string[];
}

export interface RedemptionRecord {
  readonly occurredAt: Instant;
  readonly rewardId: string | null;
  readonly points: number;
  readonly lots: readonly LotConsumption[];
  readonly reversed: boolean;
}

/** A paid membership as its events left it (docs/programs/memberships.md). */
export interface MembershipRecord {
  readonly membershipId: string;
  readonly planId: string;
  readonly period: MembershipPeriod;
  readonly multiplierBp: number | null;
  readonly tier: string | null;
  readonly timeZone: string;
  readonly startedAt: Instant;
  /** Benefits hold until here, unless the membership lapsed. */
  readonly periodEnd: Instant;
  /** The end of the last paid period: the next payment's period starts here. */
  readonly paidUntil: Instant;
  readonly cancelled: boolean;
  readonly lapsed: boolean;
}

export interface MemberState {
  readonly enrolled: boolean;
  readonly memberId: string | null;
  readonly memberType: MemberType | null;
  readonly enrolledAt: Instant | null;
  readonly referredBy: string | null;
  readonly tier: string | null;
  readonly tierQualifiedAt: Instant | null;
  /** The last tier change of any kind: a status duration counts from it. */
  readonly tierReachedAt: Instant | null;
  /** A manual tier holds until this instant (null: indefinitely); undefined when none holds. */
  readonly tierHeldUntil: Instant | null | undefined;
  readonly lots: readonly Lot[];
  /** Points owed after a refund clawed back more than the member still had; repaid by later points. */
  readonly debt: number;
  /** Command key -> hash of the request that created it, to tell a retry from a conflicting reuse. */
  readonly processed: ReadonlyMap<string, string>;
  readonly purchases: ReadonlyMap<string, PurchaseRecord>;
  readonly redemptions: ReadonlyMap<string, RedemptionRecord>;
  readonly birthdayYears: ReadonlySet<number>;
  /** Actions that earned a bonus, for per-period caps. */
  readonly rewardedActions: readonly { readonly actionType: string; readonly occurredAt: Instant }[];
  readonly referralQualified: boolean;
  /** Personal data erased: the key is gone; balances and history are unaffected. */
  readonly erased: boolean;
  readonly movements: Movements;
  readonly eventCount: number;
  readonly memberships: ReadonlyMap<string, MembershipRecord>;
  /** The member's coupons by code (coupons/coupons.ts). */
  readonly coupons: ReadonlyMap<string, CouponRecord>;
}

export const initialMemberState = (): MemberState => ({
  enrolled: false,
  memberId: null,
  memberType: null,
  enrolledAt: null,
  referredBy: null,
  tier: null,
  tierQualifiedAt: null,
  tierReachedAt: null,
  tierHeldUntil: undefined,
  lots: [],
  debt: 0,
  processed: PersistentMap.empty(),
  purchases: PersistentMap.empty(),
  redemptions: PersistentMap.empty(),
  birthdayYears: new Set(),
  rewardedActions: [],
  referralQualified: false,
  erased: false,
  movements: NO_MOVEMENTS,
  eventCount: 0,
  memberships: PersistentMap.empty(),
  coupons: new Map(),
});

/** Memberships whose benefits hold at `at`: started, not lapsed, and within their current period. */
export const membershipsActiveAt = (state: MemberState, at: Instant): MembershipRecord[] => activeAt(state.memberships.values(), at);

/** Available may be negative only by recorded debt (invariant 1). */
export const availablePoints = (state: MemberState) => availableInLots(state.lots) - state.debt;
export const pendingOf = (state: MemberState) => pendingPoints(state.lots);

/** An entry written into one of the state's maps; a Map a state was built with (a test's, say) is taken over once. */
const write = <V>(map: ReadonlyMap<string, V>, key: string, value: V): ReadonlyMap<string, V> => PersistentMap.of(map).set(key, value);

/**
 * The state after one event; the state it started from stays as it was. The
 * command maps grow with the member's history, so they are PersistentMaps:
 * an entry written shares the rest of the map with the state before it.
 */
export function evolveMember(state: MemberState, event: MemberEvent): MemberState {
  const { lots, debt, movements } = bookAfter(state, event);
  // Spread after the state in each case, so an event clones the state once, not twice.
  const moved = { lots, debt, movements, eventCount: state.eventCount + 1 };
  const update = <V>(map: ReadonlyMap<string, V>, key: string, change: (value: V) => V): ReadonlyMap<string, V> => {
    const current = map.get(key);
    return current === undefined ? map : write(map, key, change(current));
  };
  switch (event.type) {
    case 'MemberEnrolled': {
      const d = event.data;
      return {
        ...state,
        ...moved,
        enrolled: true,
        memberId: d.memberId,
        memberType: d.memberType,
        enrolledAt: d.occurredAt,
        referredBy: d.referredBy,
        ...tierStandingAfter(state, event),
        processed: write(state.processed, commandKeys.enrolment(d.memberId), d.requestHash),
      };
    }
    case 'PurchaseRecorded': {
      const d = event.data;
      const record: PurchaseRecord = {
        transactionId: d.transactionId,
        occurredAt: d.occurredAt,
        occurredAtMs: toMillis(d.occurredAt),
        amountMinor: d.amountMinor,
        refundedMinor: 0,
        pointsAccrued: 0,
        pointsClawedBack: 0,
        lotIds: [],
        storeId: d.storeId,
        skus: [...new Set(d.items.map((i) => i.sku))],
        categories: [...new Set(d.items.flatMap((i) => (i.category === undefined ? [] : [i.category])))],
      };
      return {
        ...state,
        ...moved,
        purchases: write(state.purchases, d.transactionId, record),
        processed: write(state.processed, commandKeys.purchase(d.transactionId), d.requestHash),
      };
    }
    case 'PointsAccrued': {
      const d = event.data;
      const purchases =
        d.source === 'purchase' || d.source === 'offer'
          ? update(state.purchases, d.reference, (p) => ({
              ...p,
              pointsAccrued: p.pointsAccrued + d.points,
              lotIds: [...p.lotIds, d.lotId],
            }))
          : state.purchases;
      const awarded = birthdayBonusYearOf(event);
      const birthdayYears = awarded === undefined ? state.birthdayYears : new Set([...state.birthdayYears, awarded]);
      return { ...state, ...moved, purchases, birthdayYears };
    }
    case 'PointsRedeemed': {
      const d = event.data;
      return {
        ...state,
        ...moved,
        redemptions: write(state.redemptions, d.redemptionId, {
          occurredAt: d.occurredAt,
          rewardId: d.rewardId,
          points: d.points,
          lots: d.lots,
          reversed: false,
        }),
        processed: write(state.processed, commandKeys.redemption(d.redemptionId), d.requestHash),
      };
    }
    case 'RedemptionReversed':
      return { ...state, ...moved, redemptions: update(state.redemptions, event.data.redemptionId, (r) => ({ ...r, reversed: true })) };
    case 'PurchaseRefunded': {
      const d = event.data;
      return {
        ...state,
        ...moved,
        purchases: update(state.purchases, d.transactionId, (p) => ({ ...p, refundedMinor: p.refundedMinor + d.amountMinor })),
        processed: write(state.processed, commandKeys.refund(d.refundId), d.requestHash),
      };
    }
    case 'PointsClawedBack': {
      const d = event.data;
      return {
        ...state,
        ...moved,
        purchases: update(state.purchases, d.transactionId, (p) => ({ ...p, pointsClawedBack: p.pointsClawedBack + d.points })),
      };
    }
    case 'PointsAdjusted':
      return {
        ...state,
        ...moved,
        processed: write(state.processed, commandKeys.adjustment(event.data.adjustmentId), event.data.requestHash),
      };
    case 'PointsTransferredOut':
      return { ...state, ...moved, processed: write(state.processed, commandKeys.transfer(event.data.transferId), event.data.requestHash) };
    case 'PointsTransferredIn':
      // Issued by the transfer reactor, not a client: the transfer id is its own request.
      return {
        ...state,
        ...moved,
        processed: write(state.processed, commandKeys.transferIn(event.data.transferId), event.data.transferId),
      };
    case 'ReferralQualified':
      return { ...state, ...moved, referralQualified: true };
    case 'ActionRecorded': {
      const d = event.data;
      return {
        ...state,
        ...moved,
        rewardedActions: d.rewarded
          ? [...state.rewardedActions, { actionType: d.actionType, occurredAt: d.occurredAt }]
          : state.rewardedActions,
        processed: write(state.processed, commandKeys.action(d.actionId), d.requestHash),
      };
    }
    case 'TierChanged': {
      const d = event.data;
      return {
        ...state,
        ...moved,
        tier: d.to,
        tierQualifiedAt: d.reason === 'requalification' ? d.occurredAt : state.tierQualifiedAt,
        tierReachedAt: d.occurredAt,
        tierHeldUntil: d.manual ? d.manual.until : undefined,
        processed: d.manual ? write(state.processed, commandKeys.tierChange(d.manual.changeId), d.manual.requestHash) : state.processed,
      };
    }
    case 'MemberErased':
      return {
        ...state,
        ...moved,
        erased: true,
        processed: write(state.processed, commandKeys.erasure(event.data.memberId), event.data.requestHash),
      };
    case 'MembershipStarted': {
      const d = event.data;
      const record: MembershipRecord = {
        membershipId: d.membershipId,
        planId: d.planId,
        period: d.period,
        multiplierBp: d.multiplierBp,
        tier: d.tier ?? null,
        timeZone: d.timeZone ?? DEFAULT_TIME_ZONE,
        startedAt: d.occurredAt,
        periodEnd: d.periodEnd,
        paidUntil: d.paidUntil,
        cancelled: false,
        lapsed: false,
      };
      return {
        ...state,
        ...moved,
        memberships: write(state.memberships, d.membershipId, record),
        processed: write(state.processed, commandKeys.membership(d.membershipId), d.requestHash),
      };
    }
    case 'MembershipPaymentRecorded': {
      const d = event.data;
      return {
        ...state,
        ...moved,
        memberships: update(state.memberships, d.membershipId, (m) => ({
          ...m,
          paidUntil: d.periodEnd,
          periodEnd: isAfter(d.periodEnd, m.periodEnd) ? d.periodEnd : m.periodEnd,
        })),
        processed: write(state.processed, commandKeys.membershipPayment(d.paymentId), d.requestHash),
      };
    }
    case 'MembershipCancelled': {
      const d = event.data;
      return {
        ...state,
        ...moved,
        memberships: update(state.memberships, d.membershipId, (m) => ({ ...m, cancelled: true })),
        processed: write(state.processed, commandKeys.membershipCancellation(d.membershipId), d.requestHash),
      };
    }
    case 'MembershipLapsed':
      return { ...state, ...moved, memberships: update(state.memberships, event.data.membershipId, (m) => ({ ...m, lapsed: true })) };
    case 'CouponIssued': {
      const d = event.data;
      const awarded = birthdayBonusYearOf(event);
      return {
        ...state,
        ...moved,
        coupons: couponsAfter(state.coupons, event),
        birthdayYears: awarded === undefined ? state.birthdayYears : new Set([...state.birthdayYears, awarded]),
        processed: d.requestHash === undefined ? state.processed : write(state.processed, commandKeys.coupon(d.couponId), d.requestHash),
      };
    }
    case 'CouponUsed':
    case 'CouponExpired':
    case 'CouponCancelled':
      return { ...state, ...moved, coupons: couponsAfter(state.coupons, event) };
    case 'PointsActivated':
    case 'PointsExpired':
    case 'DebtRepaid':
      return { ...state, ...moved };
  }
}

/** A member's state after its events, folded from `from`. */
export function foldMember(events: readonly MemberEvent[], from: MemberState = initialMemberState()): MemberState {
  return events.reduce(evolveMember, from);
}

/**
 * A member's state kept by one holder and moved on decision after decision
 * (a replay's side). Each state it hands out stays valid: evolve shares
 * structure instead of copying, so holding one costs nothing.
 */
export class OwnedMemberFold {
  private folded: MemberState;

  constructor(from: MemberState) {
    this.folded = from;
  }

  get state(): MemberState {
    return this.folded;
  }

  apply(events: readonly MemberEvent[]): MemberState {
    this.folded = foldMember(events, this.folded);
    return this.folded;
  }
}
