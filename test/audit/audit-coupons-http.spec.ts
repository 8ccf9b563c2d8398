import { KEYS, PROGRAM, startTestLedger, TestLedger } from '../support/ledger';

/** 100 points a coupon of 200 off, 150 points one of 10 %: at 2 minor units a point the latter is valued 300 (docs/audit.md). */
const REWARDS = [
  { rewardId: 'two-off', points: 100, kind: 'amountOff', valueMinor: 200 },
  { rewardId: 'ten-pct', points: 150, kind: 'percentOff', percent: 10 },
];
const BASKET = [
  { sku: 'latte', quantity: 1, unitPriceMinor: 450 },
  { sku: 'cake', quantity: 1, unitPriceMinor: 550 },
];

/** Coupons in the audit, the reconciliation and the KPIs, over HTTP against the real app, store and projector. */
describe('coupons in the audit and the KPIs (HTTP, end to end)', () => {
  let t: TestLedger;
  let position = 0;
  const auditor = { key: KEYS.auditor };
  const write = async (path: string, body: unknown) => {
    const response = await t.call('POST', path, body, { key: KEYS.pos });
    expect(response.status).toBe(201);
    position = Math.max(position, response.body.position);
    return response.body;
  };

  beforeAll(async () => {
    t = await startTestLedger('audit_coupons');
    expect((await t.call('PUT', '/v1/program', { ...PROGRAM, pointValueMinor: 2, rewards: REWARDS })).status).toBe(201);
    await write('/v1/members', { memberId: 'cp-1', type: 'individual', occurredAt: t.clock.daysAgo(6) }); // 100 welcome
    await write('/v1/purchases', {
      transactionId: 'cp-tx-0',
      memberId: 'cp-1',
      amountMinor: 20_000,
      currency: 'EUR',
      occurredAt: t.clock.daysAgo(6),
    });
    const twoOff = await write('/v1/redemptions', {
      redemptionId: 'cp-r-1',
      memberId: 'cp-1',
      rewardId: 'two-off',
      occurredAt: t.clock.daysAgo(5),
    });
    await write('/v1/redemptions', { redemptionId: 'cp-r-2', memberId: 'cp-1', rewardId: 'ten-pct', occurredAt: t.clock.daysAgo(4) });
    const used = await write('/v1/purchases', {
      transactionId: 'cp-tx-1',
      memberId: 'cp-1',
      amountMinor: 800,
      currency: 'EUR',
      items: BASKET,
      couponCodes: [twoOff.coupon.code],
      occurredAt: t.clock.daysAgo(2),
    });
    expect(used.couponsApplied).toEqual([{ code: twoOff.coupon.code, discountMinor: 200 }]);
  });
  afterAll(async () => t.close());

  it('values the active coupons as of any instant beside the points, in JSON and CSV', async () => {
    const before = await t.call('GET', `/v1/audit/liability?asOf=${encodeURIComponent(t.clock.daysAgo(3))}`, undefined, auditor);
    expect(before.status).toBe(200);
    // 100 welcome + 200 earned - 100 - 150 redeemed = 50 points at 2 each; coupons 200 + 150 points x 2.
    expect(before.body).toMatchObject({
      liabilityMinor: 100,
      couponLiabilityMinor: 500,
      coupons: { active: 2, liabilityMinor: 500, awaitingExpiryRecord: 0 },
    });
    expect(before.body.totalLiabilityMinor).toBe(600);
    const now = await t.call('GET', '/v1/audit/liability', undefined, auditor);
    expect(now.body).toMatchObject({ couponLiabilityMinor: 300, coupons: { active: 1 } });
    const csv = await t.call('GET', '/v1/audit/liability', undefined, { ...auditor, headers: { accept: 'text/csv' } });
    expect(String(csv.body).split('\n')).toContain(',couponLiabilityMinor,300');
  });

  it('rolls the coupons forward over a period and reconciles them with the read models', async () => {
    const from = encodeURIComponent(t.clock.daysAgo(7));
    const rolled = await t.call(
      'GET',
      `/v1/audit/roll-forward?from=${from}&to=${encodeURIComponent(t.clock.daysAgo(0))}`,
      undefined,
      auditor,
    );
    expect(rolled.status).toBe(200);
    expect(rolled.body.coupons).toEqual({
      count: { opening: 0, issued: 2, used: 1, expired: 0, cancelled: 0, closing: 1 },
      valueMinor: { opening: 0, issued: 500, used: 200, expired: 0, cancelled: 0, closing: 300 },
      usedDiscountMinor: 200,
      awaitingExpiryRecord: 0,
    });
    await t.caughtUp(position);
    const reconciliation = await t.call('GET', '/v1/audit/reconciliation', undefined, auditor);
    expect(reconciliation.body.healthy).toBe(true);
    expect(reconciliation.body.readModels.coupons.totals.readModel).toMatchObject({ issued: 2, active: 1, used: 1, active_value_minor: 0 });
    expect(reconciliation.body.readModels.kpiCoupons.totals.eventLog).toMatchObject({ issued: 2, used: 1, ms_to_use: 3 * 86_400_000 });
  });

  it('reports coupons issued and used, the use rate and the days to use on /v1/kpis', async () => {
    const from = t.clock.daysAgo(10).slice(0, 10);
    const kpis = await t.call('GET', `/v1/kpis?from=${from}&granularity=month&minPosition=${position}`, undefined, { key: KEYS.analyst });
    expect(kpis.status).toBe(200);
    const total = (field: string) => kpis.body.buckets.reduce((s: number, b: Record<string, number>) => s + b[field]!, 0);
    expect([total('couponsIssued'), total('couponsUsed')]).toEqual([2, 1]);
    const usedIn = kpis.body.buckets.find((b: { couponsUsed: number }) => b.couponsUsed === 1);
    expect(usedIn).toMatchObject({ meanDaysToUse: 3, medianDaysToUse: 3 });
  });
});
