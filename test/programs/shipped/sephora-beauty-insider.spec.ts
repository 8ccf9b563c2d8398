import { readExample, ScriptedLedger, startScriptedLedger } from './support';

/**
 * A scripted Sephora Beauty Insider year on examples/programs/sephora-beauty-insider.json, every number worked out by
 * hand from the published rules (examples/programs/README.md): 1 point per $1 at every tier; VIB at $350 and Rouge at
 * $1,000 spent in a calendar year in Los Angeles, each status kept for the rest of that year and the whole next one;
 * every point expires after 12 months without a purchase or redemption; 500 points buy $10 off; the $100 reward is
 * Rouge only; a birthday gift at every tier.
 * Times are UTC; Los Angeles is UTC-8 in winter and UTC-7 from March to November.
 */
const PROGRAM = readExample('sephora-beauty-insider.json') as { earning: Record<string, unknown> };
const MULTIPLIER_EVENT = readExample('promotions/sephora-beauty-insider/point-multiplier-event.json') as unknown[];
/** Midnight on 1 January in Los Angeles, where statuses reached in 2026 end. */
const END_OF_2027_LA = '2028-01-01T08:00:00.000Z';
const END_OF_2028_LA = '2029-01-01T08:00:00.000Z';

describe('Sephora Beauty Insider: a scripted member year', () => {
  let s: ScriptedLedger;
  const buy = (memberId: string, transactionId: string, amountMinor: number, occurredAt: string) =>
    s.at(occurredAt, '/v1/purchases', { transactionId, memberId, amountMinor, currency: 'USD' });

  beforeAll(async () => {
    s = await startScriptedLedger('shipped_sephora', PROGRAM, '2026-01-01T08:00:00Z');
    await s.at('2026-01-10T18:00:00Z', '/v1/members', { memberId: 'ada', type: 'individual', birthDate: '1988-12-05' });
    await s.at('2026-06-01T18:00:00Z', '/v1/members', { memberId: 'bea', type: 'individual' });
  });
  afterAll(async () => s.t.close());

  it('earns 1 point per $1 and reaches VIB at $350 spent in the calendar year, until the end of the next one', async () => {
    expect((await buy('ada', 'ada-1', 12_000, '2026-02-14T19:00:00Z')).pointsAccrued).toBe(120);
    expect(await s.profile('ada')).toMatchObject({
      tier: 'insider',
      tierProgress: { qualifyingValue: 12_000, nextTier: 'vib', remainingToNext: 23_000, statusUntil: null }, // $350 - $120
    });
    expect((await buy('ada', 'ada-2', 25_000, '2026-05-01T19:00:00Z')).pointsAccrued).toBe(250); // VIB earns 1 per $1 too
    expect(await s.profile('ada')).toMatchObject({
      tier: 'vib', // $120 + $250 = $370 >= $350
      tierProgress: { qualifyingValue: 37_000, nextTier: 'rouge', remainingToNext: 63_000, statusUntil: END_OF_2027_LA },
    });
  });

  it('keeps the $100 reward for Rouge: a VIB member is refused and nothing is debited', async () => {
    const refused = await s.at(
      '2026-05-02T19:00:00Z',
      '/v1/redemptions',
      { redemptionId: 'ada-rouge-1', memberId: 'ada', rewardId: 'rouge-reward-100-off' },
      422,
    );
    expect(refused.error).toMatchObject({ code: 'REWARD_NOT_ELIGIBLE', details: { tiers: ['rouge'], tier: 'vib' } });
    expect(await s.balance('ada')).toMatchObject({ available: 370, redeemed: 0 });
  });

  it('earns 3x as VIB in a point multiplier event once the promotion is added', async () => {
    s.t.clock.set('2026-07-01T07:00:00Z');
    const withEvent = { ...PROGRAM, earning: { ...PROGRAM.earning, rules: MULTIPLIER_EVENT } };
    expect((await s.t.call('PUT', '/v1/program', withEvent)).status).toBe(201);
    // $100: 100 points, and the VIB rule adds floor(100 x (3 - 1)) = 200; the Insider and Rouge rules do not apply.
    expect((await buy('ada', 'ada-event', 10_000, '2026-07-15T19:00:00Z')).pointsAccrued).toBe(300);
  });

  it('reaches Rouge at $1,000 spent in the year', async () => {
    expect((await buy('ada', 'ada-3', 54_000, '2026-11-20T20:00:00Z')).pointsAccrued).toBe(540); // after the event: 1 per $1
    expect(await s.profile('ada')).toMatchObject({
      tier: 'rouge', // $370 + $100 + $540 = $1,010 >= $1,000
      tierProgress: { qualifyingValue: 101_000, nextTier: null, remainingToNext: null, statusUntil: END_OF_2027_LA },
    });
  });

  it('sells $10 off for 500 points and takes it off at the till; the Rouge reward still needs its 2,500 points', async () => {
    const sold = await s.at('2026-11-21T20:00:00Z', '/v1/redemptions', {
      redemptionId: 'ada-cash-1',
      memberId: 'ada',
      rewardId: 'beauty-insider-cash-10-off',
    });
    expect(sold).toMatchObject({ pointsRedeemed: 500, coupon: { kind: 'amountOff', valueMinor: 1000 } });
    const used = await s.at('2026-11-25T20:00:00Z', '/v1/purchases', {
      transactionId: 'ada-lipsticks',
      memberId: 'ada',
      amountMinor: 3800, // two $24 lipsticks less the $10
      currency: 'USD',
      items: [{ sku: 'lipstick', quantity: 2, unitPriceMinor: 2400 }],
      couponCodes: [sold.coupon.code],
    });
    expect(used).toMatchObject({ pointsAccrued: 38, couponsApplied: [{ discountMinor: 1000 }] }); // on the $38 paid
    // As Rouge she may redeem the $100 reward, but has 120 + 250 + 300 + 540 - 500 + 38 = 748 points.
    const short = await s.at(
      '2026-11-26T20:00:00Z',
      '/v1/redemptions',
      { redemptionId: 'ada-rouge-2', memberId: 'ada', rewardId: 'rouge-reward-100-off' },
      422,
    );
    expect(short.error).toMatchObject({ code: 'INSUFFICIENT_POINTS', details: { requested: 2500, available: 748 } });
  });

  it('gives the birthday gift, here at Rouge, valid for 30 days from the birthday', async () => {
    expect(await s.dailyJob('2026-12-05T20:00:00Z')).toMatchObject({ birthdayBonuses: 1 });
    // 5 December + 30 local days, the birthday first: until midnight on 4 January in Los Angeles (UTC-8 in winter).
    const gift = (await s.coupons('ada')).find((c) => c.rewardId === 'birthday-gift');
    expect(gift).toMatchObject({ kind: 'freeProduct', sku: 'birthday-gift', status: 'active', expiresAt: '2027-01-04T08:00:00.000Z' });
    expect(await s.balance('ada')).toMatchObject({ available: 748 }); // a gift, not points
  });

  it('counts a purchase for the calendar year of Los Angeles, and expires the unused gift', async () => {
    // 21:00 on New Year's Eve in Los Angeles is already 2027 in UTC: the $350 counts for 2026, so VIB lasts through 2027.
    expect((await buy('bea', 'bea-1', 35_000, '2027-01-01T05:00:00Z')).pointsAccrued).toBe(350);
    expect(await s.profile('bea')).toMatchObject({ tier: 'vib', tierProgress: { statusUntil: END_OF_2027_LA } });
    expect(await s.dailyJob('2027-01-05T08:00:00Z')).toMatchObject({ couponsExpired: 1 }); // ada's unused gift
  });

  it('requalifies on the year just closed when the status ends, and expires a whole balance after 12 idle months', async () => {
    expect((await buy('ada', 'ada-4', 40_000, '2027-03-01T20:00:00Z')).pointsAccrued).toBe(400);
    const job = await s.dailyJob('2028-01-02T08:00:00Z');
    // Both statuses ended at midnight on 1 January in Los Angeles. ada spent $400 in 2027: VIB, for 2028 as well (the
    // status counts from the year that just closed). bea spent nothing in 2027 (her $350 was 2026's): back to Insider.
    // bea's last activity was 1 January 2027 05:00 UTC, so her 350 points lapsed 12 months later, hours before.
    expect(job).toMatchObject({ tierChanges: 2, expired: 1 });
    expect(await s.profile('ada')).toMatchObject({
      tier: 'vib',
      tierProgress: { qualifyingValue: 0, nextTier: 'rouge', remainingToNext: 100_000, statusUntil: END_OF_2028_LA },
    });
    expect(await s.profile('bea')).toMatchObject({ tier: 'insider', tierProgress: { statusUntil: null } });
    expect(await s.balance('bea')).toMatchObject({ available: 0, expired: 350 });
    // Every purchase of ada's moved the deadline of all her points: 1 March 2027 + 12 months.
    expect(await s.balance('ada')).toMatchObject({ available: 1148, expired: 0 }); // 748 + 400

    await s.dailyJob('2028-03-02T08:00:00Z');
    expect(await s.balance('ada')).toMatchObject({ available: 0, expired: 1148 }); // all at once, not lot by lot
    const outstandingAt = async (asOf: string) =>
      (await s.t.call('GET', `/v1/audit/liability?asOf=${asOf}`)).body.outstandingPoints as number;
    expect(await outstandingAt('2028-03-01T19:59:59.999Z')).toBe(1148);
    expect(await outstandingAt('2028-03-01T20:00:00.000Z')).toBe(0);
  });
});
