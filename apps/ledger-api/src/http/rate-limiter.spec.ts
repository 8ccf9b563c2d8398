import { clientAddressBucket, RateLimiter } from './rate-limiter';

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
    expect(clientAddressBucket('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientAddressBucket('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(clientAddressBucket('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
  });
});
