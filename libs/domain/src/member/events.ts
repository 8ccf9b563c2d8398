import { PurchaseLine } from '../earning/earning';
import { LotConsumption } from '../lots/lots';
import { Instant } from '../shared/time';

export const MEMBER_EVENT_SCHEMA_VERSION = 1;

export type MemberType = 'individual' | 'business';

export interface MemberProfile {
  readonly name?: string;
  readonly email?: string;
  readonly birthDate?: string;
}

/** Every member event carries these, so consumers can place it without its stream. */
interface MemberEventBase {
  readonly schemaVersion: number;
  readonly memberId: string;
  readonly occurredAt: Instant;
}

type Event<Type extends string, Data> = { readonly type: Type; readonly data: MemberEventBase & Data };

export type AccrualSource = 'purchase' | 'welcome' | 'birthday' | 'referral' | 'action' | 'offer';

export type MemberEnrolled = Event<
  'MemberEnrolled',
  {
    readonly memberType: MemberType;
    readonly profile: MemberProfile;
    readonly referredBy: string | null;
    readonly tier: string | null;
    readonly requestHash: string;
  }
>;

export type PurchaseRecorded = Event<
  'PurchaseRecorded',
  {
    readonly transactionId: string;
    readonly amountMinor: number;
    readonly currency: string;
    readonly items: readonly PurchaseLine[];
    readonly storeId: string | null;
    readonly requestHash: string;
  }
>;

export type PointsAccrued = Event<
  'PointsAccrued',
  {
    readonly lotId: string;
    readonly points: number;
    readonly source: AccrualSource;
    /** The business id that caused it: a transactionId, or the member id for a welcome bonus. */
    readonly reference: string;
    readonly programVersion: number;
    readonly ruleIds: readonly string[];
    readonly pendingUntil: Instant | null;
    readonly expiresAt: Instant | null;
  }
>;

export type PointsRedeemed = Event<
  'PointsRedeemed',
  {
    readonly redemptionId: string;
    readonly points: number;
    readonly rewardId: string | null;
    readonly lots: readonly LotConsumption[];
    readonly programVersion: number;
    readonly requestHash: string;
  }
>;

export type TierChanged = Event<
  'TierChanged',
  {
    readonly from: string | null;
    readonly to: string;
    readonly reason: 'qualifying-spend';
    readonly qualifyingSpendMinor: number;
    readonly programVersion: number;
  }
>;

export type MemberEvent = MemberEnrolled | PurchaseRecorded | PointsAccrued | PointsRedeemed | TierChanged;
export type MemberEventType = MemberEvent['type'];

export const MEMBER_EVENT_TYPES: readonly MemberEventType[] = [
  'MemberEnrolled',
  'PurchaseRecorded',
  'PointsAccrued',
  'PointsRedeemed',
  'TierChanged',
];

export const memberStreamId = (memberId: string) => `member-${memberId}`;
export const MEMBER_STREAM_PREFIX = 'member-';

/** Narrows a stored event to a member event by its type; unknown types are not ours to fold. */
export function asMemberEvent(type: string, data: Record<string, unknown>): MemberEvent | undefined {
  return (MEMBER_EVENT_TYPES as readonly string[]).includes(type) ? ({ type, data } as unknown as MemberEvent) : undefined;
}
