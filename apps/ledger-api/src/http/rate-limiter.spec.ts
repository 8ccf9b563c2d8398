import Fastify, { FastifyInstance, FastifyRequest } from 'fastify';
import fastifyRateLimit from '@fastify/rate-limit';
import { clientAddressBucket, RateLimiter, RequestLimits, TRACKED_BUCKETS_MAX } from './rate-limiter';

/** The plugin's default bucket count, which the limiters raise to TRACKED_BUCKETS_MAX. */
const PLUGIN_DEFAULT_BUCKETS = 5_000;

describe('RequestLimits', () => {
  let fastify: FastifyInstance;
  let request: FastifyRequest;

  beforeAll(async () => {
    fastify = Fastify();
    await fastify.register(fastifyRateLimit, { global: false });
    fastify.get('/', (incoming, reply) => {
      request = incoming;
      void reply.send({});
    });
    await fastify.inject('/');
  });
  afterAll(() => fastify.close());

  it('allows the burst per bucket, then refuses with the seconds to wait, and keeps other buckets apart', async () => {
    const limiter = new RequestLimits(fastify).limiter({ perSecond: 2, burst: 3 });
    const taken: Array<number | undefined> = [];
    for (let i = 0; i < 4; i++) taken.push(await limiter.take(request, 'caller'));
    expect(taken.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    expect(taken[3]).toBeGreaterThanOrEqual(1);
    expect(taken[3]).toBeLessThanOrEqual(2);
    expect(await limiter.take(request, 'other')).toBeUndefined();
  });

  it('never limits when the rate is 0', async () => {
    const limiter = new RequestLimits(fastify).limiter({ perSecond: 0, burst: 0 });
    expect(await limiter.take(request, 'caller')).toBeUndefined();
  });

  it('keeps more buckets than the plugin default, so many addresses do not buy a limited one a fresh bucket', async () => {
    expect(TRACKED_BUCKETS_MAX).toBeGreaterThan(PLUGIN_DEFAULT_BUCKETS);
    // A window of an hour, so a slow machine's flood cannot outlast it and refill 'first' honestly.
    const limiter = new RequestLimits(fastify).limiter({ perSecond: 1 / 3600, burst: 1 });
    await limiter.take(request, 'first');
    for (let i = 0; i <= PLUGIN_DEFAULT_BUCKETS; i++) await limiter.take(request, `flood-${i}`);
    expect(await limiter.take(request, 'first')).toBeGreaterThanOrEqual(1);
  });
});

describe('RateLimiter', () => {
  it('allows the burst, then one request per refill, and tells when to retry', () => {
    const limiter = new RateLimiter({ perSecond: 2, burst: 3 });
    const taken = [0, 0, 0, 0].map(() => limiter.take('caller', 1_000));
    expect(taken).toEqual([undefined, undefined, undefined, 1]);
    expect(limiter.take('caller', 1_500)).toBeUndefined();
    expect(limiter.take('caller', 1_500)).toBe(1);
    expect(limiter.take('other', 1_500)).toBeUndefined();
  });

  it('never limits when the rate is 0', () => {
    const limiter = new RateLimiter({ perSecond: 0, burst: 0 });
    expect(limiter.take('caller', 1_000)).toBeUndefined();
  });
});

describe('clientAddressBucket', () => {
  it('keeps IPv4 addresses, unwraps IPv4-mapped ones and groups IPv6 by /64', () => {
    expect(clientAddressBucket('203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressBucket('::ffff:203.0.113.7')).toBe('203.0.113.7');
    const subscriber = clientAddressBucket('2001:db8:1:2:aaaa::1');
    expect(clientAddressBucket('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe(subscriber);
    expect(clientAddressBucket('2001:db8:1:3::1')).not.toBe(subscriber);
  });
});
