import { Injectable } from '@nestjs/common';
import { normaliseCouponCode, rejected } from '@loyalty/domain';
import { MemberLedger } from '../ledger/member-ledger';
import { CouponGuesses } from './coupon-guesses';

/**
 * A till's codes as the member's own coupons, found through each code's claim
 * (read from the log, so a coupon issued a moment ago is found). A code of
 * another member is refused without a word on whose it is.
 */
@Injectable()
export class CouponLookup {
  constructor(
    private readonly ledger: MemberLedger,
    private readonly guesses: CouponGuesses,
  ) {}

  async memberCodes(memberId: string, presented: readonly string[], caller: string): Promise<string[]> {
    this.guesses.assertAllowed(caller);
    const codes: string[] = [];
    for (const text of presented) {
      const code = normaliseCouponCode(text);
      const owner = code === undefined ? undefined : await this.ledger.claimant('coupon', code);
      if (code === undefined || owner === undefined) {
        this.guesses.recordWrong(caller);
        throw rejected('COUPON_NOT_FOUND', 'no coupon has this code', { code: text });
      }
      if (owner !== memberId) {
        this.guesses.recordWrong(caller);
        throw rejected('COUPON_NOT_OWNED', 'this coupon is not the member’s', { code });
      }
      codes.push(code);
    }
    return codes;
  }
}
