import type { MemberCommand } from '../member/commands';
import { base } from '../member/decision-helpers';
import type { CatalogueReward } from '../rewards/rewards';
import { rejected } from '../values/errors';
import { addDays, Instant, isAfter, isAtOrBefore } from '../values/time';
import type { CouponEvent, CouponIssued, CouponKind, CouponOrigin } from './events';

/** How long a coupon stays valid when its reward names no validDays, from the instant it is issued. */
export const DEFAULT_COUPON_VALID_DAYS = 30;

export const COUPON_STATUSES = ['active', 'used', 'expired', 'cancelled'] as const;
export type CouponStatus = (typeof COUPON_STATUSES)[number];

/** A coupon as its events left it, keyed in the member's state by its code. */
export interface CouponRecord {
  readonly couponId: string;
  readonly code: string;
  readonly rewardId: string;
  readonly kind: CouponKind;
  readonly valueMinor: number | null;
  readonly percent: number | null;
  readonly sku: string | null;
  readonly issuedAt: Instant;
  readonly expiresAt: Instant;
  readonly origin: CouponOrigin;
  readonly reference: string;
  readonly status: CouponStatus;
  /** The purchase that used it. */
  readonly usedBy: string | null;
}

export const isCouponReward = (reward: CatalogueReward): boolean => (reward.kind ?? 'points') !== 'points';

export interface CouponIssue {
  readonly couponId: string;
  readonly code: string;
  readonly origin: CouponOrigin;
  readonly reference: string;
  readonly reason: string | null;
  readonly issuedAt: Instant;
  /** Absent: the reward's validDays (or the default) from issuedAt. */
  readonly expiresAt?: Instant;
  readonly requestHash?: string;
}

/** A coupon of a catalogue reward, its terms copied in; a points reward has no coupon to give. */
export function couponIssued(command: MemberCommand, reward: CatalogueReward, issue: CouponIssue): CouponIssued {
  if (!isCouponReward(reward)) {
    throw rejected('REWARD_NOT_COUPON', `reward ${reward.rewardId} only debits points: it has no coupon`, { rewardId: reward.rewardId });
  }
  const { issuedAt, expiresAt, requestHash, ...rest } = issue;
  return {
    type: 'CouponIssued',
    data: {
      ...base(command, issuedAt),
      ...rest,
      rewardId: reward.rewardId,
      kind: reward.kind as CouponKind,
      valueMinor: reward.kind === 'amountOff' ? (reward.valueMinor ?? null) : null,
      percent: reward.kind === 'percentOff' ? (reward.percent ?? null) : null,
      sku: reward.kind === 'freeProduct' ? (reward.sku ?? null) : null,
      expiresAt: expiresAt ?? addDays(issuedAt, reward.validDays ?? DEFAULT_COUPON_VALID_DAYS),
      programVersion: command.program.version,
      ...(requestHash !== undefined && { requestHash }),
    },
  };
}

/** The status a coupon has at an instant: an active coupon past its expiry is expired, before the daily job records it. */
export function couponStatusAt(coupon: CouponRecord, at: Instant): CouponStatus {
  if (coupon.status !== 'active') return coupon.status;
  return isAfter(coupon.expiresAt, at) ? 'active' : 'expired';
}

export const isUsableAt = (coupon: CouponRecord, at: Instant): boolean =>
  couponStatusAt(coupon, at) === 'active' && isAtOrBefore(coupon.issuedAt, at);

/** The coupon a redemption issued, if it issued one. */
export function couponOfRedemption(coupons: ReadonlyMap<string, CouponRecord>, redemptionId: string): CouponRecord | undefined {
  for (const c of coupons.values()) if (c.origin === 'redemption' && c.reference === redemptionId) return c;
  return undefined;
}

/** The member's coupons after one coupon event; every other event leaves them as they are. */
export function couponsAfter(coupons: ReadonlyMap<string, CouponRecord>, event: CouponEvent): ReadonlyMap<string, CouponRecord> {
  if (event.type === 'CouponIssued') {
    const d = event.data;
    const record: CouponRecord = {
      couponId: d.couponId,
      code: d.code,
      rewardId: d.rewardId,
      kind: d.kind,
      valueMinor: d.valueMinor,
      percent: d.percent,
      sku: d.sku,
      issuedAt: d.occurredAt,
      expiresAt: d.expiresAt,
      origin: d.origin,
      reference: d.reference,
      status: 'active',
      usedBy: null,
    };
    return new Map(coupons).set(d.code, record);
  }
  const current = coupons.get(event.data.code);
  if (!current) return coupons;
  const next: CouponRecord =
    event.type === 'CouponUsed'
      ? { ...current, status: 'used', usedBy: event.data.transactionId }
      : { ...current, status: event.type === 'CouponExpired' ? 'expired' : 'cancelled' };
  return new Map(coupons).set(event.data.code, next);
}

export const isCouponEvent = (event: { readonly type: string }): event is CouponEvent =>
  event.type === 'CouponIssued' || event.type === 'CouponUsed' || event.type === 'CouponExpired' || event.type === 'CouponCancelled';

/** What a reply tells of a coupon just issued: the code and its terms, without the fields its kind does not use. */
export interface CouponView {
  readonly code: string;
  readonly rewardId: string;
  readonly kind: CouponKind;
  readonly valueMinor?: number;
  readonly percent?: number;
  readonly sku?: string;
  readonly expiresAt: Instant;
}

export function couponViewOf(issued: CouponIssued['data']): CouponView {
  return {
    code: issued.code,
    rewardId: issued.rewardId,
    kind: issued.kind,
    ...(issued.valueMinor !== null && { valueMinor: issued.valueMinor }),
    ...(issued.percent !== null && { percent: issued.percent }),
    ...(issued.sku !== null && { sku: issued.sku }),
    expiresAt: issued.expiresAt,
  };
}
