/**
 * Coupon codes: Crockford base32 (no I, L, O or U, so nothing reads as
 * another character), 16 symbols = 80 random bits, shown in groups of four
 * for reading aloud. The random symbols come from the app layer's CSPRNG;
 * the domain only reads and writes the format.
 */
export const COUPON_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const COUPON_CODE_SYMBOLS = 16;
export const COUPON_CODE_BITS = COUPON_CODE_SYMBOLS * Math.log2(COUPON_CODE_ALPHABET.length);
const GROUP_SYMBOLS = 4;
/** Longest input worth reading: the grouped code with a separator of some width between groups. */
export const COUPON_CODE_INPUT_LENGTH_MAX = 64;

/** Look-alikes read as what they look like, as Crockford's decoding does. */
const LOOK_ALIKES: Readonly<Record<string, string>> = { I: '1', L: '1', O: '0' };

/** Symbols (each 0-31, e.g. from random bytes) as a grouped code. */
export function couponCodeOf(symbols: readonly number[]): string {
  if (symbols.length !== COUPON_CODE_SYMBOLS || symbols.some((s) => !Number.isInteger(s) || s < 0 || s >= COUPON_CODE_ALPHABET.length)) {
    throw new RangeError(`a coupon code takes ${COUPON_CODE_SYMBOLS} symbols from 0 to ${COUPON_CODE_ALPHABET.length - 1}`);
  }
  return grouped(symbols.map((s) => COUPON_CODE_ALPHABET[s]!).join(''));
}

/**
 * The canonical (grouped, upper-case) form of a code as a person typed it:
 * case, dashes and spaces do not matter; undefined when it cannot be a code.
 */
export function normaliseCouponCode(text: string): string | undefined {
  if (text.length > COUPON_CODE_INPUT_LENGTH_MAX) return undefined;
  const symbols = [...text.toUpperCase().replace(/[\s-]/g, '')].map((c) => LOOK_ALIKES[c] ?? c).join('');
  if (symbols.length !== COUPON_CODE_SYMBOLS || [...symbols].some((c) => !COUPON_CODE_ALPHABET.includes(c))) return undefined;
  return grouped(symbols);
}

const grouped = (symbols: string): string => symbols.match(new RegExp(`.{1,${GROUP_SYMBOLS}}`, 'g'))!.join('-');
