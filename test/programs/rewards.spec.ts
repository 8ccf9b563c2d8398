import { TestClock } from '../support/clock';
import { PROGRAM, startTestLedger, TestLedger } from '../support/ledger';

/** The reward catalogue through HTTP: tier- and segment-reserved rewards, availability windows, per-member limits, stock and coupon kinds. */
describe('reward catalogue over HTTP', () => {
  let t: TestLedger;
  const clock = new TestClock('2026-06-01T12:00:00.000Z');
  const rewards = [
    { rewardId: 'free-coffee', points: 250 },
    { rewardId: 'gold-lounge', points: 10, tiers: ['gold'] },
    { rewardId: 'summer-tea', points: 10, startsAt: '2026-07-01T00:00:00.000Z', endsAt: '2026-08-01T00:00:00.000Z' },
    { rewardId: 'daily-tea', points: 10, limitPerMember: { count: 1, period: 'day' } },
    { rewardId: 'two-off', points: 10, kind: 'amountOff', valueMinor: 200, validDays: 30 },
    { rewardId: 'last-mug', points: 10, stock: 1 },
    { rewardId: 'club-desk', points: 10, segment: 'business-club' },
  ];
  let redemptions = 0;
  const redeem = (memberId: string, rewardId: string) =>
    t.call('POST', '/v1/redemptions', { redemptionId: `r-${(redemptions += 1)}`, memberId, rewardId });

  beforeAll(async () => {
    t = await startTestLedger('rewards_http', {}, clock);
    const segment = { description: 'business members', criteria: { type: 'memberType', memberType: 'business' } };
    expect((await t.call('PUT', '/v1/segments/business-club', segment)).status).toBe(201);
    expect((await t.call('PUT', '/v1/program', { ...PROGRAM, rewards })).status).toBe(201);
    await t.call('POST', '/v1/members', { memberId: 'sam', type: 'individual' });
    await t.call('POST', '/v1/members', { memberId: 'gil', type: 'individual' });
    await t.call('POST', '/v1/members', { memberId: 'bea', type: 'business' });
    const upgrade = await t.call('POST', '/v1/purchases', {
      transactionId: 'gil-1',
      memberId: 'gil',
      amountMinor: 100_000,
      currency: 'EUR',
    });
    expect(upgrade.status).toBe(201);
  });
  afterAll(async () => t.close());

  it('returns the catalogue as written and refuses a reward naming an unknown tier', async () => {
    expect((await t.call('GET', '/v1/program')).body.rewards).toEqual(rewards);
    expect((await t.call('PUT', '/v1/program', { ...PROGRAM, rewards })).status).toBe(200);
    const bad = await t.call('PUT', '/v1/program', { ...PROGRAM, rewards: [{ rewardId: 'x', points: 1, tiers: ['platinum'] }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_PROGRAM');
  });

  it('refuses a gold reward to a silver member and grants it to a gold one', async () => {
    const refused = await redeem('sam', 'gold-lounge');
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'REWARD_NOT_ELIGIBLE', details: { rewardId: 'gold-lounge', tier: 'silver' } });
    expect((await redeem('gil', 'gold-lounge')).status).toBe(201);
  });

  it('refuses a segment-reserved reward to a member outside the segment and grants it to one inside', async () => {
    const refused = await redeem('gil', 'club-desk');
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'REWARD_NOT_ELIGIBLE', details: { rewardId: 'club-desk', segment: 'business-club' } });
    expect((await redeem('bea', 'club-desk')).status).toBe(201);
  });

  it('offers a reward only within its window, once a day per member and while in stock, and sells coupon kinds as coupons', async () => {
    const early = await redeem('sam', 'summer-tea');
    expect(early.status).toBe(422);
    expect(early.body.error.code).toBe('REWARD_NOT_AVAILABLE');
    clock.set('2026-07-02T10:00:00.000Z');
    expect((await redeem('sam', 'summer-tea')).status).toBe(201);

    expect((await redeem('sam', 'daily-tea')).status).toBe(201);
    const again = await redeem('sam', 'daily-tea');
    expect(again.status).toBe(422);
    expect(again.body.error).toMatchObject({ code: 'REWARD_LIMIT_REACHED', details: { count: 1, period: 'day' } });
    expect((await redeem('gil', 'daily-tea')).status).toBe(201);
    clock.set('2026-07-03T00:00:00.000Z');
    const nextDay = await redeem('sam', 'daily-tea');
    expect(nextDay.status).toBe(201);

    const lastMug = await redeem('sam', 'last-mug');
    expect(lastMug.status).toBe(201);
    const noMug = await redeem('gil', 'last-mug');
    expect(noMug.status).toBe(422);
    expect(noMug.body.error).toMatchObject({ code: 'REWARD_OUT_OF_STOCK', details: { rewardId: 'last-mug', stock: 1 } });

    const coupon = await redeem('sam', 'two-off');
    expect(coupon.status).toBe(201);
    expect(coupon.body.coupon).toMatchObject({ rewardId: 'two-off', kind: 'amountOff', valueMinor: 200 });
    const balance = await t.call('GET', `/v1/members/sam/balance?minPosition=${coupon.body.position}`);
    // The welcome bonus less three teas, a mug and a coupon: no refusal debited a point.
    expect(balance.body.available).toBe(50);
  });
});
