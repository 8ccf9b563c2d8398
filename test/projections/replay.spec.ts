import fc from 'fast-check';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { availablePoints, MemberState, pendingOf } from '@loyalty/domain';
import { PostgresEventStore } from '@loyalty/event-store';
import { balancesProjection, openReadModels, Projector, READ_MODEL_SCHEMA, waitForCheckpoint } from '@loyalty/read-models';
import { memberPlan } from '../../libs/domain/src/testing/arbitrary-history';
import { appendGeneratedMember } from '../support/generated-history';
import { createTestDatabase } from '../support/postgres';

const MEMBERS = 12;
const TABLES = ['members', 'member_balances', 'member_lots', 'ledger_entries'];

/**
 * Invariant 3: replaying the log from scratch yields the same read models.
 * A property-generated history is projected live (while it is written) and
 * again into an empty database; every table must match row for row, and each
 * balance must equal the domain's own fold of that member's events.
 */
describe('projection replay', () => {
  let pool: Pool;
  let store: PostgresEventStore;
  const open: Array<{ destroy(): Promise<void> }> = [];

  beforeAll(async () => {
    pool = new Pool({ connectionString: await createTestDatabase('replay_log'), max: 10 });
    store = await PostgresEventStore.open(pool);
  });
  afterAll(async () => {
    for (const db of open) await db.destroy();
    await store.close();
    await pool.end();
  });

  async function project(url: string): Promise<{ db: DataSource; projector: Projector }> {
    const db = await openReadModels(url, 4);
    open.push(db);
    const projector = new Projector(store, db, [balancesProjection]);
    projector.start();
    return { db, projector };
  }

  async function dump(db: DataSource, table: string): Promise<unknown[]> {
    const key = table === 'ledger_entries' ? 'entry_id' : table === 'member_lots' ? 'member_id, lot_id' : 'member_id';
    return db.query(`select * from ${READ_MODEL_SCHEMA}.${table} order by ${key}`);
  }

  it('produces the same rows live and rebuilt, equal to the domain fold', async () => {
    const live = await project(pool.options.connectionString!);
    const states = new Map<string, MemberState>();
    const plans = fc.sample(memberPlan, { numRuns: MEMBERS, seed: 42 });
    let last = -1n;
    for (const [i, plan] of plans.entries()) {
      const written = await appendGeneratedMember(store, plan, `replay-${i}`);
      states.set(`replay-${i}`, written.state);
      if (written.lastPosition > last) last = written.lastPosition;
    }
    expect(await waitForCheckpoint(live.db, 'ledger', last, 20_000)).toBeDefined();

    const rebuilt = await project(await createTestDatabase('replay_rebuild'));
    expect(await waitForCheckpoint(rebuilt.db, 'ledger', last, 20_000)).toBeDefined();
    await live.projector.stop();
    await rebuilt.projector.stop();

    for (const table of TABLES) expect(await dump(rebuilt.db, table)).toEqual(await dump(live.db, table));

    const balances: Array<{ member_id: string; available: string; pending: string; debt: string }> = await live.db.query(
      `select member_id, available, pending, debt from ${READ_MODEL_SCHEMA}.member_balances`,
    );
    expect(balances).toHaveLength(MEMBERS);
    for (const row of balances) {
      const state = states.get(row.member_id)!;
      expect({ available: Number(row.available), pending: Number(row.pending), debt: Number(row.debt) }).toEqual({
        available: availablePoints(state),
        pending: pendingOf(state),
        debt: state.debt,
      });
    }
  }, 60_000);
});
