import { Pool } from 'pg';
import { createTestDatabase } from '../../../../test/support/postgres';
import { EventToAppend, WrongExpectedRevisionError } from '../port';
import { PostgresEventStore } from './postgres-event-store';
import { EVENTS_PER_TRANSACTION_SHIFT } from './schema';

const event = (id: number, type = 'Tested'): EventToAppend => ({
  eventId: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
  type,
  data: { id },
});
const transactionOf = (position: bigint) => position >> EVENTS_PER_TRANSACTION_SHIFT;

/** Concurrent appends share transactions, and each still gets its own revision check and outcome. */
describe('Postgres event store group commit', () => {
  let pool: Pool;
  let store: PostgresEventStore;
  let next = 1;
  const fresh = () => event(next++);

  beforeAll(async () => {
    pool = new Pool({ connectionString: await createTestDatabase('group_commit'), max: 8 });
    store = await PostgresEventStore.open(pool);
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
  });

  it('writes concurrent appends in fewer transactions than appends, every one at its own revision', async () => {
    const results = await Promise.all(Array.from({ length: 64 }, (_, i) => store.append(`group-${i}`, [fresh(), fresh()], 'no_stream')));
    expect(results.every((r) => r.nextRevision === 1n)).toBe(true);
    expect(new Set(results.map((r) => transactionOf(r.position))).size).toBeLessThan(64);
    const all = await store.readAll({ maxCount: 1000 });
    expect(all).toHaveLength(128);
    expect(new Set(all.map((e) => e.position)).size).toBe(128);
  });

  it('fails only the append whose expected revision is stale', async () => {
    await store.append('group-stale', [fresh()], 'no_stream');
    const outcomes = await Promise.allSettled([
      store.append('group-ok-1', [fresh()], 'no_stream'),
      store.append('group-ok-2', [fresh()], 'no_stream'),
      store.append('group-ok-3', [fresh()], 'no_stream'),
      store.append('group-stale', [fresh()], 'no_stream'),
      store.append('group-ok-4', [fresh()], 'no_stream'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const rejected = outcomes[3] as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(WrongExpectedRevisionError);
    expect(rejected.reason.actual).toBe(0n);
    expect(await store.readStream('group-stale')).toHaveLength(1);
  });

  it('fails only the append that repeats an event id, even when it shares a transaction', async () => {
    const repeated = fresh();
    await store.append('group-first', [repeated], 'no_stream');
    const outcomes = await Promise.allSettled([
      store.append('group-a', [fresh()], 'no_stream'),
      store.append('group-b', [fresh()], 'no_stream'),
      store.append('group-dup', [repeated], 'no_stream'),
      store.append('group-c', [fresh()], 'no_stream'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(await store.readStream('group-dup')).toHaveLength(0);
    for (const stream of ['group-a', 'group-b', 'group-c']) expect(await store.readStream(stream)).toHaveLength(1);
  });

  it('keeps two appends to one stream in one batch consistent: the second sees the first', async () => {
    const outcomes = await Promise.allSettled([
      store.append('group-filler-1', [fresh()], 'no_stream'),
      store.append('group-filler-2', [fresh()], 'no_stream'),
      store.append('group-same', [fresh()], 'no_stream'),
      store.append('group-same', [fresh()], 'no_stream'),
      store.append('group-same', [fresh()], 'any'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((await store.readStream('group-same')).map((e) => e.revision)).toEqual([0n, 1n]);
  });
});
