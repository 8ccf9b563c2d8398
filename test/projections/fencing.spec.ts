import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresEventStore } from '@loyalty/event-store';
import { openReadModels, Projection, Projector, READ_MODEL_SCHEMA, waitForCheckpoint } from '@loyalty/read-models';
import { createTestDatabase } from '../support/postgres';

const EVENTS = 20;
const WAIT_MS = 15_000;

/** Counts how often each event was applied: exactly-once means every count is 1. */
const countingProjection = (gate?: (call: number) => Promise<void>): Projection => {
  let calls = 0;
  return {
    name: 'counting',
    async applyBatch(manager, events) {
      await gate?.(++calls);
      await manager.query(
        `insert into ${READ_MODEL_SCHEMA}.applied_counts (event_id, times) select unnest($1::uuid[]), 1
         on conflict (event_id) do update set times = applied_counts.times + 1`,
        [events.map((e) => e.eventId)],
      );
    },
  };
};

function latch() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

async function eventually(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Two projectors of one name, the first paused in the middle of a batch
 * after it lost its lock: the second takes over, yet no event may be applied
 * twice (issue: 3 refunds applied twice under SIGSTOP and a terminated lock
 * connection, because a batch that overlapped another but ended later committed).
 */
describe('projector fencing', () => {
  let pool: Pool;
  let store: PostgresEventStore;
  let db: DataSource;
  const projectors: Projector[] = [];

  beforeAll(async () => {
    const url = await createTestDatabase('fencing');
    pool = new Pool({ connectionString: url, max: 6 });
    store = await PostgresEventStore.open(pool);
    db = await openReadModels(url, 8);
    await db.query(`create table ${READ_MODEL_SCHEMA}.applied_counts (event_id uuid primary key, times int not null)`);
  });
  afterAll(async () => {
    for (const p of projectors) await p.stop();
    await db.destroy();
    await store.close();
    await pool.end();
  });

  it('a paused projector that lost its lock and a second one apply every event exactly once', async () => {
    let last = -1n;
    for (let i = 0; i < EVENTS; i++) {
      const result = await store.append(`test-${i % 4}`, [{ eventId: crypto.randomUUID(), type: 'Counted', data: { i } }], 'any');
      last = result.position;
    }

    const firstPaused = latch();
    const firstResume = latch();
    const first = new Projector(
      store,
      db,
      [countingProjection(async (call) => (call === 1 ? (firstPaused.open(), firstResume.opened) : undefined))],
      'ledger',
      () => undefined,
      { batchSizeMax: 10 },
    );
    projectors.push(first);
    first.start();
    await firstPaused.opened;

    // The first projector's lock goes with its connection, while its batch is still open.
    const [holder] = await db.query(
      `select pid from pg_stat_activity where datname = current_database() and query like 'select pg_try_advisory_lock(hashtext(''projector'')%'`,
    );
    await db.query('select pg_terminate_backend($1)', [holder.pid]);

    const secondAtBatchTwo = latch();
    const secondResume = latch();
    const second = new Projector(
      store,
      db,
      [countingProjection(async (call) => (call === 2 ? (secondAtBatchTwo.open(), secondResume.opened) : undefined))],
      'ledger',
      () => undefined,
      { batchSizeMax: 3 },
    );
    projectors.push(second);
    second.start();
    // Unfenced, the second projector commits its first batch here; fenced, it waits on the first one's checkpoint row.
    await Promise.race([secondAtBatchTwo.opened, new Promise((r) => setTimeout(r, 2000))]);

    firstResume.open();
    secondResume.open();
    expect(await waitForCheckpoint(db, 'ledger', last, WAIT_MS)).toBe(last);
    await eventually(async () => {
      const [row] = await db.query(`select count(*)::int as n from ${READ_MODEL_SCHEMA}.applied_counts`);
      return row.n === EVENTS;
    }, 'every event applied');
    await eventually(() => {
      const statuses = [first.status().status, second.status().status].sort();
      return statuses[0] === 'running' && statuses[1] === 'standby';
    }, 'one leader and one standby');

    const counts: Array<{ times: number }> = await db.query(`select times from ${READ_MODEL_SCHEMA}.applied_counts`);
    expect(counts).toHaveLength(EVENTS);
    expect(counts.filter((c) => c.times !== 1)).toEqual([]);
  });
});
