import { LRUCache } from 'lru-cache';
import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import { FactoryProvider, Global, Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FastifyInstance, FastifyRequest } from 'fastify';
import { RateLimit } from '@loyalty/platform';

/**
 * Buckets tracked at most per limiter; the least recently seen are forgotten
 * first, so memory stays bounded even when a flood of requests comes from
 * many addresses (the plugin's own default, 5,000, would let a guesser with
 * more addresses than that start afresh).
 */
export const TRACKED_BUCKETS_MAX = 100_000;
/** One IPv6 subscriber is usually handed a whole /64, so its addresses share one bucket. */
const IPV6_SUBSCRIBER_PREFIX_BITS = 64;
const MS_PER_SECOND = 1000;

const BUCKET = Symbol('rate limit bucket');
type BucketedRequest = FastifyRequest & { [BUCKET]?: string };
type Check = ReturnType<FastifyInstance['createRateLimit']>;

/**
 * Requests per caller, counted by @fastify/rate-limit in fixed windows:
 * `burst` requests per window of `burst / perSecond` seconds, so the sustained
 * rate is `perSecond` and a caller at rest may send `burst` at once. The
 * plugin's hooks stay off: the bucket is chosen by the guard's verdict (a
 * known key's own, or the address's for missing and unknown keys), which no
 * onRequest hook knows yet, and a refusal goes through the one error filter.
 * Per process: with several API replicas the limit applies to each (SECURITY.md).
 */
export class RequestLimiter {
  constructor(private readonly check: Check | undefined) {}

  /** Undefined when allowed; otherwise the seconds after which a retry can succeed. */
  async take(request: FastifyRequest, bucket: string): Promise<number | undefined> {
    if (!this.check) return undefined;
    (request as BucketedRequest)[BUCKET] = bucket;
    const counted = await this.check(request);
    if (counted.isAllowed || !counted.isExceeded) return undefined;
    return Math.max(1, counted.ttlInSeconds);
  }
}

/** The plugin, registered once on the app's Fastify instance, and the limiters made from it. */
export class RequestLimits {
  constructor(private readonly fastify: FastifyInstance) {}

  limiter(limit: RateLimit): RequestLimiter {
    if (limit.perSecond === 0) return new RequestLimiter(undefined);
    const options = {
      max: limit.burst,
      timeWindow: Math.ceil((limit.burst / limit.perSecond) * MS_PER_SECOND),
      keyGenerator: (request: FastifyRequest) => (request as BucketedRequest)[BUCKET] ?? clientAddressBucket(request.ip),
      cache: TRACKED_BUCKETS_MAX,
    };
    return new RequestLimiter(this.fastify.createRateLimit(options));
  }
}

const requestLimitsProvider: FactoryProvider<RequestLimits> = {
  provide: RequestLimits,
  inject: [HttpAdapterHost],
  useFactory: async (host: HttpAdapterHost) => {
    const fastify = host.httpAdapter.getInstance<FastifyInstance>();
    await fastify.register(fastifyRateLimit, { global: false });
    return new RequestLimits(fastify);
  },
};

@Global()
@Module({ providers: [requestLimitsProvider], exports: [RequestLimits] })
export class RateLimitModule {}

/**
 * The bucket name for a client address: IPv4 (also when IPv4-mapped) as is,
 * IPv6 by its /64, so rotating through one subscriber's addresses does not
 * buy fresh buckets.
 */
export function clientAddressBucket(address: string): string {
  return normalizeIP(address, IPV6_SUBSCRIBER_PREFIX_BITS);
}

/**
 * A token bucket per caller for counting outcomes rather than requests (the
 * coupon guesses: only wrong codes take a token, found deep in the purchase
 * path where there is no Fastify request to key the plugin on), timed by the
 * ledger's clock like the decisions around it. `burst` at once, refilled at
 * `perSecond`; the least recently seen buckets are forgotten first.
 */
export class RateLimiter {
  private readonly buckets = new LRUCache<string, { tokens: number; updatedMs: number }>({ max: TRACKED_BUCKETS_MAX });

  constructor(private readonly limit: RateLimit) {}

  /** Undefined when allowed; otherwise the seconds after which a retry can succeed. */
  take(caller: string, nowMs: number): number | undefined {
    if (this.limit.perSecond === 0) return undefined;
    const bucket = this.buckets.get(caller) ?? { tokens: this.limit.burst, updatedMs: nowMs };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((nowMs - bucket.updatedMs) / MS_PER_SECOND) * this.limit.perSecond);
    bucket.updatedMs = nowMs;
    this.buckets.set(caller, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.limit.perSecond));
  }
}
