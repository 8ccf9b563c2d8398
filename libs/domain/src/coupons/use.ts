import type { PurchaseLine } from '../earning/purchase-line';
import type { RecordPurchase } from '../member/commands';
import { base } from '../member/decision-helpers';
import type { MemberState } from '../member/state';
import { invalid, rejected } from '../values/errors';
import { CouponRecord, couponStatusAt, isUsableAt } from './coupons';
import type { CouponUsed } from './events';

/** Coupons one purchase may use at once. */
export const COUPONS_PER_PURCHASE_MAX = 10;
const PERCENT_SCALE = 100;

/**
 * The coupons a purchase uses, each with what it took off. The items carry
 * the prices before any discount; the coupons apply in the order given, each
 * to what is left of the basket: amountOff up to what is left, percentOff
 * that share of it (rounded down), freeProduct one unit of its SKU's line.
 * amountMinor is what the customer paid, so it may be at most the basket
 * less the coupons' discounts (less still when the till gave discounts of its own).
 */
export function couponsUsed(command: RecordPurchase, state: MemberState): CouponUsed[] {
  const codes = command.couponCodes ?? [];
  if (codes.length === 0) return [];
  if (new Set(codes).size !== codes.length) throw invalid('DUPLICATE_COUPON_CODE', 'a coupon code may appear once per purchase');
  const coupons = codes.map((code) => usableCoupon(state, code, command));
  if (command.items.length === 0) {
    throw rejected('COUPON_NOT_APPLICABLE', 'a purchase that uses coupons lists its items, whose prices the discounts come off', {
      code: coupons[0]!.code,
    });
  }
  const basketMinor = command.items.reduce((sum, line) => sum + lineMinor(line), 0);
  const freeUnits = new Map<string, number>();
  let leftMinor = basketMinor;
  const used = coupons.map((coupon): CouponUsed => {
    const discountMinor = discountOf(coupon, leftMinor, command.items, freeUnits);
    leftMinor -= discountMinor;
    return {
      type: 'CouponUsed',
      data: { ...base(command), couponId: coupon.couponId, code: coupon.code, transactionId: command.transactionId, discountMinor },
    };
  });
  if (command.amountMinor > leftMinor) {
    throw rejected('AMOUNT_EXCEEDS_DISCOUNTED_BASKET', `paid ${command.amountMinor} but the basket after coupons is ${leftMinor}`, {
      amountMinor: command.amountMinor,
      basketMinor,
      discountMinor: basketMinor - leftMinor,
    });
  }
  return used;
}

/** Refusals say nothing of the coupon beyond its own code and status. */
function usableCoupon(state: MemberState, code: string, command: RecordPurchase): CouponRecord {
  const coupon = state.coupons.get(code);
  if (!coupon) throw rejected('COUPON_NOT_FOUND', `no coupon ${code}`, { code });
  if (!isUsableAt(coupon, command.occurredAt)) {
    throw rejected('COUPON_NOT_ACTIVE', `coupon ${code} cannot be used at ${command.occurredAt}`, {
      code,
      status: couponStatusAt(coupon, command.occurredAt),
    });
  }
  return coupon;
}

const lineMinor = (line: PurchaseLine): number => line.quantity * line.unitPriceMinor;

function discountOf(coupon: CouponRecord, leftMinor: number, items: readonly PurchaseLine[], freeUnits: Map<string, number>): number {
  const discountMinor = rawDiscount(coupon, leftMinor, items, freeUnits);
  if (discountMinor <= 0) {
    throw rejected('COUPON_NOT_APPLICABLE', `coupon ${coupon.code} takes nothing off this basket`, {
      code: coupon.code,
      kind: coupon.kind,
    });
  }
  return discountMinor;
}

function rawDiscount(coupon: CouponRecord, leftMinor: number, items: readonly PurchaseLine[], freeUnits: Map<string, number>): number {
  switch (coupon.kind) {
    case 'amountOff':
      return Math.min(coupon.valueMinor ?? 0, leftMinor);
    case 'percentOff':
      return Number((BigInt(leftMinor) * BigInt(coupon.percent ?? 0)) / BigInt(PERCENT_SCALE));
    case 'freeProduct': {
      const sku = coupon.sku ?? '';
      const lines = items.filter((l) => l.sku === sku && l.quantity > 0);
      const units = lines.reduce((sum, l) => sum + l.quantity, 0);
      const taken = freeUnits.get(sku) ?? 0;
      if (taken >= units) {
        throw rejected('COUPON_NOT_APPLICABLE', `coupon ${coupon.code} gives ${sku}, which is not in the basket`, {
          code: coupon.code,
          sku,
        });
      }
      freeUnits.set(sku, taken + 1);
      return Math.min(Math.min(...lines.map((l) => l.unitPriceMinor)), leftMinor);
    }
  }
}
