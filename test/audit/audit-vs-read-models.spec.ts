import fc from 'fast-check';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresEventStore } from '@loyalty/event-store';
import { balancesProjection, openReadModels, Projector, READ_MODEL_SCHEMA, waitForCheckpoint } from '@loyalty/read-models';
import { auditLiability, auditReconciliation, auditRollForward } from '@loyalty/audit';
import { commandsOf, memberPlan } from '../../libs/domain/src/testing/arbitrary-history';
import { appendGeneratedMember } from '../support/generated-history';
import { createTestDatabase } from '../support/postgres';

const RUNS = Number(process.env.AUDIT_PROPERTY_RUNS ?? 20);
/** After every generated history: the audit reads the whole log at this instant. */
const END_MS = Date.parse('2030-01-01T00:00:00Z');

/**
 * DESIGN.md invariants 5 and 6: liability from the event log equals liability
 * from the read models, member by member and in total, on random histories
 * written to a real Postgres store and projected by the real projector.
 */
describe('audit against the read models (Postgres, fast-check)', () => {
  let pool: Pool;
  let store: PostgresEventStore;
  let db: DataSource;
  let projector: Projector;
  let members = 0;

  beforeAll(async () => {
    const url = await createTestDatabase('audit_property');
    pool = new Pool({ connectionString: url, max: 10 });
    store = await PostgresEventStore.open(pool);
    db = await openReadModels(url, 4);
    projector = new Projector(store, db, [balancesProjection]);
    projector.start();
  });
  afterAll(async () => {
    await projector.stop();
    await db.destroy();
    await store.close();
    await pool.end();
  });

  const write = async (plan: Parameters<typeof commandsOf>[0], memberId: string) =>
    (await appendGeneratedMember(store, plan, memberId)).lastPosition;

  const sums = async () =>
    (
      await db.query(
        `select coalesce(sum(available), 0)::text as available, coalesce(sum(pending), 0)::text as pending from ${READ_MODEL_SCHEMA}.member_balances`,
      )
    )[0] as {
      available: string;
      pending: string;
    };

  it('reconciles with no difference and the liability equals the sum of member balances', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(memberPlan, { minLength: 1, maxLength: 3 }), async (plans) => {
        let last = -1n;
        for (const plan of plans) last = [await write(plan, `audit-${members++}`), last].reduce((a, b) => (a > b ? a : b));
        if (last >= 0n) expect(await waitForCheckpoint(db, 'ledger', last, 20_000)).toBeDefined();

        const reconciliation = await auditReconciliation(store, db);
        expect(reconciliation.differences).toEqual([]);
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
      }),
      { numRuns: RUNS },
    );
  });

  it('reports a corrupted read-model row', async () => {
    const [row] = (await db.query(`select member_id from ${READ_MODEL_SCHEMA}.member_balances order by member_id limit 1`)) as Array<{
      member_id: string;
    }>;
    await projector.stop();
    await db.query(
      `update ${READ_MODEL_SCHEMA}.member_balances set available = available + 7, redeemed = redeemed - 7 where member_id = $1`,
      [row!.member_id],
    );
    const report = await auditReconciliation(store, db);
    expect(report.healthy).toBe(false);
    expect(report.differences).toEqual([
      { memberId: row!.member_id, field: 'available', eventLog: expect.any(Number), readModel: expect.any(Number) },
      { memberId: row!.member_id, field: 'redeemed', eventLog: expect.any(Number), readModel: expect.any(Number) },
    ]);
    const [available, redeemed] = report.differences;
    expect(available!.readModel! - available!.eventLog!).toBe(7);
    expect(redeemed!.eventLog! - redeemed!.readModel!).toBe(7);
    projector.start();
  });
});
