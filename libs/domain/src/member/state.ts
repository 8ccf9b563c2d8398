import { adjustLots, availableInLots, Lot, LotConsumption, pendingPoints } from '../lots/lots';
import { Instant } from '../shared/time';
import { MemberEvent, MemberType } from './events';

export interface PurchaseRecord {
  readonly transactionId: string;
  readonly occurredAt: Instant;
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
  readonly points: number;
  readonly lots: readonly LotConsumption[];
  readonly reversed: boolean;
}

/** Signed totals by movement; the balance identity is checked against them. */
export interface Movements {
  readonly issued: number;
  readonly redeemed: number;
  readonly expired: number;
  readonly clawedBack: number;
  readonly adjusted: number;
  readonly transferredIn: number;
  readonly transferredOut: number;
}

export interface MemberState {
  readonly enrolled: boolean;
  readonly memberId: string | null;
  readonly memberType: MemberType | null;
  readonly enrolledAt: Instant | null;
  readonly referredBy: string | null;
  readonly tier: string | null;
  readonly tierQualifiedAt: Instant | null;
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
}

const NO_MOVEMENTS: Movements = { issued: 0, redeemed: 0, expired: 0, clawedBack: 0, adjusted: 0, transferredIn: 0, transferredOut: 0 };

export const initialMemberState = (): MemberState => ({
  enrolled: false,
  memberId: null,
  memberType: null,
  enrolledAt: null,
  referredBy: null,
  tier: null,
  tierQualifiedAt: null,
  lots: [],
  debt: 0,
  processed: new Map(),
  purchases: new Map(),
  redemptions: new Map(),
  birthdayYears: new Set(),
  rewardedActions: [],
  referralQualified: false,
  erased: false,
  movements: NO_MOVEMENTS,
  eventCount: 0,
});

/** Available may be negative only by recorded debt (invariant 1). */
export const availablePoints = (state: MemberState) => availableInLots(state.lots) - state.debt;
export const pendingOf = (state: MemberState) => pendingPoints(state.lots);

export function evolveMember(state: MemberState, event: MemberEvent): MemberState {
  const s = { ...state, eventCount: state.eventCount + 1 };
  const m = state.movements;
  switch (event.type) {
    case 'MemberEnrolled': {
      const d = event.data;
      return {
        ...s,
        enrolled: true,
        memberId: d.memberId,
        memberType: d.memberType,
        enrolledAt: d.occurredAt,
        referredBy: d.referredBy,
        tier: d.tier,
        tierQualifiedAt: d.occurredAt,
        processed: withEntry(state.processed, `enrolment:${d.memberId}`, d.requestHash),
      };
    }
    case 'PurchaseRecorded': {
      const d = event.data;
      const record: PurchaseRecord = {
        transactionId: d.transactionId,
        occurredAt: d.occurredAt,
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
        ...s,
        purchases: withEntry(state.purchases, d.transactionId, record),
        processed: withEntry(state.processed, `purchase:${d.transactionId}`, d.requestHash),
      };
    }
    case 'PointsAccrued': {
      const d = event.data;
      const purchases =
        d.source === 'purchase' || d.source === 'offer'
          ? updateEntry(state.purchases, d.reference, (p) => ({
              ...p,
              pointsAccrued: p.pointsAccrued + d.points,
              lotIds: [...p.lotIds, d.lotId],
            }))
          : state.purchases;
      const birthdayYears =
        d.source === 'birthday' ? new Set([...state.birthdayYears, Number(d.reference.slice(-4))]) : state.birthdayYears;
      return {
        ...s,
        lots: [...state.lots, newLot(state, d.lotId, d.points, d.pendingUntil, d.expiresAt, d.occurredAt)],
        purchases,
        birthdayYears,
        movements: { ...m, issued: m.issued + d.points },
      };
    }
    case 'PointsActivated':
      return { ...s, lots: state.lots.map((l) => (l.lotId === event.data.lotId ? { ...l, status: 'active' } : l)) };
    case 'PointsExpired': {
      const d = event.data;
      const lots = state.lots.map((l) =>
        l.lotId === d.lotId ? { ...l, remaining: l.remaining - d.points, status: 'expired' as const } : l,
      );
      return { ...s, lots, movements: { ...m, expired: m.expired + d.points } };
    }
    case 'PointsRedeemed': {
      const d = event.data;
      return {
        ...s,
        lots: adjustLots(state.lots, d.lots, -1),
        redemptions: withEntry(state.redemptions, d.redemptionId, {
          occurredAt: d.occurredAt,
          points: d.points,
          lots: d.lots,
          reversed: false,
        }),
        processed: withEntry(state.processed, `redemption:${d.redemptionId}`, d.requestHash),
        movements: { ...m, redeemed: m.redeemed + d.points },
      };
    }
    case 'RedemptionReversed': {
      const d = event.data;
      // A lot restored after its expiry is active again until the next expiry run takes it.
      const restored = new Set(d.lots.map((l) => l.lotId));
      const lots = adjustLots(state.lots, d.lots, 1).map((l) => {
        if (!restored.has(l.lotId)) return l;
        return { ...l, addedAt: d.occurredAt, status: l.status === 'expired' && l.remaining > 0 ? ('active' as const) : l.status };
      });
      return {
        ...s,
        lots,
        redemptions: updateEntry(state.redemptions, d.redemptionId, (r) => ({ ...r, reversed: true })),
        movements: { ...m, redeemed: m.redeemed - d.points },
      };
    }
    case 'PurchaseRefunded': {
      const d = event.data;
      return {
        ...s,
        purchases: updateEntry(state.purchases, d.transactionId, (p) => ({ ...p, refundedMinor: p.refundedMinor + d.amountMinor })),
        processed: withEntry(state.processed, `refund:${d.refundId}`, d.requestHash),
      };
    }
    case 'PointsClawedBack': {
      const d = event.data;
      return {
        ...s,
        lots: adjustLots(state.lots, d.lots, -1),
        debt: state.debt + d.debtIncurred,
        purchases: updateEntry(state.purchases, d.transactionId, (p) => ({ ...p, pointsClawedBack: p.pointsClawedBack + d.points })),
        movements: { ...m, clawedBack: m.clawedBack + d.points },
      };
    }
    case 'DebtRepaid':
      return { ...s, lots: adjustLots(state.lots, event.data.lots, -1), debt: state.debt - event.data.points };
    case 'PointsAdjusted': {
      const d = event.data;
      const lots =
        d.lotId === null
          ? adjustLots(state.lots, d.lots, -1)
          : [...state.lots, newLot(state, d.lotId, d.points, null, d.expiresAt, d.occurredAt)];
      return {
        ...s,
        lots,
        processed: withEntry(state.processed, `adjustment:${d.adjustmentId}`, d.requestHash),
        movements: { ...m, adjusted: m.adjusted + d.points },
      };
    }
    case 'PointsTransferredOut': {
      const d = event.data;
      return {
        ...s,
        lots: adjustLots(state.lots, d.lots, -1),
        processed: withEntry(state.processed, `transfer:${d.transferId}`, d.requestHash),
        movements: { ...m, transferredOut: m.transferredOut + d.points },
      };
    }
    case 'PointsTransferredIn': {
      const d = event.data;
      let next: MemberState = { ...s, processed: withEntry(state.processed, `transfer-in:${d.transferId}`, d.transferId) };
      for (const lot of d.lots)
        next = { ...next, lots: [...next.lots, newLot(next, lot.lotId, lot.points, null, lot.expiresAt, d.occurredAt)] };
      return { ...next, movements: { ...m, transferredIn: m.transferredIn + d.points } };
    }
    case 'ReferralQualified':
      return { ...s, referralQualified: true };
    case 'ActionRecorded': {
      const d = event.data;
      return {
        ...s,
        rewardedActions: d.rewarded
          ? [...state.rewardedActions, { actionType: d.actionType, occurredAt: d.occurredAt }]
          : state.rewardedActions,
        processed: withEntry(state.processed, `action:${d.actionId}`, d.requestHash),
      };
    }
    case 'TierChanged':
      return {
        ...s,
        tier: event.data.to,
        tierQualifiedAt: event.data.reason === 'requalification' ? event.data.occurredAt : state.tierQualifiedAt,
      };
    case 'MemberErased':
      return { ...s, erased: true, processed: withEntry(state.processed, `erasure:${event.data.memberId}`, event.data.requestHash) };
  }
}

/**
 * Folding a stream with evolveMember alone copies the command maps on every
 * event: quadratic in the stream's length. The fold works on copies of its
 * own, which evolveMember may then update in place; they are released (back
 * to copy-on-write) before the state is returned, so no caller ever sees a
 * state change under it.
 */
export function foldMember(events: readonly MemberEvent[], from: MemberState = initialMemberState()): MemberState {
  if (events.length < FOLD_IN_PLACE_MIN_EVENTS) return events.reduce(evolveMember, from);
  const owned = [new Map(from.processed), new Map(from.purchases), new Map(from.redemptions)] as const;
  for (const map of owned) OWNED_MAPS.add(map);
  try {
    return events.reduce(evolveMember, { ...from, processed: owned[0], purchases: owned[1], redemptions: owned[2] });
  } finally {
    for (const map of owned) OWNED_MAPS.delete(map);
  }
}

/** Below this, copying is cheaper than taking ownership. */
const FOLD_IN_PLACE_MIN_EVENTS = 8;
/** Maps a running fold owns: nobody else holds them until the fold returns. */
const OWNED_MAPS = new WeakSet<ReadonlyMap<unknown, unknown>>();

function newLot(
  state: MemberState,
  lotId: string,
  points: number,
  pendingUntil: Instant | null,
  expiresAt: Instant | null,
  addedAt: Instant,
): Lot {
  return {
    lotId,
    points,
    remaining: points,
    status: pendingUntil === null ? 'active' : 'pending',
    pendingUntil,
    expiresAt,
    sequence: state.lots.length,
    addedAt,
  };
}

function withEntry<K, V>(map: ReadonlyMap<K, V>, key: K, value: V): ReadonlyMap<K, V> {
  if (OWNED_MAPS.has(map)) {
    (map as Map<K, V>).set(key, value);
    return map;
  }
  const next = new Map(map);
  next.set(key, value);
  return next;
}

function updateEntry<K, V>(map: ReadonlyMap<K, V>, key: K, update: (value: V) => V): ReadonlyMap<K, V> {
  const current = map.get(key);
  return current === undefined ? map : withEntry(map, key, update(current));
}
