import { KEYS, PROGRAM, startTestLedger, TestLedger } from '../support/ledger';
import { TEST_NOW } from '../support/clock';

const REWARDS = [{ rewardId: 'two-off', points: 100, kind: 'amountOff', valueMinor: 200, validDays: 10 }];
const DAY_MS = 86_400_000;

/** One sample of the Prometheus text: the series `name{labels}` (no labels: the bare name), 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

/**
 * /metrics as Prometheus scrapes it: every series named loyalty_*, counters
 * named *_total, business counters that move by exactly what the events
 * appended say (once, not again on a repeated request), for the admin key only.
 */
describe('metrics', () => {
  let t: TestLedger;
  const scrape = async () => {
    const response = await t.call('GET', '/metrics');
    expect(response.status).toBe(200);
    return String(response.body);
  };
  const delta = async (series: readonly string[], act: () => Promise<void>) => {
    const before = await scrape();
    await act();
    const after = await scrape();
    return series.map((s) => sample(after, s) - sample(before, s));
  };

  beforeAll(async () => {
    t = await startTestLedger('metrics');
    expect((await t.call('PUT', '/v1/program', { ...PROGRAM, rewards: REWARDS })).status).toBe(201);
    expect((await t.call('POST', '/v1/members', { memberId: 'metrics-1', type: 'individual' })).status).toBe(201);
  });
  afterAll(async () => t.close());

  it('serves metrics to the admin key only', async () => {
    expect((await t.call('GET', '/metrics', undefined, { key: null })).status).toBe(401);
    expect((await t.call('GET', '/metrics', undefined, { key: KEYS.pos })).status).toBe(403);
    expect((await t.call('GET', '/metrics', undefined, { key: KEYS.analyst })).status).toBe(403);
    expect((await t.call('GET', '/metrics', undefined, { key: KEYS.admin })).status).toBe(200);
  });

  it('names every series loyalty_* and every counter *_total', async () => {
    const text = await scrape();
    const names = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map(([, name, type]) => ({ name: name!, type: type! }));
    expect(names.length).toBeGreaterThan(20);
    expect(names.filter(({ name }) => !name.startsWith('loyalty_'))).toEqual([]);
    expect(names.filter(({ name, type }) => type === 'counter' && !name.endsWith('_total'))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining([{ name: 'loyalty_kafka_relay_dead_letters_total', type: 'counter' }]));
  });

  it('counts a purchase and its points once, and nothing for its repeat', async () => {
    const purchase = { transactionId: 'metrics-tx-1', memberId: 'metrics-1', amountMinor: 4250, currency: 'EUR' };
    let pointsAccrued = 0;
    const series = ['loyalty_purchases_total', 'loyalty_points_issued_total{source="purchase"}'];
    expect(
      await delta(series, async () => {
        const response = await t.call('POST', '/v1/purchases', purchase, { key: KEYS.pos });
        expect(response.status).toBe(201);
        pointsAccrued = response.body.pointsAccrued as number;
      }),
    ).toEqual([1, pointsAccrued]);
    expect(pointsAccrued).toBeGreaterThan(0);
    expect(
      await delta(series, async () => {
        expect((await t.call('POST', '/v1/purchases', purchase, { key: KEYS.pos })).status).toBe(200);
      }),
    ).toEqual([0, 0]);
  });

  it('counts the points of a redemption, the coupon it sells and the coupon used at the till', async () => {
    let code = '';
    expect(
      await delta(['loyalty_points_redeemed_total', 'loyalty_coupons_issued_total'], async () => {
        const response = await t.call('POST', '/v1/redemptions', {
          redemptionId: 'metrics-rd-1',
          memberId: 'metrics-1',
          rewardId: 'two-off',
        });
        expect(response.status).toBe(201);
        code = response.body.coupon.code as string;
      }),
    ).toEqual([100, 1]);
    expect(
      await delta(['loyalty_coupons_used_total'], async () => {
        const basket = [
          { sku: 'latte', quantity: 1, unitPriceMinor: 450 },
          { sku: 'cake', quantity: 1, unitPriceMinor: 550 },
        ];
        // amountMinor is what was paid after the coupon: the basket's 1000 less its 200.
        const purchase = {
          transactionId: 'metrics-tx-2',
          memberId: 'metrics-1',
          amountMinor: 800,
          currency: 'EUR',
          items: basket,
          couponCodes: [code],
        };
        expect((await t.call('POST', '/v1/purchases', purchase, { key: KEYS.pos })).status).toBe(201);
      }),
    ).toEqual([1]);
  });

  it('counts the points the daily job expires', async () => {
    const enrolledAt = new Date(Date.parse(TEST_NOW) - 400 * DAY_MS).toISOString();
    const series = ['loyalty_points_issued_total{source="welcome"}', 'loyalty_points_expired_total'];
    expect(
      await delta(series, async () => {
        const enrol = await t.call('POST', '/v1/members', { memberId: 'metrics-old', type: 'individual', occurredAt: enrolledAt });
        expect(enrol.status).toBe(201);
        const job = await t.call('POST', `/v1/admin/jobs/expire?minPosition=${enrol.body.position}`, {});
        expect(job.body).toMatchObject({ expired: 1 });
      }),
    ).toEqual([PROGRAM.earning.welcomeBonus, PROGRAM.earning.welcomeBonus]);
  });
});
