import { appendDecided } from '../support/generated-history';
import fc from 'fast-check';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { initialMemberState, MemberCommand, PROGRAM_STREAM_ID, variantOf } from '@loyalty/domain';
import { EventStore, PostgresEventStore } from '@loyalty/event-store';
import { openReadModels, Projector, READ_MODEL_SCHEMA as S, readModelProjections, waitForCheckpoint } from '@loyalty/read-models';
import { auditLiability, auditReconciliation, auditRollForward, ReadModelTableName, ReconciliationReport } from '@loyalty/audit';
import { ARBITRARY_REWARDS, memberPlanWithCoupons, RECEIVED_AT } from '../../libs/domain/src/testing/arbitrary-history';
import { programInForce } from '../../libs/domain/src/testing/fixtures';
import { enrol, issueCoupon, purchase, refund } from '../../libs/domain/src/testing/member-commands';
import { appendGeneratedMember } from '../support/generated-history';
import { createTestDatabase } from '../support/postgres';

const RUNS = Number(process.env.AUDIT_PROPERTY_RUNS ?? 20);
/** After every generated history: the audit reads the whole log at this instant. */
const END_MS = Date.parse('2030-01-01T00:00:00Z');

/** Over the generated histories (2025 to mid 2026), so experiment KPIs are projected and reconciled too. */
const experiment = {
  experimentId: 'rate',
  startsAt: '2025-03-01T00:00:00.000Z',
  endsAt: '2026-12-31T00:00:00.000Z',
  variants: [
    { name: 'control', weightPercent: 50, pointsPerUnit: 1 },
    { name: 'double', weightPercent: 50, pointsPerUnit: 2 },
  ],
};
const offer = {
  offerId: 'bonus',
  startsAt: '2025-01-01T00:00:00.000Z',
  endsAt: '2027-01-01T00:00:00.000Z',
  multiplierBp: null,
  bonusPoints: 40,
  criteria: null,
  boughtSkus: [],
  boughtCategories: [],
  pointsBudget: null,
};
// The generated histories' catalogue, so the audit values their coupons by the rewards they were bought with.
const program = programInForce({ experiments: [experiment], offers: [offer], rewards: [...ARBITRARY_REWARDS] });

/** Appends what each command decides, on one member's stream; returns the last position. */
async function appendCommands(store: EventStore, memberId: string, commands: readonly MemberCommand[]): Promise<bigint> {
  let state = initialMemberState();
  let position = -1n;
  for (const command of commands) {
    const appended = await appendDecided(store, command, state);
    if (!appended) continue;
    ({ state, position } = appended);
  }
  return position;
}

const unhealthy = (report: ReconciliationReport) =>
  Object.entries(report.readModels)
    .filter(([, section]) => !section.healthy)
    .map(([name]) => name);

/**
 * Invariants 5 and 6 of docs/invariants.md, and "every read model that carries money or
 * points reconciles with the log": liability from the event log equals
 * liability from the read models, and every read model reconciles, on random
 * histories written to a real Postgres store and projected by the real
 * projector with every projection.
 */
describe('audit against the read models (Postgres, fast-check)', () => {
  let pool: Pool;
  let store: PostgresEventStore;
  let db: DataSource;
  let projector: Projector;
  let members = 0;
  let last = -1n;

  beforeAll(async () => {
    const url = await createTestDatabase('audit_property');
    pool = new Pool({ connectionString: url, max: 10 });
    store = await PostgresEventStore.open(pool);
    db = await openReadModels(url, 4);
    projector = new Projector(store, db, readModelProjections(S), 'ledger');
    projector.start();
    const configured = await store.append(
      PROGRAM_STREAM_ID,
      [
        {
          eventId: '00000000-0000-5000-8000-000000000001',
          type: 'ProgramConfigured',
          data: { schemaVersion: 1, version: 1, policy: program.policy, occurredAt: '2024-12-01T00:00:00.000Z' },
        },
      ],
      'no_stream',
    );
    last = configured.position;
  });
  afterAll(async () => {
    await projector.stop();
    await db.destroy();
    await store.close();
    await pool.end();
  });

  const caughtUp = async () => expect(await waitForCheckpoint(db, 'ledger', last, 20_000)).toBeDefined();
  const later = (position: bigint) => (last = position > last ? position : last);

  const sums = async () =>
    (
      await db.query(
        `select coalesce(sum(available), 0)::text as available, coalesce(sum(pending), 0)::text as pending from ${S}.member_balances`,
      )
    )[0] as {
      available: string;
      pending: string;
    };

  it('reconciles every read model with no difference and the liability equals the sum of member balances', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(memberPlanWithCoupons, { minLength: 1, maxLength: 3 }), async (plans) => {
        for (const plan of plans) later((await appendGeneratedMember(store, plan, `audit-${members++}`)).lastPosition);
        await caughtUp();

        const reconciliation = await auditReconciliation(store, db);
        expect(unhealthy(reconciliation)).toEqual([]);
        expect(reconciliation).toMatchObject({ healthy: true, differences: [] });
        expect(reconciliation.eventLog).toEqual(reconciliation.readModel);

        const liability = await auditLiability(store, END_MS);
        const totals = await sums();
        expect({ outstanding: liability.outstandingPoints, pending: liability.pendingPoints }).toEqual({
          outstanding: Number(totals.available),
          pending: Number(totals.pending),
        });
        // The roll-forward of the whole history closes on the same figure, from nothing.
        const rolled = await auditRollForward(store, Date.parse('2000-01-01T00:00:00Z'), END_MS);
        expect(rolled.points.opening).toBe(0);
        expect(rolled.points.closing).toBe(liability.liabilityPoints);
        // Coupons: the roll-forward of the whole history against the coupons and KPI read models. The audit ends a coupon at its
        // expiresAt, so one the job has not expired yet is expired there and still active in the tables.
        const [coupons] = await db.query(
          `select count(*)::int as issued, count(*) filter (where status = 'used')::int as used,
                  count(*) filter (where status in ('expired', 'cancelled') or (status = 'active' and expires_at <= $1))::int as ended,
                  count(*) filter (where status = 'active' and expires_at > $1)::int as active,
                  (select count(*) from ${S}.kpi_coupons)::int as kpi_issued, (select count(used_at) from ${S}.kpi_coupons)::int as kpi_used
             from ${S}.coupons`,
          [new Date(END_MS).toISOString()],
        );
        const c = rolled.coupons.count;
        expect({
          issued: c.issued,
          used: c.used,
          ended: c.expired + c.cancelled,
          active: c.closing,
          kpi_issued: c.issued,
          kpi_used: c.used,
        }).toEqual(coupons);
        expect(c.opening).toBe(0);
        expect(c.closing).toBe(liability.coupons.active);
        expect(rolled.coupons.valueMinor.closing).toBe(liability.couponLiabilityMinor);
      }),
      { numRuns: RUNS },
    );
    const [counted] = await db.query<Array<{ participants: number; purchases: number; coupons: number; used: number }>>(
      `select (select count(*) from ${S}.experiment_members)::int as participants, (select count(*) from ${S}.segment_purchases)::int as purchases,
              (select count(*) from ${S}.kpi_coupons)::int as coupons, (select count(used_at) from ${S}.kpi_coupons)::int as used`,
    );
    // Bounds, not figures: the histories are random, and these only show the experiment, segment and coupon tables were exercised.
    expect(counted!.participants).toBeGreaterThan(0);
    expect(counted!.purchases).toBeGreaterThan(0);
    expect(counted!.coupons).toBeGreaterThan(0);
    expect(counted!.used).toBeGreaterThan(0);
  });

  describe('a corrupted row of each table', () => {
    const at = (day: number) => ({
      occurredAt: new Date(Date.parse('2026-02-01T10:00:00Z') + day * 86_400_000).toISOString(),
      receivedAt: RECEIVED_AT,
      program,
    });
    // A purchase that earns the offer inside the experiment's window, and a partial refund of it.
    const commands: MemberCommand[] = [
      enrol({ memberId: 'corrupt-1', personalData: null, ...at(0) }),
      purchase({ memberId: 'corrupt-1', transactionId: 'corrupt-tx', amountMinor: 27_170, ...at(1) }),
      refund({ memberId: 'corrupt-1', transactionId: 'corrupt-tx', refundId: 'corrupt-rf', amountMinor: 12, ...at(2) }),
      // A coupon of 200 off, given by an admin: no points move.
      issueCoupon({ memberId: 'corrupt-1', couponId: 'corrupt-c', rewardId: 'two-off', code: 'CPN-corrupt-c', ...at(3) }),
    ];
    const variant = variantOf(experiment, 'corrupt-1').name;
    let lotId: string;
    let entryId: string;
    let pointValuePosition: string;

    beforeAll(async () => {
      later(await appendCommands(store, 'corrupt-1', commands));
      await caughtUp();
      await projector.stop();
      const [lot] = await db.query(`select lot_id from ${S}.member_lots where member_id = 'corrupt-1' and status = 'active' limit 1`);
      const [entry] = await db.query(`select entry_id from ${S}.ledger_entries where member_id = 'corrupt-1' limit 1`);
      const [value] = await db.query(`select position::text from ${S}.kpi_point_values limit 1`);
      lotId = lot.lot_id;
      entryId = entry.entry_id;
      pointValuePosition = value.position;
    });
    afterAll(() => projector.start());

    it('is healthy before any corruption', async () => {
      expect(unhealthy(await auditReconciliation(store, db))).toEqual([]);
    });

    /** [section, table, column, key condition, params, row key, field reported] */
    const cases: ReadonlyArray<[ReadModelTableName, string, string, string, () => unknown[], () => string, string]> = [
      ['kpiDays', 'kpi_days', 'refunds_minor', `day = '2026-02-03'`, () => [], () => '2026-02-03', 'refunds_minor'],
      ['kpiMemberDays', 'kpi_member_days', 'revenue_minor', `member_id = 'corrupt-1'`, () => [], () => 'corrupt-1', 'revenue_minor'],
      [
        'kpiPointValues',
        'kpi_point_values',
        'point_value_minor',
        'position = $1',
        () => [pointValuePosition],
        () => pointValuePosition,
        'point_value_minor',
      ],
      [
        'segmentPurchases',
        'segment_purchases',
        'refunded_minor',
        `transaction_id = 'corrupt-tx'`,
        () => [],
        () => 'corrupt-1/corrupt-tx',
        'refunded_minor',
      ],
      [
        'experimentMembers',
        'experiment_members',
        'points_issued',
        `member_id = 'corrupt-1'`,
        () => [],
        () => `rate/${variant}`,
        'points_issued',
      ],
      ['offerAwards', 'offer_awards', 'points', `transaction_id = 'corrupt-tx'`, () => [], () => 'bonus', 'points'],
      [
        'memberLots',
        'member_lots',
        'remaining',
        `member_id = 'corrupt-1' and lot_id = $1`,
        () => [lotId],
        () => 'corrupt-1',
        'remaining_active',
      ],
      ['ledgerEntries', 'ledger_entries', 'points', 'entry_id = $1', () => [entryId], () => 'corrupt-1', 'points'],
      ['coupons', 'coupons', 'value_minor', `code = 'CPN-corrupt-c'`, () => [], () => 'corrupt-1', 'active_value_minor'],
    ];

    it.each(cases)('%s: %s.%s is reported, and only there', async (section, table, column, where, params, key, field) => {
      const shift = (by: number) => db.query(`update ${S}.${table} set ${column} = ${column} + ${by} where ${where}`, params());
      await shift(3);
      try {
        const report = await auditReconciliation(store, db);
        expect(report.healthy).toBe(false);
        expect(unhealthy(report)).toEqual([section]);
        expect(report.readModels[section].table).toBe(`${S}.${table}`);
        const [difference, ...others] = report.readModels[section].differences;
        expect(others).toEqual([]);
        expect(difference).toMatchObject({ key: key(), field });
        expect(Number(difference!.readModel) - Number(difference!.eventLog)).toBe(3);
      } finally {
        await shift(-3);
      }
    });

    it('reports a corrupted member balance', async () => {
      await db.query(`update ${S}.member_balances set available = available + 7, redeemed = redeemed - 7 where member_id = 'corrupt-1'`);
      try {
        const report = await auditReconciliation(store, db);
        expect(unhealthy(report)).toEqual(['balances']);
        // 100 welcome + floor(271.70 x the variant's points per unit) + the 40-point offer; the 12 refunded claw back less than a point.
        const available = 100 + Math.floor((27_170 * (variant === 'double' ? 2 : 1)) / 100) + 40;
        expect(report.differences).toEqual([
          { memberId: 'corrupt-1', field: 'available', eventLog: available, readModel: available + 7 },
          { memberId: 'corrupt-1', field: 'redeemed', eventLog: 0, readModel: -7 },
        ]);
        expect(report.readModels.balances.differences).toEqual(report.differences);
      } finally {
        await db.query(`update ${S}.member_balances set available = available - 7, redeemed = redeemed + 7 where member_id = 'corrupt-1'`);
      }
      expect((await auditReconciliation(store, db)).healthy).toBe(true);
    });
  });
});
