import { AuditFold, AuditInvariantViolation } from '../fold/audit-fold';
import { CouponLine, CouponMovements, couponPosition, netCoupons } from '../fold/coupons';
import { exact } from './integers';

/** Coupons in the liability report: those active as of asOf and their value (docs/audit.md, "Coupons"). */
export interface CouponLiability {
  readonly active: number;
  readonly liabilityMinor: number;
  /** Past their expiresAt and so not owed, though the daily job has not recorded the expiry yet. */
  readonly awaitingExpiryRecord: number;
}

/** The coupon roll-forward over (from, to], in count and in value; used, expired and cancelled coupons leave at their value. */
export interface CouponRollForward {
  readonly count: CouponLines;
  readonly valueMinor: CouponLines;
  /** What the coupons used in the period took off baskets. */
  readonly usedDiscountMinor: number;
  readonly awaitingExpiryRecord: number;
}

export interface CouponLines {
  readonly opening: number;
  readonly issued: number;
  readonly used: number;
  readonly expired: number;
  readonly cancelled: number;
  readonly closing: number;
}

export function couponLiability(fold: AuditFold): CouponLiability {
  const position = couponPosition(fold.coupons, fold.window.asOfMs, fold.window.fromMs);
  return {
    active: position.active.count,
    liabilityMinor: exact(position.active.valueMinor, 'coupon liability'),
    awaitingExpiryRecord: position.awaitingExpiryRecord,
  };
}

/** opening + issued - used - expired - cancelled = closing, in count and in value, or no report. */
export function couponRollForward(fold: AuditFold): CouponRollForward {
  const position = couponPosition(fold.coupons, fold.window.asOfMs, fold.window.fromMs);
  const linesOf = (k: keyof CouponLine): CouponLines => {
    const of = (m: CouponMovements, line: 'issued' | 'used' | 'expired' | 'cancelled') => exact(m[line][k], `coupons ${line} ${k}`);
    const lines = {
      opening: exact(netCoupons(position.opening)[k], `coupons opening ${k}`),
      issued: of(position.period, 'issued'),
      used: of(position.period, 'used'),
      expired: of(position.period, 'expired'),
      cancelled: of(position.period, 'cancelled'),
      closing: exact(position.active[k], `coupons closing ${k}`),
    };
    const rolled = lines.opening + lines.issued - lines.used - lines.expired - lines.cancelled;
    if (rolled !== lines.closing) {
      throw new AuditInvariantViolation(`coupons: opening and movements give ${rolled} ${k} but closing is ${lines.closing}`);
    }
    return lines;
  };
  return {
    count: linesOf('count'),
    valueMinor: linesOf('valueMinor'),
    usedDiscountMinor: exact(position.period.usedDiscountMinor, 'coupon discounts'),
    awaitingExpiryRecord: position.awaitingExpiryRecord,
  };
}
