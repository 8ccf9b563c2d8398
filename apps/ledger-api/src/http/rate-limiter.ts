import ipaddr from 'ipaddr.js';
import { RateLimit } from '@loyalty/platform';

/**
 * Buckets tracked at most per limiter; the least recently seen are forgotten
 * first, so memory stays bounded (about 230 bytes a bucket measured, so some
 * 23 MB at most) even when a flood of guesses comes from many addresses.
 */
const TRACKED_BUCKETS_MAX = 100_000;
/** One IPv6 subscriber is usually handed a whole /64, so its addresses share one bucket. */
const IPV6_SUBSCRIBER_GROUPS = 4;

/**
 * A token bucket per caller (an API key, or a client address): `burst`
 * requests at once, refilled at `perSecond`. Per process: with several API
 * replicas the limit applies to each, which is documented in SECURITY.md.
 *
 * Hand-written rather than @fastify/rate-limit: that plugin counts fixed
 * windows in an onRequest hook, before the guard knows whether a key is
 * valid, while the bucket here must be chosen by the guard's verdict (the
 * key's own bucket, or the address's bucket for missing and unknown keys),
 * must keep the RATE_LIMIT_* burst-and-rate semantics, and must answer
 * through the one error filter like every other refusal.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedMs: number }>();

  constructor(private readonly limit: RateLimit) {}

  /** Undefined when allowed; otherwise the seconds after which a retry can succeed. */
  take(caller: string, nowMs: number): number | undefined {
    if (this.limit.perSecond === 0) return undefined;
    const bucket = this.buckets.get(caller) ?? { tokens: this.limit.burst, updatedMs: nowMs };
    this.buckets.delete(caller);
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((nowMs - bucket.updatedMs) / 1000) * this.limit.perSecond);
    bucket.updatedMs = nowMs;
    this.buckets.set(caller, bucket);
    if (this.buckets.size > TRACKED_BUCKETS_MAX) this.buckets.delete(this.buckets.keys().next().value!);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.limit.perSecond));
  }
}

/**
 * The bucket name for a client address: IPv4 (also when IPv4-mapped) as is,
 * IPv6 by its /64, so rotating through one subscriber's addresses does not
 * buy fresh buckets.
 */
export function clientAddressBucket(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (!(parsed instanceof ipaddr.IPv6)) return parsed.toString();
  const prefix = parsed.parts.slice(0, IPV6_SUBSCRIBER_GROUPS).map((part) => part.toString(16));
  return `${prefix.join(':')}::/64`;
}
