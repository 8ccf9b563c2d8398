import { KEYS, PROGRAM, startTestLedger, TestLedger } from '../support/ledger';

/** Coupons end to end over HTTP (docs/programs/coupons.md): sold for points, issued by an admin and on birthdays, used at the till, reversed, refunded, expired. */
const REWARDS = [
  { rewardId: 'free-coffee', points: 250 },
  { rewardId: 'two-off', points: 100, kind: 'amountOff', valueMinor: 200, validDays: 10 },
  { rewardId: 'birthday-drink', points: 0, kind: 'freeProduct', sku: 'latte', redeemable: false },
];
const TIERS = [
  { name: 'silver', minSpendMinor: 0, multiplier: 1, birthdayReward: { rewardId: 'birthday-drink', validDays: 7 } },
  { name: 'gold', minSpendMinor: 100_000, multiplier: 1.5, upgradeReward: { rewardId: 'two-off' } },
];
const BASKET = [
  { sku: 'latte', quantity: 1, unitPriceMinor: 450 },
  { sku: 'cake', quantity: 1, unitPriceMinor: 550 },
];
const CODE_FORMAT = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/;

describe('coupons over HTTP', () => {
  let t: TestLedger;
  let ids = 0;
  const nextId = (prefix: string) => `${prefix}-${(ids += 1)}`;
  const pos = { key: KEYS.pos };

  const redeemTwoOff = async (memberId: string) => {
    const response = await t.call('POST', '/v1/redemptions', { redemptionId: nextId('rd'), memberId, rewardId: 'two-off' }, pos);
    expect(response.status).toBe(201);
    return response.body as { redemptionId: string; pointsRedeemed: number; position: number; coupon: { code: string } };
  };
  const buy = (memberId: string, couponCodes: string[], amountMinor = 800, transactionId = nextId('tx')) =>
    t.call('POST', '/v1/purchases', { transactionId, memberId, amountMinor, currency: 'EUR', items: BASKET, couponCodes }, pos);
  const coupon = async (code: string, position: number) => {
    const response = await t.call('GET', `/v1/coupons/${encodeURIComponent(code)}?minPosition=${position}`, undefined, pos);
    expect(response.status).toBe(200);
    return response.body as { status: string; usedBy?: string; memberId: string };
  };

  beforeAll(async () => {
    t = await startTestLedger('coupons_http');
    const rules = [{ ruleId: 'gift-card-thanks', when: { skus: ['gift-card'] }, effect: { coupon: { rewardId: 'two-off' } } }];
    const program = { ...PROGRAM, earning: { ...PROGRAM.earning, rules }, tiers: TIERS, rewards: REWARDS };
    expect((await t.call('PUT', '/v1/program', program)).status).toBe(201);
    for (const memberId of ['ann', 'bob']) {
      expect((await t.call('POST', '/v1/members', { memberId, type: 'individual', birthDate: '1990-06-03' })).status).toBe(201);
      expect(
        (await t.call('POST', '/v1/purchases', { transactionId: `${memberId}-0`, memberId, amountMinor: 50_000, currency: 'EUR' })).status,
      ).toBe(201);
    }
  });
  afterAll(async () => t.close());

  it('sells a coupon reward for its points and answers the coupon, which the till finds by its code in any case', async () => {
    const sold = await redeemTwoOff('ann');
    expect(sold).toMatchObject({
      pointsRedeemed: 100,
      coupon: { rewardId: 'two-off', kind: 'amountOff', valueMinor: 200, expiresAt: '2026-06-11T12:00:00.000Z' },
    });
    expect(sold.coupon.code).toMatch(CODE_FORMAT);
    const repeated = await t.call(
      'POST',
      '/v1/redemptions',
      { redemptionId: sold.redemptionId, memberId: 'ann', rewardId: 'two-off' },
      pos,
    );
    expect(repeated.status).toBe(200);
    expect(repeated.body.coupon).toEqual(sold.coupon);
    const typed = sold.coupon.code.toLowerCase().replace(/-/g, ' ');
    expect(await coupon(typed, sold.position)).toMatchObject({
      code: sold.coupon.code,
      memberId: 'ann',
      rewardId: 'two-off',
      status: 'active',
      valueMinor: 200,
    });
    const notSold = await t.call(
      'POST',
      '/v1/redemptions',
      { redemptionId: nextId('rd'), memberId: 'ann', rewardId: 'birthday-drink' },
      pos,
    );
    expect(notSold.status).toBe(422);
    expect(notSold.body.error.code).toBe('REWARD_NOT_AVAILABLE');
  });

  it('refuses another member’s code without naming its owner, and an unknown code', async () => {
    const { coupon: annsCoupon } = await redeemTwoOff('ann');
    const foreign = await buy('bob', [annsCoupon.code]);
    expect(foreign.status).toBe(422);
    expect(foreign.body.error).toEqual({ code: 'COUPON_NOT_OWNED', message: expect.any(String), details: { code: annsCoupon.code } });
    expect(JSON.stringify(foreign.body)).not.toContain('ann');
    const unknown = await buy('bob', ['0000-0000-0000-0000']);
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe('COUPON_NOT_FOUND');
  });

  it('lets exactly one of several purchases racing for one coupon win; the winner records the discount and earns on what was paid', async () => {
    const { coupon: raced } = await redeemTwoOff('ann');
    const racers = await Promise.all(Array.from({ length: 8 }, () => buy('ann', [raced.code])));
    const won = racers.filter((r) => r.status === 201);
    expect(won).toHaveLength(1);
    expect(racers.filter((r) => r.status === 422).map((r) => r.body.error.code)).toEqual(Array(7).fill('COUPON_NOT_ACTIVE'));
    const winner = won[0]!.body as { transactionId: string; position: number };
    expect(winner).toMatchObject({ pointsAccrued: 8, couponsApplied: [{ code: raced.code, discountMinor: 200 }] });
    expect(await coupon(raced.code, winner.position)).toMatchObject({ status: 'used', usedBy: winner.transactionId });
    const retried = await buy('ann', [raced.code], 800, winner.transactionId);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ couponsApplied: [{ code: raced.code, discountMinor: 200 }], position: winner.position });
    const tooMuch = await buy('ann', [(await redeemTwoOff('ann')).coupon.code], 801);
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error).toMatchObject({
      code: 'AMOUNT_EXCEEDS_DISCOUNTED_BASKET',
      details: { basketMinor: 1000, discountMinor: 200 },
    });
  });

  it('cancels an active coupon when its redemption is reversed and refuses once it was used; a refund leaves it used', async () => {
    const active = await redeemTwoOff('bob');
    const reversed = await t.call('POST', `/v1/redemptions/${active.redemptionId}/reversal`, {}, pos);
    expect(reversed.status).toBe(201);
    expect(reversed.body.pointsRestored).toBe(100);
    expect(await coupon(active.coupon.code, reversed.body.position)).toMatchObject({ status: 'cancelled' });

    const used = await redeemTwoOff('bob');
    const purchase = await buy('bob', [used.coupon.code]);
    expect(purchase.status).toBe(201);
    const refused = await t.call('POST', `/v1/redemptions/${used.redemptionId}/reversal`, {}, pos);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'COUPON_ALREADY_USED', details: { redemptionId: used.redemptionId } });

    const refund = await t.call(
      'POST',
      `/v1/purchases/${purchase.body.transactionId}/refunds`,
      { refundId: nextId('rf'), amountMinor: 800 },
      pos,
    );
    expect(refund.status).toBe(201);
    expect(refund.body.pointsClawedBack).toBe(8);
    expect(await coupon(used.coupon.code, refund.body.position)).toMatchObject({ status: 'used' });
  });

  it('lets an admin issue a coupon not sold for points, idempotently on couponId; a till may not', async () => {
    const body = { couponId: 'sorry-1', rewardId: 'birthday-drink', reason: 'late order' };
    const issued = await t.call('POST', '/v1/members/bob/coupons', body);
    expect(issued.status).toBe(201);
    expect(issued.body.coupon).toMatchObject({ rewardId: 'birthday-drink', kind: 'freeProduct', sku: 'latte' });
    const again = await t.call('POST', '/v1/members/bob/coupons', body);
    expect(again.status).toBe(200);
    expect(again.body.coupon.code).toBe(issued.body.coupon.code);
    expect((await t.call('POST', '/v1/members/bob/coupons', { ...body, reason: 'another' })).status).toBe(409);
    expect((await t.call('POST', '/v1/members/bob/coupons', { ...body, couponId: 'sorry-2' }, pos)).status).toBe(403);
    const latte = await buy('bob', [issued.body.coupon.code], 550);
    expect(latte.status).toBe(201);
    expect(latte.body.couponsApplied).toEqual([{ code: issued.body.coupon.code, discountMinor: 450 }]);
  });

  it('issues the tier’s birthday coupon and expires coupons by the daily job, each at its own expiry', async () => {
    const { coupon: lapsing, position } = await redeemTwoOff('ann');
    t.clock.set('2026-06-05T00:00:00.000Z');
    const birthday = await t.call('POST', `/v1/admin/jobs/expire?minPosition=${position}`, {});
    expect(birthday.body).toMatchObject({ birthdayBonuses: 2, couponsExpired: 0 });
    t.clock.set('2026-06-20T00:00:00.000Z');
    const expiry = await t.call('POST', `/v1/admin/jobs/expire?minPosition=${birthday.body.position}`, {});
    // Every coupon still active: the two-off ones sold so far and the two birthday drinks.
    expect(expiry.body.couponsExpired).toBeGreaterThanOrEqual(3);
    expect(await coupon(lapsing.code, expiry.body.position)).toMatchObject({ status: 'expired' });
    const gifts = await t.call('GET', `/v1/members/ann/coupons?status=expired&minPosition=${expiry.body.position}`, undefined, pos);
    expect(gifts.body.coupons).toContainEqual(
      expect.objectContaining({ rewardId: 'birthday-drink', expiresAt: '2026-06-10T00:00:00.000Z' }),
    );
    const again = await t.call('POST', `/v1/admin/jobs/expire?minPosition=${expiry.body.position}`, {});
    expect(again.body).toMatchObject({ couponsExpired: 0, birthdayBonuses: 0 });
  });

  it('gives a coupon of the tier’s upgrade reward to a member who reaches the tier', async () => {
    expect((await t.call('POST', '/v1/members', { memberId: 'cy', type: 'individual' })).status).toBe(201);
    const upgrade = await t.call(
      'POST',
      '/v1/purchases',
      { transactionId: 'cy-1', memberId: 'cy', amountMinor: 100_000, currency: 'EUR' },
      pos,
    );
    expect(upgrade.status).toBe(201);
    const listed = await t.call('GET', `/v1/members/cy/coupons?minPosition=${upgrade.body.position}`, undefined, pos);
    expect(listed.body.coupons).toEqual([
      expect.objectContaining({ memberId: 'cy', rewardId: 'two-off', status: 'active', valueMinor: 200 }),
    ]);
    expect((await t.call('GET', '/v1/members/cy/coupons?status=lost', undefined, pos)).status).toBe(400);
  });

  it('gives a coupon for a purchase an earning rule with a coupon effect applies to, and takes it back with a full refund', async () => {
    expect((await t.call('POST', '/v1/members', { memberId: 'dee', type: 'individual' })).status).toBe(201);
    const items = [{ sku: 'gift-card', quantity: 1, unitPriceMinor: 2500 }];
    const bought = await t.call(
      'POST',
      '/v1/purchases',
      { transactionId: 'dee-1', memberId: 'dee', amountMinor: 2500, currency: 'EUR', items },
      pos,
    );
    expect(bought.status).toBe(201);
    const given = await t.call('GET', `/v1/members/dee/coupons?minPosition=${bought.body.position}`, undefined, pos);
    expect(given.body.coupons).toEqual([expect.objectContaining({ rewardId: 'two-off', status: 'active' })]);
    const refund = await t.call('POST', '/v1/purchases/dee-1/refunds', { refundId: 'dee-rf', amountMinor: 2500 }, pos);
    expect(refund.status).toBe(201);
    const taken = await t.call('GET', `/v1/members/dee/coupons?minPosition=${refund.body.position}`, undefined, pos);
    expect(taken.body.coupons).toEqual([expect.objectContaining({ rewardId: 'two-off', status: 'cancelled' })]);
  });

  it('limits wrong codes per API key: once spent, even a right code is refused until the bucket refills', async () => {
    const { coupon: right, position } = await redeemTwoOff('ann');
    await coupon(right.code, position);
    const answers: number[] = [];
    for (let i = 0; i < 12; i += 1)
      answers.push((await t.call('GET', `/v1/coupons/ZZZZ-ZZZZ-ZZZZ-${String(i).padStart(4, '0')}`, undefined, pos)).status);
    expect(answers.slice(0, 10)).toEqual(Array(10).fill(404));
    expect(answers.slice(10)).toEqual([429, 429]);
    const blocked = await t.call('GET', `/v1/coupons/${right.code}`, undefined, pos);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('COUPON_GUESSES_RATE_LIMITED');
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await buy('ann', [right.code])).status).toBe(429);
    expect((await t.call('GET', `/v1/coupons/${right.code}`)).status).toBe(200);
  });
});
