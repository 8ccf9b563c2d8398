import { Instant } from '../values/time';

/**
 * The idempotency key of each kind of member command, in one place: the
 * decision looks a command up by it, the fold records it from the command's
 * events, and event ids derive from it, so the formats must never drift apart.
 */
export const commandKeys = {
  enrolment: (memberId: string) => `enrolment:${memberId}`,
  purchase: (transactionId: string) => `purchase:${transactionId}`,
  redemption: (redemptionId: string) => `redemption:${redemptionId}`,
  refund: (refundId: string) => `refund:${refundId}`,
  reversal: (redemptionId: string) => `reversal:${redemptionId}`,
  settlement: (asOf: Instant, decidedAtRevision: bigint | 'no_stream') => `settlement:${asOf}@${String(decidedAtRevision)}`,
  action: (actionId: string) => `action:${actionId}`,
  adjustment: (adjustmentId: string) => `adjustment:${adjustmentId}`,
  transfer: (transferId: string) => `transfer:${transferId}`,
  transferIn: (transferId: string) => `transfer-in:${transferId}`,
  referral: (refereeId: string) => `referral:${refereeId}`,
  erasure: (memberId: string) => `erasure:${memberId}`,
  tierChange: (changeId: string) => `tier-change:${changeId}`,
  membership: (membershipId: string) => `membership:${membershipId}`,
  membershipPayment: (paymentId: string) => `membership-payment:${paymentId}`,
  membershipCancellation: (membershipId: string) => `membership-cancellation:${membershipId}`,
  coupon: (couponId: string) => `coupon:${couponId}`,
} as const;
