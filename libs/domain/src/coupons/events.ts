import type { MemberEventOf } from '../member/events';
import type { Instant } from '../values/time';

export const COUPON_KINDS = ['amountOff', 'percentOff', 'freeProduct'] as const;
export type CouponKind = (typeof COUPON_KINDS)[number];

/** What put the coupon in the member's hands. */
export type CouponOrigin = 'redemption' | 'birthday' | 'tier' | 'offer' | 'admin';

/**
 * A coupon of a catalogue reward, its terms copied in so a later program
 * change never changes what an issued coupon is worth.
 */
export type CouponIssued = MemberEventOf<
  'CouponIssued',
  {
    readonly couponId: string;
    readonly code: string;
    readonly rewardId: string;
    readonly kind: CouponKind;
    readonly valueMinor: number | null;
    readonly percent: number | null;
    readonly sku: string | null;
    readonly expiresAt: Instant;
    readonly origin: CouponOrigin;
    /** The redemptionId, `birthday:<year>`, the tier change or offer reference, or the admin's couponId. */
    readonly reference: string;
    readonly reason: string | null;
    readonly programVersion: number;
    /** An admin's issue only: the request that made it, so a retry can be told from a conflicting reuse of the couponId. */
    readonly requestHash?: string;
  }
>;

/** Appended with the purchase that used the coupon. */
export type CouponUsed = MemberEventOf<
  'CouponUsed',
  { readonly couponId: string; readonly code: string; readonly transactionId: string; readonly discountMinor: number }
>;

/** Dated at the coupon's own expiresAt, whenever the daily job records it. */
export type CouponExpired = MemberEventOf<'CouponExpired', { readonly couponId: string; readonly code: string }>;

export type CouponCancellationReason = 'reversal' | 'refund' | 'admin';

export type CouponCancelled = MemberEventOf<
  'CouponCancelled',
  { readonly couponId: string; readonly code: string; readonly reason: CouponCancellationReason; readonly reference: string }
>;

export type CouponEvent = CouponIssued | CouponUsed | CouponExpired | CouponCancelled;
