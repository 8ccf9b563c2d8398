import { readExample, ScriptedLedger, startScriptedLedger } from './support';

/**
 * A scripted Starbucks Rewards year on examples/programs/starbucks-rewards.json, every number worked out by hand from
 * the published rules (examples/programs/README.md): 1 Star per $1 at Green, 1.2 at Gold, 1.7 at Reserve, the floor of
 * the purchase's total; Gold at 500 and Reserve at 2,500 Stars earned in a rolling 12 months, right after the purchase
 * that crosses (which earns at the old tier), each status held 12 months; Green Stars expire after 6 months without
 * a purchase, a redemption or a card reload, Gold and Reserve Stars never; a $30 reload earns 10 Stars, a $50 one 25;
 * 60 Stars buy $2 off; the birthday treat is valid on the day at Green and for 30 days at Reserve.
 * Times are UTC; Los Angeles is UTC-7 from March to November.
 */
const PROGRAM = readExample('starbucks-rewards.json') as { earning: Record<string, unknown> };
const DOUBLE_STAR_DAYS = [
  ...(readExample('promotions/starbucks-rewards/double-star-day.json') as unknown[]),
  ...(readExample('promotions/starbucks-rewards/gold-reserve-double-star-day.json') as unknown[]),
];

describe('Starbucks Rewards: a scripted member year', () => {
  let s: ScriptedLedger;
  const buy = (memberId: string, transactionId: string, amountMinor: number, occurredAt: string) =>
    s.at(occurredAt, '/v1/purchases', { transactionId, memberId, amountMinor, currency: 'USD' });

  beforeAll(async () => {
    s = await startScriptedLedger('shipped_starbucks', PROGRAM, '2026-03-10T07:00:00Z');
    await s.at('2026-03-10T17:00:00Z', '/v1/members', { memberId: 'sam', type: 'individual', birthDate: '1990-07-14' });
    await s.at('2026-03-10T17:05:00Z', '/v1/members', { memberId: 'gia', type: 'individual', birthDate: '1995-07-20' });
  });
  afterAll(async () => s.t.close());

  it('earns 1 Star per $1 at Green, the floor of the total, and stays Green below 500 Stars', async () => {
    expect((await buy('sam', 'sam-1', 12_000, '2026-03-12T15:00:00Z')).pointsAccrued).toBe(120); // $120.00 x 1
    expect((await buy('gia', 'gia-1', 3000, '2026-03-20T15:00:00Z')).pointsAccrued).toBe(30); // $30.00 x 1
    expect((await buy('sam', 'sam-2', 25_050, '2026-04-20T15:00:00Z')).pointsAccrued).toBe(250); // floor($250.50 x 1)
    expect(await s.profile('sam')).toMatchObject({
      tier: 'green',
      tierProgress: { qualifyingValue: 370, nextTier: 'gold', remainingToNext: 130, statusUntil: null }, // 120 + 250; 500 - 370
    });
  });

  it('doubles a Green purchase on a Double Star Day once the promotions are added, and only that day', async () => {
    const withPromotion = { ...PROGRAM, earning: { ...PROGRAM.earning, rules: DOUBLE_STAR_DAYS } };
    s.t.clock.set('2026-04-01T07:00:00Z');
    expect((await s.t.call('PUT', '/v1/program', withPromotion)).status).toBe(201);
    // 11:00 on 15 April in Los Angeles: base floor($5.60 x 1) = 5, and the Double Star Day adds floor(5 x (2 - 1)) = 5.
    expect((await buy('gia', 'gia-dsd', 560, '2026-04-15T18:00:00Z')).pointsAccrued).toBe(10);
    // 00:30 on 16 April in Los Angeles (still the 15th in UTC): the day is over, 5 Stars only.
    expect((await buy('gia', 'gia-after', 560, '2026-04-16T07:30:00Z')).pointsAccrued).toBe(5);
  });

  it('upgrades to Gold right after the purchase that crosses 500 Stars, which earns at Green', async () => {
    // floor($140.75 x 1) = 140 at Green: 120 + 250 + 140 = 510 Stars in 12 months >= 500.
    expect((await buy('sam', 'sam-3', 14_075, '2026-05-15T15:00:00Z')).pointsAccrued).toBe(140);
    expect(await s.profile('sam')).toMatchObject({
      tier: 'gold',
      tierProgress: { qualifyingValue: 510, nextTier: 'reserve', remainingToNext: 1990, statusUntil: '2027-05-15T15:00:00.000Z' },
    });
    // floor($8.45 x 1.2) = floor(10.14) = 10: one floor of the total, not 8 whole dollars x 1.2 = 9.
    expect((await buy('sam', 'sam-4', 845, '2026-05-20T15:00:00Z')).pointsAccrued).toBe(10);
    // The Double Star Day for Gold and Reserve: floor($10 x 1.2) = 12, once more 12. gia, at Green, earns $10 x 1 only.
    expect((await buy('sam', 'sam-dsd', 1000, '2026-05-27T18:00:00Z')).pointsAccrued).toBe(24);
    expect((await buy('gia', 'gia-dsd-gold', 1000, '2026-05-27T18:00:00Z')).pointsAccrued).toBe(10);
  });

  it('upgrades to Reserve at 2,500 Stars, the crossing purchase earning at Gold, and earns 1.7 after', async () => {
    // floor($1,650 x 1.2) = 1,980 at Gold: 510 + 10 + 24 + 1,980 = 2,524 >= 2,500.
    expect((await buy('sam', 'sam-5', 165_000, '2026-06-10T15:00:00Z')).pointsAccrued).toBe(1980);
    expect(await s.profile('sam')).toMatchObject({
      tier: 'reserve',
      tierProgress: { qualifyingValue: 2524, nextTier: null, remainingToNext: null, statusUntil: '2027-06-10T15:00:00.000Z' },
    });
    expect((await buy('sam', 'sam-6', 999, '2026-06-11T15:00:00Z')).pointsAccrued).toBe(16); // floor($9.99 x 1.7) = floor(16.983)
    // 120 + 250 + 140 earned at Green, 10 + 24 + 1,980 at Gold, 16 at Reserve.
    expect(await s.balance('sam')).toMatchObject({ available: 2540, expired: 0, tier: 'reserve' });
  });

  it('sells $2 off for 60 Stars and takes it off a purchase at the till, which earns on what was paid', async () => {
    const sold = await s.at('2026-06-20T15:00:00Z', '/v1/redemptions', {
      redemptionId: 'sam-two-off',
      memberId: 'sam',
      rewardId: 'two-dollars-off-60',
    });
    // The catalogue gives no validDays: the ledger's default of 30 days.
    expect(sold).toMatchObject({
      pointsRedeemed: 60,
      coupon: { kind: 'amountOff', valueMinor: 200, expiresAt: '2026-07-20T15:00:00.000Z' },
    });
    const latte = [{ sku: 'latte', quantity: 1, unitPriceMinor: 650 }];
    const used = await s.at('2026-06-21T15:00:00Z', '/v1/purchases', {
      transactionId: 'sam-latte',
      memberId: 'sam',
      amountMinor: 450, // $6.50 less the $2
      currency: 'USD',
      items: latte,
      couponCodes: [sold.coupon.code],
    });
    expect(used).toMatchObject({ pointsAccrued: 7, couponsApplied: [{ code: sold.coupon.code, discountMinor: 200 }] }); // floor($4.50 x 1.7)
    // 2,540 - 60 + 7. The 60 came out of the Green Stars, which expire first (Reserve Stars never do).
    expect(await s.balance('sam')).toMatchObject({ available: 2487, redeemed: 60 });
  });

  it('gives each member the birthday treat of their tier: the day itself at Green, 30 days at Reserve', async () => {
    expect(await s.dailyJob('2026-07-14T20:00:00Z')).toMatchObject({ birthdayBonuses: 1 }); // sam, at Reserve
    expect(await s.dailyJob('2026-07-20T20:00:00Z')).toMatchObject({ birthdayBonuses: 1 }); // gia, at Green
    // Windows in local days, the birthday first: 30 days from 14 July end at midnight on 13 August in Los Angeles;
    // gia's one day ends at midnight after 20 July there.
    const [samsTreat] = await s.coupons('sam').then((all) => all.filter((c) => c.rewardId === 'birthday-treat'));
    expect(samsTreat).toMatchObject({
      kind: 'freeProduct',
      sku: 'birthday-treat',
      status: 'active',
      expiresAt: '2026-08-13T07:00:00.000Z',
    });
    const [giasTreat] = await s.coupons('gia');
    expect(giasTreat).toMatchObject({ rewardId: 'birthday-treat', status: 'active', expiresAt: '2026-07-21T07:00:00.000Z' });

    // The till rings her chosen item as the treat's SKU; the coupon takes that unit off, and she pays for the cookie.
    const basket = [
      { sku: 'birthday-treat', quantity: 1, unitPriceMinor: 595 },
      { sku: 'cookie', quantity: 1, unitPriceMinor: 300 },
    ];
    const treat = await s.at('2026-07-20T21:00:00Z', '/v1/purchases', {
      transactionId: 'gia-birthday',
      memberId: 'gia',
      amountMinor: 300,
      currency: 'USD',
      items: basket,
      couponCodes: [giasTreat.code],
    });
    expect(treat).toMatchObject({ pointsAccrued: 3, couponsApplied: [{ code: giasTreat.code, discountMinor: 595 }] }); // floor($3)

    // sam never used his: the daily job after 13 August expires it.
    expect(await s.dailyJob('2026-08-14T08:00:00Z')).toMatchObject({ couponsExpired: 1 });
    expect(await s.coupons('sam')).toEqual([
      expect.objectContaining({ rewardId: 'two-dollars-off-60', status: 'used', usedBy: 'sam-latte' }),
      expect.objectContaining({ rewardId: 'birthday-treat', status: 'expired' }),
    ]);
  });

  it('expires Green Stars 6 months after the last purchase or reload, dated then, and never Gold or Reserve Stars', async () => {
    await buy('gia', 'gia-2', 1250, '2026-08-01T15:00:00Z'); // floor($12.50) = 12, and gia's Green Stars now last to 1 February
    // A $50 card reload: 25 bonus Stars, and an activity that moves all her Green Stars to 1 May.
    await s.at('2026-11-01T15:00:00Z', '/v1/members/gia/actions', { actionId: 'gia-reload-1', type: 'card-reload-50' });
    const outstandingAt = async (asOf: string) =>
      (await s.t.call('GET', `/v1/audit/liability?asOf=${asOf}`)).body.outstandingPoints as number;
    // sam's last activity was the purchase of 21 June 15:00 UTC, counted even at Reserve: his Green Stars lapse 6 months on.
    expect(await s.dailyJob('2026-12-22T08:00:00Z')).toMatchObject({ expired: 3 }); // sam's three Green lots
    expect(await s.balance('sam')).toMatchObject({ available: 2037, expired: 450 }); // 120 + 250 + 140 - 60 Green; 2,487 - 450
    // gia's Stars from March and April outlived their own 6 months because she kept buying: 30 + 10 + 5 + 10 + 3 + 12 + 25.
    expect(await s.balance('gia')).toMatchObject({ available: 95, expired: 0 });
    expect(await outstandingAt('2026-12-21T14:59:59.999Z')).toBe(2487 + 95);
    expect(await outstandingAt('2026-12-21T15:00:00.000Z')).toBe(2037 + 95);

    // Without the reload her Stars would have gone on 1 February.
    expect(await s.dailyJob('2027-02-02T08:00:00Z')).toMatchObject({ expired: 0 });
    await s.dailyJob('2027-05-02T08:00:00Z');
    expect(await s.balance('gia')).toMatchObject({ available: 0, expired: 95 }); // 1 November + 6 months, nothing since
    expect(await outstandingAt('2027-05-01T14:59:59.999Z')).toBe(2037 + 95);
    expect(await outstandingAt('2027-05-01T15:00:00.000Z')).toBe(2037);
  });

  it('ends Reserve after 12 months on the Stars of the 12 months then closing, and keeps the Stars earned at Gold and Reserve', async () => {
    // At 10 June 2027 15:00 the window is the 12 months after 10 June 2026 15:00: sam-5 falls just outside; sam-6 (16) and
    // the latte (7) are in.
    const job = await s.dailyJob('2027-06-11T08:00:00Z');
    expect(job).toMatchObject({ tierChanges: 1 });
    expect(await s.profile('sam')).toMatchObject({
      tier: 'green',
      tierProgress: { qualifyingValue: 23, nextTier: 'gold', remainingToNext: 477, statusUntil: null }, // Green never ends
    });
    expect(await s.balance('sam')).toMatchObject({ available: 2037, expired: 450 });
    expect((await buy('sam', 'sam-7', 1000, '2027-06-15T15:00:00Z')).pointsAccrued).toBe(10); // back at 1 Star per $1
  });
});
