import { LRUCache } from 'lru-cache';
import { Injectable } from '@nestjs/common';
import { toMillis } from '@loyalty/domain';
import { ApiError } from '../http/api-error';
import { RateLimiter } from '../http/rate-limiter';
import { ClockService } from '../ledger/clock.service';

/** Wrong codes one API key may present at once, then one more every GUESS_REFILL_SECONDS. */
export const WRONG_CODES_BURST = 10;
export const GUESS_REFILL_SECONDS = 6;
/** Keys remembered as blocked at most; the oldest are forgotten first, so memory stays bounded. */
const BLOCKED_KEYS_MAX = 10_000;

/**
 * Guessing coupon codes is limited per API key: each wrong code (unknown,
 * malformed, or another member's) takes a token from the key's bucket; with
 * none left, every coupon lookup by that key is refused, right or wrong, until
 * the bucket refills, so a guess that happens to be right tells nothing.
 * Per process, like the request limit (SECURITY.md); timed by the ledger's clock.
 */
@Injectable()
export class CouponGuesses {
  private readonly wrong = new RateLimiter({ burst: WRONG_CODES_BURST, perSecond: 1 / GUESS_REFILL_SECONDS });
  private readonly blockedUntilMs = new LRUCache<string, number>({ max: BLOCKED_KEYS_MAX });

  constructor(private readonly clock: ClockService) {}

  assertAllowed(caller: string): void {
    const nowMs = this.nowMs();
    const until = this.blockedUntilMs.get(caller);
    if (until === undefined) return;
    if (nowMs >= until) {
      this.blockedUntilMs.delete(caller);
      return;
    }
    throw tooMany(Math.ceil((until - nowMs) / 1000));
  }

  /** After a wrong code: blocks the key once its bucket is empty. */
  recordWrong(caller: string): void {
    const nowMs = this.nowMs();
    const retryAfterSeconds = this.wrong.take(caller, nowMs);
    if (retryAfterSeconds === undefined) return;
    this.blockedUntilMs.set(caller, nowMs + retryAfterSeconds * 1000);
    throw tooMany(retryAfterSeconds);
  }

  private nowMs(): number {
    return toMillis(this.clock.nowIso());
  }
}

const tooMany = (retryAfterSeconds: number) =>
  new ApiError(
    429,
    'COUPON_GUESSES_RATE_LIMITED',
    'too many wrong coupon codes from this API key',
    { retryAfterSeconds },
    { 'retry-after': String(retryAfterSeconds) },
  );
