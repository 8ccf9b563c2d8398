import type { InactivityRule } from '../expiry/expiry';
import { PurchaseLine } from '../earning/purchase-line';
import { LotConsumption } from '../lots/lots';
import { Instant } from '../values/time';
import type { Feedback } from './feedback';
import type { MembershipPeriod } from '../memberships/plans';
import type { CouponCancelled, CouponExpired, CouponIssued, CouponUsed } from '../coupons/events';

export const MEMBER_EVENT_SCHEMA_VERSION = 1;

export type MemberType = 'individual' | 'business';

/** Every member event carries these, so consumers can place it without its stream. */
interface MemberEventBase {
  readonly schemaVersion: number;
  readonly memberId: string;
  readonly occurredAt: Instant;
}

type Event<Type extends string, Data> = { readonly type: Type; readonly data: MemberEventBase & Data };

/** A member event defined beside its concept (coupons/events.ts), with the fields every member event carries. */
export type MemberEventOf<Type extends string, Data> = Event<Type, Data>;

export type AccrualSource = 'purchase' | 'welcome' | 'birthday' | 'referral' | 'action' | 'offer';
export const ACCRUAL_SOURCES: readonly AccrualSource[] = ['purchase', 'welcome', 'birthday', 'referral', 'action', 'offer'];

export type MemberEnrolled = Event<
  'MemberEnrolled',
  {
    readonly memberType: MemberType;
    /**
     * Name, email and birth date, sealed with the member's own key outside the
     * log (crypto-shredding): opaque to the domain, unreadable once erased.
     */
    readonly personalData: string | null;
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
    /** Absent in purchases recorded without one, and in those before channels existed. */
    readonly channelId?: string;
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
    /** Under an inactivity policy: expiresAt moves with the member's activity (absent in accruals written before). */
    readonly inactivity?: InactivityRule;
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

/** Upgrades happen at once (named by what qualified); status ends are 'requalification'; an admin's change is 'manual'. */
export type TierChangeReason = 'qualifying-spend' | 'qualifying-points' | 'qualifying-purchases' | 'requalification' | 'manual';

export type TierChanged = Event<
  'TierChanged',
  {
    readonly from: string | null;
    readonly to: string;
    readonly reason: TierChangeReason;
    /** Net spend in the qualifying window, whatever the tiers qualify by. */
    readonly qualifyingSpendMinor: number;
    /** In the unit the program's tierPolicy qualifies by; absent when the program has no tierPolicy. */
    readonly qualifyingValue?: number;
    readonly programVersion: number;
    /** A manual change: who made it, why, its client id and request, and until when it holds (null: indefinitely). */
    readonly manual?: ManualTierChange;
  }
>;

export interface ManualTierChange {
  readonly changeId: string;
  readonly actor: string;
  readonly reason: string;
  readonly until: Instant | null;
  readonly requestHash: string;
}

/** A pending lot's return window passed; dated at the lot's pendingUntil. */
export type PointsActivated = Event<'PointsActivated', { readonly lotId: string; readonly points: number }>;

/** What was left of a lot at its expiry; dated at the lot's expiresAt. */
export type PointsExpired = Event<'PointsExpired', { readonly lotId: string; readonly points: number }>;

export type PurchaseRefunded = Event<
  'PurchaseRefunded',
  {
    readonly transactionId: string;
    readonly refundId: string;
    readonly amountMinor: number;
    readonly requestHash: string;
  }
>;

/**
 * Points taken back for a refund: from lots where they remain (pending first),
 * and as debt for what the member had already spent.
 */
export type PointsClawedBack = Event<
  'PointsClawedBack',
  {
    readonly transactionId: string;
    readonly refundId: string;
    readonly points: number;
    readonly lots: readonly LotConsumption[];
    readonly debtIncurred: number;
  }
>;

/** Debt from a clawback paid off by points as they become available. */
export type DebtRepaid = Event<'DebtRepaid', { readonly points: number; readonly lots: readonly LotConsumption[] }>;

export type RedemptionReversed = Event<
  'RedemptionReversed',
  {
    readonly redemptionId: string;
    readonly points: number;
    /** The consumed lots, restored with their original expiry. */
    readonly lots: readonly LotConsumption[];
  }
>;

/** A manual correction by an admin. Positive: a new lot; negative: consumed from available lots FIFO. */
export type PointsAdjusted = Event<
  'PointsAdjusted',
  {
    readonly adjustmentId: string;
    readonly points: number;
    readonly reason: string;
    readonly actor: string;
    readonly lotId: string | null;
    readonly expiresAt: Instant | null;
    /** As on an accrual: a positive adjustment's lot under an inactivity policy. */
    readonly inactivity?: InactivityRule;
    readonly lots: readonly LotConsumption[];
    readonly requestHash: string;
  }
>;

export interface TransferredLot {
  readonly lotId: string;
  readonly points: number;
  readonly expiresAt: Instant | null;
}

export type PointsTransferredOut = Event<
  'PointsTransferredOut',
  {
    readonly transferId: string;
    readonly toMemberId: string;
    readonly points: number;
    /** Source lots consumed, with their expiry, so the receiver's lots keep it. */
    readonly lots: readonly TransferredLot[];
    readonly requestHash: string;
  }
>;

export type PointsTransferredIn = Event<
  'PointsTransferredIn',
  {
    readonly transferId: string;
    readonly fromMemberId: string;
    readonly points: number;
    /** New lots on the receiving side, one per source lot, same expiry. */
    readonly lots: readonly TransferredLot[];
  }
>;

/** A referee's first purchase qualifies the referral; the referrer's bonus follows on the referrer's stream. */
export type ReferralQualified = Event<'ReferralQualified', { readonly referrerId: string; readonly transactionId: string }>;

/** The member's personal data key was deleted; the sealed data in earlier events can no longer be read. */
export type MemberErased = Event<'MemberErased', { readonly requestHash: string }>;

export type ActionRecorded = Event<
  'ActionRecorded',
  {
    readonly actionId: string;
    readonly actionType: string;
    readonly rewarded: boolean;
    readonly requestHash: string;
    /** Present when the action is a member's review or survey (POST /v1/me/feedback). */
    readonly feedback?: Feedback;
  }
>;

/** Paid memberships (docs/programs/memberships.md): the plan's terms are copied in, so a later program change never rewrites them. */
export type MembershipStarted = Event<
  'MembershipStarted',
  {
    readonly membershipId: string;
    readonly planId: string;
    readonly period: MembershipPeriod;
    readonly feeMinor: number;
    readonly multiplierBp: number | null;
    /** The tier the member holds at least while the membership is active; absent: none. */
    readonly tier?: string;
    /** The zone its periods are counted in (the program's at the start); absent: UTC. */
    readonly timeZone?: string;
    readonly status: 'trial' | 'active';
    /** The trial's end, or the first period's end. */
    readonly periodEnd: Instant;
    /** Where the first payment's period starts: the trial's end, or the start. */
    readonly paidUntil: Instant;
    readonly programVersion: number;
    readonly requestHash: string;
  }
>;

/** A fee paid for [periodStart, periodEnd): recognised as revenue evenly over that period. */
export type MembershipPaymentRecorded = Event<
  'MembershipPaymentRecorded',
  {
    readonly membershipId: string;
    readonly paymentId: string;
    readonly amountMinor: number;
    readonly periodStart: Instant;
    readonly periodEnd: Instant;
    readonly requestHash: string;
  }
>;

/** Benefits hold until benefitsUntil (the current period's end); no further payment is accepted. */
export type MembershipCancelled = Event<
  'MembershipCancelled',
  { readonly membershipId: string; readonly benefitsUntil: Instant; readonly requestHash: string }
>;

/** The period ended (unpaid, or after a cancellation); dated at the period's end. */
export type MembershipLapsed = Event<'MembershipLapsed', { readonly membershipId: string; readonly reason: 'unpaid' | 'cancelled' }>;

export type MemberEvent =
  | MemberEnrolled
  | PurchaseRecorded
  | PointsAccrued
  | PointsActivated
  | PointsExpired
  | PointsRedeemed
  | RedemptionReversed
  | PurchaseRefunded
  | PointsClawedBack
  | DebtRepaid
  | PointsAdjusted
  | PointsTransferredOut
  | PointsTransferredIn
  | ReferralQualified
  | ActionRecorded
  | MemberErased
  | TierChanged
  | MembershipStarted
  | MembershipPaymentRecorded
  | MembershipCancelled
  | MembershipLapsed
  | CouponIssued
  | CouponUsed
  | CouponExpired
  | CouponCancelled;
export type MemberEventType = MemberEvent['type'];

const EVERY_MEMBER_EVENT_TYPE: Record<MemberEventType, true> = {
  MemberEnrolled: true,
  PurchaseRecorded: true,
  PointsAccrued: true,
  PointsActivated: true,
  PointsExpired: true,
  PointsRedeemed: true,
  RedemptionReversed: true,
  PurchaseRefunded: true,
  PointsClawedBack: true,
  DebtRepaid: true,
  PointsAdjusted: true,
  PointsTransferredOut: true,
  PointsTransferredIn: true,
  ReferralQualified: true,
  ActionRecorded: true,
  MemberErased: true,
  TierChanged: true,
  MembershipStarted: true,
  MembershipPaymentRecorded: true,
  MembershipCancelled: true,
  MembershipLapsed: true,
  CouponIssued: true,
  CouponUsed: true,
  CouponExpired: true,
  CouponCancelled: true,
};

/** Derived from a record keyed by the union, so a new event type cannot be forgotten here. */
export const MEMBER_EVENT_TYPES = Object.keys(EVERY_MEMBER_EVENT_TYPE) as readonly MemberEventType[];
