import { adjust, enrol, historyOf, purchase, redeem, refund, reverse } from '../../../domain/src/testing/member-commands';
import { programInForce, T0 } from '../../../domain/src/testing/fixtures';
import { couponIssued, couponUsed, testCouponCode } from '../../../domain/src/testing/member-events';
import { memberEntry, programEntry, recordedLog } from '../testing/log';
import { storedRows } from '../testing/read-models';
import { asOfWindow, foldEvent, startFold } from '../fold/audit-fold';
import { foldReadModelFigures, startReadModelFigures } from '../fold/read-model-figures';
import { reportToCsv } from '../export/csv';
import { ReadModelBalance, reconciliationReport } from './reconciliation';
import { ReadModelTableName, StoredTables } from './read-model-tables';

const at = (days: number) => new Date(Date.parse(T0) + days * 86_400_000).toISOString();

const experiment = {
  experimentId: 'rate',
  startsAt: T0,
  endsAt: at(60),
  variants: [
    { name: 'control', weightPercent: 50, pointsPerUnit: 1 },
    { name: 'double', weightPercent: 50, pointsPerUnit: 2 },
  ],
};
const offer = {
  offerId: 'bonus40',
  startsAt: T0,
  endsAt: at(60),
  multiplierBp: null,
  bonusPoints: 40,
  criteria: null,
  boughtSkus: [],
  boughtCategories: [],
  pointsBudget: 1000,
};
const program = programInForce({ experiments: [experiment], offers: [offer] });

// The domain's hash puts m1 in `control` and m5 in `double`.
const log = recordedLog([
  programEntry(1, T0, program.policy),
  ...historyOf(
    enrol({ memberId: 'm1', program }), // welcome 100 on 01-10
    purchase({ memberId: 'm1', transactionId: 't1', amountMinor: 20_000, occurredAt: at(1), program }), // 200 + offer 40
    refund({ memberId: 'm1', transactionId: 't1', refundId: 'rf1', amountMinor: 5_000, occurredAt: at(2), program }), // 60 clawed back
    redeem({ memberId: 'm1', redemptionId: 'r1', points: 50, occurredAt: at(3), program }),
    reverse({ memberId: 'm1', redemptionId: 'r1', occurredAt: at(3), program }),
    adjust({ memberId: 'm1', adjustmentId: 'a1', points: -10, occurredAt: at(4), program }),
  ).map(memberEntry),
  ...historyOf(
    enrol({ memberId: 'm5', occurredAt: at(1), program }), // welcome 100
    purchase({ memberId: 'm5', transactionId: 't5', amountMinor: 3_000, occurredAt: at(1), program }), // 30 x 2 + offer 40
  ).map(memberEntry),
  // A coupon issued on 01-11 and used two days later; another of 200, issued on 01-14 and still active.
  ...[
    couponIssued({ memberId: 'm5', occurredAt: at(1) }),
    couponUsed({ memberId: 'm5', occurredAt: at(3) }),
    couponIssued({ memberId: 'm1', occurredAt: at(4), couponId: 'c2', code: testCouponCode(2) }),
  ].map(memberEntry),
]);

const balance = (memberId: string, available: number, issued: number, rest: Partial<ReadModelBalance> = {}): ReadModelBalance => ({
  memberId,
  available,
  pending: 0,
  debt: 0,
  issued,
  redeemed: 0,
  expired: 0,
  clawedBack: 0,
  adjusted: 0,
  transferredIn: 0,
  transferredOut: 0,
  ...rest,
});

const kpiDay = (figures: Record<string, number>) => ({
  revenue_minor: 0,
  refunds_minor: 0,
  points_issued: 0,
  points_redeemed: 0,
  points_expired: 0,
  points_clawed_back: 0,
  points_adjusted: 0,
  points_transferred_in: 0,
  points_transferred_out: 0,
  ...figures,
});

/** The rows the projections write for this log, worked out by hand from the history above. */
const projectedRows = (): Record<ReadModelTableName, Record<string, Record<string, number>>> => ({
  memberLots: {
    m1: { points: 340, remaining_active: 270, remaining_pending: 0 },
    m5: { points: 200, remaining_active: 200, remaining_pending: 0 },
  },
  ledgerEntries: { m1: { points: 270 }, m5: { points: 200 } },
  kpiDays: {
    '2026-01-10': kpiDay({ points_issued: 100 }),
    '2026-01-11': kpiDay({ revenue_minor: 23_000, points_issued: 440 }),
    '2026-01-12': kpiDay({ refunds_minor: 5_000, points_clawed_back: 60 }),
    '2026-01-13': kpiDay({}),
    '2026-01-14': kpiDay({ points_adjusted: -10 }),
  },
  kpiMemberDays: { m1: { revenue_minor: 20_000 }, m5: { revenue_minor: 3_000 } },
  kpiPointValues: { '1': { point_value_minor: 1 } },
  segmentPurchases: { 'm1/t1': { amount_minor: 20_000, refunded_minor: 5_000 }, 'm5/t5': { amount_minor: 3_000, refunded_minor: 0 } },
  experimentMembers: {
    'rate/control': { revenue_minor: 20_000, points_issued: 340, points_redeemed: 0 },
    'rate/double': { revenue_minor: 3_000, points_issued: 200, points_redeemed: 0 },
  },
  offerAwards: { bonus40: { points: 80 } },
  kpiCoupons: {
    '2026-01-11': { issued: 1, used: 0, ms_to_use: 0 },
    '2026-01-13': { issued: 0, used: 1, ms_to_use: 2 * 86_400_000 },
    '2026-01-14': { issued: 1, used: 0, ms_to_use: 0 },
  },
  coupons: {
    m1: { issued: 1, active: 1, used: 0, expired: 0, cancelled: 0, active_value_minor: 200 },
    m5: { issued: 1, active: 0, used: 1, expired: 0, cancelled: 0, active_value_minor: 0 },
  },
});

function reconcile(change: (rows: ReturnType<typeof projectedRows>) => void = () => undefined) {
  const fold = startFold(asOfWindow(Number.POSITIVE_INFINITY));
  const figures = startReadModelFigures();
  for (const event of log) {
    foldEvent(fold, event);
    foldReadModelFigures(figures, event);
  }
  const rows = projectedRows();
  change(rows);
  const tables = Object.fromEntries(Object.entries(rows).map(([name, r]) => [name, storedRows(r)])) as StoredTables;
  const balances = [balance('m1', 270, 340, { clawedBack: 60, adjusted: -10 }), balance('m5', 200, 200)];
  return reconciliationReport(fold, figures, { checkpoint: BigInt(log.length), balances, tables });
}

describe('reconciliation of every read model that carries money or points', () => {
  it('is healthy when each table holds what the log says, with totals per table', () => {
    const report = reconcile();
    const unhealthy = Object.entries(report.readModels).filter(([, section]) => !section.healthy);
    expect(unhealthy).toEqual([]);
    expect(report.healthy).toBe(true);
    expect(report.readModels.kpiDays).toMatchObject({
      table: 'read_models.kpi_days',
      rows: { eventLog: 5, readModel: 5 },
      totals: { eventLog: { revenue_minor: 23_000, refunds_minor: 5_000, points_issued: 540, points_clawed_back: 60 } },
    });
    expect(report.readModels.kpiDays.totals!.eventLog).toEqual(report.readModels.kpiDays.totals!.readModel);
    expect(report.readModels.kpiPointValues.totals).toBeUndefined();
  });

  it.each<[ReadModelTableName, string, string, number]>([
    ['kpiDays', '2026-01-12', 'refunds_minor', 3],
    ['kpiDays', '2026-01-13', 'points_redeemed', 50],
    ['kpiMemberDays', 'm5', 'revenue_minor', -1],
    ['kpiPointValues', '1', 'point_value_minor', 1],
    ['segmentPurchases', 'm1/t1', 'refunded_minor', 1],
    ['experimentMembers', 'rate/double', 'points_issued', 60],
    ['offerAwards', 'bonus40', 'points', 40],
    ['kpiCoupons', '2026-01-13', 'ms_to_use', 1_000],
    ['coupons', 'm1', 'active_value_minor', 5],
    ['coupons', 'm5', 'expired', 1],
    ['memberLots', 'm1', 'remaining_active', -5],
    ['ledgerEntries', 'm5', 'points', 7],
  ])('reports a corrupted %s row (%s %s) and nothing else', (name, key, field, delta) => {
    const report = reconcile((rows) => void (rows[name][key]![field]! += delta));
    expect(report.healthy).toBe(false);
    const unhealthy = Object.entries(report.readModels).filter(([, section]) => !section.healthy);
    expect(unhealthy.map(([section]) => section)).toEqual([name]);
    const logged = projectedRows()[name][key]![field]!;
    expect(report.readModels[name].differences).toEqual([{ key, field, eventLog: logged, readModel: logged + delta }]);
    expect(report.differences).toEqual([]);
  });

  it('names a row missing on either side of a table of facts, and a row of sums as zero', () => {
    const report = reconcile((rows) => {
      delete rows.segmentPurchases['m5/t5'];
      rows.kpiPointValues['9'] = { point_value_minor: 2 };
      rows.offerAwards['ghost'] = { points: 5 };
    });
    expect(report.readModels.segmentPurchases.differences).toEqual([{ key: 'm5/t5', field: 'row', eventLog: 1, readModel: null }]);
    expect(report.readModels.kpiPointValues.differences).toEqual([{ key: '9', field: 'row', eventLog: null, readModel: 1 }]);
    expect(report.readModels.offerAwards.differences).toEqual([{ key: 'ghost', field: 'points', eventLog: 0, readModel: 5 }]);
  });

  it('writes each difference as CSV rows named by table section, key and field', () => {
    const lines = reportToCsv(reconcile((rows) => void (rows.kpiDays['2026-01-12']!.refunds_minor! += 3)))
      .trim()
      .split('\n');
    expect(lines).toContain(',healthy,false');
    expect(lines).toContain(',readModels.kpiDays.healthy,false');
    expect(lines).toContain(',readModels.kpiDays.differences.2026-01-12.refunds_minor.eventLog,5000');
    expect(lines).toContain(',readModels.kpiDays.differences.2026-01-12.refunds_minor.readModel,5003');
    expect(lines).toContain(',readModels.kpiDays.totals.readModel.refunds_minor,5003');
  });
});
