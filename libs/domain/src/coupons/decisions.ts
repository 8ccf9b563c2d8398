import type { IssueCoupon, RedeemPoints, ReverseRedemption, SettleMember } from '../member/commands';
import { base } from '../member/decision-helpers';
import type { MemberEvent } from '../member/events';
import type { MemberState } from '../member/state';
import type { CatalogueReward } from '../rewards/rewards';
import { invalid, rejected } from '../values/errors';
import { isAtOrBefore, toMillis } from '../values/time';
import { couponIssued, couponOfRedemption, couponStatusAt, isCouponReward } from './coupons';
import type { CouponCancelled, CouponExpired } from './events';

/** An admin's coupon: any coupon reward of the catalogue, redeemable with points or not, for a stated reason. */
export function issueCoupon(command: IssueCoupon, state: MemberState): MemberEvent[] {
  if (command.reason.trim() === '') throw invalid('INVALID_COUPON', 'a reason is required');
  const reward = command.program.policy.rewards.find((r) => r.rewardId === command.rewardId);
  if (!reward) throw rejected('UNKNOWN_REWARD', `no reward ${command.rewardId} in the catalogue`, { rewardId: command.rewardId });
  assertFreshCode(state, command.code);
  return [
    couponIssued(command, reward, {
      couponId: command.couponId,
      code: command.code,
      origin: 'admin',
      reference: command.couponId,
      reason: command.reason,
      issuedAt: command.occurredAt,
      requestHash: command.requestHash,
    }),
  ];
}

/** The coupon a redemption of a coupon reward issues with its points; none for a points reward. */
export function redemptionCoupon(command: RedeemPoints, reward: CatalogueReward | undefined, state: MemberState): MemberEvent[] {
  if (!reward || !isCouponReward(reward)) return [];
  if (command.couponCode === undefined) throw invalid('COUPON_CODE_MISSING', 'a coupon reward is redeemed with a fresh coupon code');
  assertFreshCode(state, command.couponCode);
  return [
    couponIssued(command, reward, {
      couponId: `redemption:${command.redemptionId}`,
      code: command.couponCode,
      origin: 'redemption',
      reference: command.redemptionId,
      reason: null,
      issuedAt: command.occurredAt,
    }),
  ];
}

/**
 * A reversal takes back the coupon the redemption issued: cancelled while
 * active; once used the reversal is refused (the member had the reward); an
 * expired or cancelled coupon gave nothing, so only the points come back. A
 * coupon past its expiresAt is expired even before the daily job records it,
 * so the audit, which ends it there, and the coupon's own events agree.
 */
export function reversalCoupon(command: ReverseRedemption, state: MemberState): CouponCancelled[] {
  const coupon = couponOfRedemption(state.coupons, command.redemptionId);
  const status = coupon && couponStatusAt(coupon, command.occurredAt);
  if (!coupon || status === 'expired' || status === 'cancelled') return [];
  if (status === 'used') {
    throw rejected('COUPON_ALREADY_USED', `the coupon of redemption ${command.redemptionId} was used`, {
      redemptionId: command.redemptionId,
      code: coupon.code,
      usedBy: coupon.usedBy,
    });
  }
  return [
    {
      type: 'CouponCancelled',
      data: { ...base(command), couponId: coupon.couponId, code: coupon.code, reason: 'reversal', reference: command.redemptionId },
    },
  ];
}

/** Active coupons whose expiry is at or before asOf, each dated at its own expiresAt, in time order. */
export function couponExpiries(command: SettleMember, state: MemberState): CouponExpired[] {
  return [...state.coupons.values()]
    .filter((c) => c.status === 'active' && isAtOrBefore(c.expiresAt, command.asOf))
    .sort((a, b) => toMillis(a.expiresAt) - toMillis(b.expiresAt) || a.code.localeCompare(b.code))
    .map((c) => ({ type: 'CouponExpired', data: { ...base(command, c.expiresAt), couponId: c.couponId, code: c.code } }));
}

/** Codes are unique by their claim (claims.ts); this only keeps one member's two coupons apart should a caller reuse one. */
function assertFreshCode(state: MemberState, code: string): void {
  if (state.coupons.has(code)) throw invalid('COUPON_CODE_REUSED', 'a fresh coupon code is needed for every coupon');
}
