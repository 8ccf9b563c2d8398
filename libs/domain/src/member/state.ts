import { consumeLots, Lot } from '../lots/lots';
import { Instant } from '../shared/time';
import { MemberEvent, MemberType } from './events';

export interface QualifyingPurchase {
  readonly occurredAt: Instant;
  readonly amountMinor: number;
}

export interface MemberState {
  readonly enrolled: boolean;
  readonly memberType: MemberType | null;
  readonly enrolledAt: Instant | null;
  readonly tier: string | null;
  readonly lots: readonly Lot[];
  /** Command key -> hash of the request that created it, to tell a retry from a conflicting reuse. */
  readonly processed: ReadonlyMap<string, string>;
  readonly purchases: readonly QualifyingPurchase[];
  readonly lifetimeEarned: number;
  readonly redeemed: number;
  /** Number of events folded: the stream revision the next append expects is this minus one. */
  readonly eventCount: number;
}

export const initialMemberState = (): MemberState => ({
  enrolled: false,
  memberType: null,
  enrolledAt: null,
  tier: null,
  lots: [],
  processed: new Map(),
  purchases: [],
  lifetimeEarned: 0,
  redeemed: 0,
  eventCount: 0,
});

export function evolveMember(state: MemberState, event: MemberEvent): MemberState {
  const next = { ...state, eventCount: state.eventCount + 1 };
  const data = event.data;
  switch (event.type) {
    case 'MemberEnrolled':
      return {
        ...next,
        enrolled: true,
        memberType: event.data.memberType,
        enrolledAt: data.occurredAt,
        tier: event.data.tier,
        processed: remember(state, `enrolment:${data.memberId}`, event.data.requestHash),
      };
    case 'PurchaseRecorded':
      return {
        ...next,
        purchases: [...state.purchases, { occurredAt: data.occurredAt, amountMinor: event.data.amountMinor }],
        processed: remember(state, `purchase:${event.data.transactionId}`, event.data.requestHash),
      };
    case 'PointsAccrued': {
      const { lotId, points, pendingUntil, expiresAt } = event.data;
      const lot: Lot = {
        lotId,
        points,
        remaining: points,
        status: pendingUntil === null ? 'active' : 'pending',
        pendingUntil,
        expiresAt,
        sequence: state.lots.length,
      };
      return { ...next, lots: [...state.lots, lot], lifetimeEarned: state.lifetimeEarned + points };
    }
    case 'PointsRedeemed':
      return {
        ...next,
        lots: consumeLots(state.lots, event.data.lots),
        redeemed: state.redeemed + event.data.points,
        processed: remember(state, `redemption:${event.data.redemptionId}`, event.data.requestHash),
      };
    case 'TierChanged':
      return { ...next, tier: event.data.to };
  }
}

function remember(state: MemberState, key: string, requestHash: string): ReadonlyMap<string, string> {
  const processed = new Map(state.processed);
  processed.set(key, requestHash);
  return processed;
}

export function foldMember(events: readonly MemberEvent[], from: MemberState = initialMemberState()): MemberState {
  return events.reduce(evolveMember, from);
}
