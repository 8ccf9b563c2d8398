import { RateLimit } from '@loyalty/platform';

/** Keys tracked at most; the least recently seen are forgotten first, so memory stays bounded. */
const TRACKED_KEYS_MAX = 10_000;

/**
 * A token bucket per API key: `burst` requests at once, refilled at
 * `perSecond`. Per process: with several API replicas the limit applies to
 * each, which is documented in SECURITY.md.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedMs: number }>();

  constructor(private readonly limit: RateLimit) {}

  /** Undefined when allowed; otherwise the seconds after which a retry can succeed. */
  take(key: string, nowMs: number): number | undefined {
    if (this.limit.perSecond === 0) return undefined;
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, updatedMs: nowMs };
    this.buckets.delete(key);
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((nowMs - bucket.updatedMs) / 1000) * this.limit.perSecond);
    bucket.updatedMs = nowMs;
    this.buckets.set(key, bucket);
    if (this.buckets.size > TRACKED_KEYS_MAX) this.buckets.delete(this.buckets.keys().next().value!);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.limit.perSecond));
  }
}
