import { READ_MODEL_SCHEMA as S } from '@loyalty/read-models';
import { KpiQueries } from '../../apps/ledger-api/src/analytics/kpi-queries';
import { ARBITRARY_REWARDS, RECEIVED_AT } from '../../libs/domain/src/testing/arbitrary-history';
import { policy } from '../../libs/domain/src/testing/fixtures';
import { enrol, issueCoupon, purchase, redeem } from '../../libs/domain/src/testing/member-commands';
import { analyticsLog } from './support';

const day = (n: number) => new Date(Date.parse('2026-03-02T10:00:00Z') + n * 86_400_000).toISOString();
const inForce = { version: 1, policy: policy({ rewards: [...ARBITRARY_REWARDS] }) };
const at = (n: number) => ({ memberId: 'k1', occurredAt: day(n), receivedAt: RECEIVED_AT, program: inForce });
const basket = [
  { sku: 'cookie', category: 'food', quantity: 1, unitPriceMinor: 300 },
  { sku: 'bag', category: 'goods', quantity: 1, unitPriceMinor: 2_000 },
];

/** Coupon KPIs from the projected log: issues and uses where their own days put them, days from issue to use. */
describe('coupon KPIs', () => {
  let log: Awaited<ReturnType<typeof analyticsLog>>;
  beforeAll(async () => {
    log = await analyticsLog('coupon_kpis');
    const accepted = [
      await log.execute(enrol({ ...at(0) })),
      await log.execute(purchase({ transactionId: 'k1-p0', amountMinor: 20_000, ...at(0) })),
      await log.execute(redeem({ redemptionId: 'k1-r1', points: null, rewardId: 'two-off', couponCode: 'KPI-A', ...at(1) })),
      await log.execute(redeem({ redemptionId: 'k1-r2', points: null, rewardId: 'ten-percent', couponCode: 'KPI-B', ...at(1) })),
      await log.execute(issueCoupon({ couponId: 'k1-c', rewardId: 'gift-cookie', code: 'KPI-C', ...at(2) })),
      // Two, four and six and a half days after their issues.
      await log.execute(purchase({ transactionId: 'k1-p1', amountMinor: 1_000, items: basket, couponCodes: ['KPI-A'], ...at(3) })),
      await log.execute(purchase({ transactionId: 'k1-p2', amountMinor: 1_000, items: basket, couponCodes: ['KPI-B'], ...at(5) })),
      await log.execute(purchase({ transactionId: 'k1-p3', amountMinor: 1_000, items: basket, couponCodes: ['KPI-C'], ...at(8.5) })),
    ];
    expect(accepted.every(Boolean)).toBe(true);
  });
  afterAll(async () => log.close());

  it('counts coupons issued and used per bucket, the use rate and the mean and median days to use', async () => {
    const { db } = await log.project();
    await log.caughtUp(db);
    const kpis = new KpiQueries(db);
    const month = await kpis.kpis('2026-03-01', '2026-04-01', 'month', '2026-03-31');
    expect(month.buckets[0]).toMatchObject({
      couponsIssued: 3,
      couponsUsed: 3,
      couponUseRate: 1,
      meanDaysToUse: 4.1667,
      medianDaysToUse: 4,
    });
    const days = await kpis.kpis('2026-03-03', '2026-03-08', 'day', '2026-03-31');
    const coupons = days.buckets.map((b) => [b.start, b.couponsIssued, b.couponsUsed, b.couponUseRate, b.meanDaysToUse, b.medianDaysToUse]);
    expect(coupons).toEqual([
      ['2026-03-03', 2, 0, 0, null, null],
      ['2026-03-04', 1, 0, 0, null, null],
      ['2026-03-05', 0, 1, null, 2, 2],
      ['2026-03-06', 0, 0, null, null, null],
      ['2026-03-07', 0, 1, null, 4, 4],
    ]);
  });

  it('rebuilds to the same rows from the log', async () => {
    const live = await log.project();
    const rebuilt = await log.project(await log.newDatabase());
    await log.caughtUp(rebuilt.db);
    const dump = (db: typeof live.db) => db.query(`select * from ${S}.kpi_coupons order by member_id, code`);
    const rows = await dump(live.db);
    expect(rows).toHaveLength(3);
    expect(await dump(rebuilt.db)).toEqual(rows);
  });
});
