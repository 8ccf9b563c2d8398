import { CouponEvent, CouponIssued } from '@loyalty/domain';
import { ProgramVersion } from '../valuation/program-versions';

/** A number of coupons and their value in minor units (docs/audit.md, "Coupons"). */
export interface CouponLine {
  count: number;
  valueMinor: number;
}

/** Coupon movements over one stretch of event time: each coupon counts once when issued and once when it ends. */
export interface CouponMovements {
  readonly issued: CouponLine;
  readonly used: CouponLine;
  readonly expired: CouponLine;
  readonly cancelled: CouponLine;
  /** What the used coupons actually took off baskets: information, not part of the identity (used coupons leave at their value). */
  usedDiscountMinor: number;
}

/** A coupon issued and not yet ended as of the fold's instant; an ended coupon is only counted, never kept. */
interface OpenCoupon {
  readonly valueMinor: number;
  readonly issuedAtMs: number;
  readonly expiresAtMs: number;
}

export interface CouponFold {
  /** Keyed `memberId/code`. */
  readonly open: Map<string, OpenCoupon>;
  readonly opening: CouponMovements;
  readonly period: CouponMovements;
}

const line = (): CouponLine => ({ count: 0, valueMinor: 0 });
export const noCouponMovements = (): CouponMovements => ({
  issued: line(),
  used: line(),
  expired: line(),
  cancelled: line(),
  usedDiscountMinor: 0,
});
export const startCouponFold = (): CouponFold => ({ open: new Map(), opening: noCouponMovements(), period: noCouponMovements() });

export class CouponValuationError extends Error {
  constructor(message: string) {
    super(`coupon valuation: ${message}`);
    this.name = 'CouponValuationError';
  }
}

/**
 * The valuation rule (docs/audit.md): a coupon with a face value (amountOff)
 * is worth it; any other (percentOff, freeProduct) is worth what its reward
 * costs in points at the point value of the program version that issued it,
 * so 0 for a reward that is never sold for points. Fixed at issue, from the
 * event and that version: a later program change never revalues a coupon.
 */
export function couponValueMinor(issued: CouponIssued['data'], versions: readonly ProgramVersion[]): number {
  if (issued.valueMinor !== null) return issued.valueMinor;
  const version = versions.find((v) => v.version === issued.programVersion);
  const points = version?.rewardPoints.get(issued.rewardId);
  if (version === undefined || points === undefined) {
    throw new CouponValuationError(
      `coupon ${issued.code} of member ${issued.memberId} names reward ${issued.rewardId} of program version ${issued.programVersion}, which the log does not hold`,
    );
  }
  return points * version.pointValueMinor;
}

/**
 * One coupon event, counted at or before asOf. A coupon ends at the first of
 * its use, cancellation or expiry; it is expired at its own expiresAt whether
 * or not the daily job has recorded it yet (a coupon cannot be used past it),
 * so a figure as of an instant never changes when the job runs later.
 */
export function applyCouponEvent(
  fold: CouponFold,
  event: CouponEvent,
  occurredAtMs: number,
  fromMs: number,
  versions: readonly ProgramVersion[],
): void {
  const key = `${event.data.memberId}/${event.data.code}`;
  const sideOf = (ms: number) => (ms > fromMs ? fold.period : fold.opening);
  if (event.type === 'CouponIssued') {
    const valueMinor = couponValueMinor(event.data, versions);
    // A coupon dated to expire before its issue ends as it is issued, never before.
    const expiresAtMs = Math.max(Date.parse(event.data.expiresAt), occurredAtMs);
    fold.open.set(key, { valueMinor, issuedAtMs: occurredAtMs, expiresAtMs });
    add(sideOf(occurredAtMs).issued, valueMinor);
    return;
  }
  const coupon = fold.open.get(key);
  if (!coupon) return;
  fold.open.delete(key);
  if (event.type === 'CouponExpired' || occurredAtMs >= coupon.expiresAtMs) {
    add(sideOf(coupon.expiresAtMs).expired, coupon.valueMinor);
    return;
  }
  const side = sideOf(Math.max(occurredAtMs, coupon.issuedAtMs));
  if (event.type === 'CouponUsed') {
    add(side.used, coupon.valueMinor);
    side.usedDiscountMinor += event.data.discountMinor;
  } else {
    add(side.cancelled, coupon.valueMinor);
  }
}

export interface CouponPosition {
  readonly opening: CouponMovements;
  readonly period: CouponMovements;
  /** Coupons active as of asOf: issued, not ended, expiring after it. */
  readonly active: CouponLine;
  /** Of the expired, those past their expiresAt whose expiry the daily job has not recorded yet. */
  readonly awaitingExpiryRecord: number;
}

/** The coupons as of the fold's instant: open coupons past their expiry are expired at it; the fold itself is left as it is. */
export function couponPosition(fold: CouponFold, asOfMs: number, fromMs: number): CouponPosition {
  const opening = copy(fold.opening);
  const period = copy(fold.period);
  const active = line();
  let awaitingExpiryRecord = 0;
  for (const coupon of fold.open.values()) {
    if (coupon.expiresAtMs > asOfMs) {
      add(active, coupon.valueMinor);
      continue;
    }
    add((coupon.expiresAtMs > fromMs ? period : opening).expired, coupon.valueMinor);
    awaitingExpiryRecord += 1;
  }
  return { opening, period, active, awaitingExpiryRecord };
}

function add(into: CouponLine, valueMinor: number): void {
  into.count += 1;
  into.valueMinor += valueMinor;
}

const copy = (m: CouponMovements): CouponMovements => ({
  issued: { ...m.issued },
  used: { ...m.used },
  expired: { ...m.expired },
  cancelled: { ...m.cancelled },
  usedDiscountMinor: m.usedDiscountMinor,
});

/** What the movements leave: issued less every way a coupon ends. */
export function netCoupons(m: CouponMovements): CouponLine {
  const net = (k: keyof CouponLine) => m.issued[k] - m.used[k] - m.expired[k] - m.cancelled[k];
  return { count: net('count'), valueMinor: net('valueMinor') };
}
