import { randomBytes } from 'node:crypto';
import { COUPON_CODE_ALPHABET, COUPON_CODE_SYMBOLS, couponCodeOf } from '@loyalty/domain';

const BITS_PER_SYMBOL = Math.log2(COUPON_CODE_ALPHABET.length);
const SYMBOL_MASK = COUPON_CODE_ALPHABET.length - 1;
const BYTES = Math.ceil((COUPON_CODE_SYMBOLS * BITS_PER_SYMBOL) / 8);

/**
 * A fresh coupon code: 80 bits from the operating system's CSPRNG, five bits
 * a symbol, never derived from a member id or a counter. Uniqueness is the
 * code's claim (claims.ts); a clash of 80 random bits is not expected in the
 * life of the program.
 */
export function newCouponCode(): string {
  let bits = BigInt(`0x${randomBytes(BYTES).toString('hex')}`);
  const symbols: number[] = [];
  for (let i = 0; i < COUPON_CODE_SYMBOLS; i += 1) {
    symbols.push(Number(bits & BigInt(SYMBOL_MASK)));
    bits >>= BigInt(BITS_PER_SYMBOL);
  }
  return couponCodeOf(symbols);
}
