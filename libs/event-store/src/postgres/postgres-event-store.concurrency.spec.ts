import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { createTestDatabase } from '../../../../test/support/postgres';
import { RecordedEvent } from '../port';
import { PostgresEventStore } from './postgres-event-store';
import { EVENT_STORE_SCHEMA } from './schema';

const WRITERS = 24;
const APPENDS_PER_WRITER = 25;

/**
 * The pitfall of README's "The event store": a transaction that takes its position early and
 * commits late must never be skipped by a subscriber that already read past a
 * later-numbered event. Writers here hold their transactions open for random
 * times so commits land out of position order.
 */
describe('Postgres event store under concurrent writers', () => {
  let pool: Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    pool = new Pool({ connectionString: await createTestDatabase('pg_concurrency'), max: WRITERS + 5 });
    store = await PostgresEventStore.open(pool);
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
  });

  async function slowAppend(streamId: string, revision: bigint | 'no_stream'): Promise<void> {
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query(`select * from ${EVENT_STORE_SCHEMA}.append($1, $2, $3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[])`, [
        streamId,
        revision === 'no_stream' ? '-1' : revision.toString(),
        [randomUUID()],
        ['Written'],
        [JSON.stringify({ streamId, revision: String(revision) })],
        ['{}'],
      ]);
      await client.query('select pg_sleep($1)', [Math.random() * 0.02]);
      await client.query('commit');
    } finally {
      client.release();
    }
  }

  it('delivers every event exactly once, in position order, to a live subscriber', async () => {
    const prefix = `w${randomUUID().slice(0, 8)}-`;
    const expectedTotal = WRITERS * APPENDS_PER_WRITER;
    const subscription = store.subscribeToAll({ filter: { streamNamePrefixes: [prefix] } });
    const seen: RecordedEvent[] = [];
    const consumed = (async () => {
      for await (const event of subscription) {
        seen.push(event);
        if (seen.length === expectedTotal) break;
      }
    })();

    await Promise.all(
      Array.from({ length: WRITERS }, async (_, writer) => {
        for (let i = 0; i < APPENDS_PER_WRITER; i++) {
          await slowAppend(`${prefix}${writer}`, i === 0 ? 'no_stream' : BigInt(i - 1));
        }
      }),
    );
    const timeout = setTimeout(() => void subscription.close(), 20_000);
    await consumed;
    clearTimeout(timeout);
    await subscription.close();

    expect(seen).toHaveLength(expectedTotal);
    expect(new Set(seen.map((e) => e.eventId)).size).toBe(expectedTotal);
    for (let i = 1; i < seen.length; i++) expect(seen[i - 1]!.position < seen[i]!.position).toBe(true);
    const stored = await store.readAll({ filter: { streamNamePrefixes: [prefix] }, maxCount: 10_000 });
    expect(stored.map((e) => e.eventId)).toEqual(seen.map((e) => e.eventId));
  });

  it('is not held back by a long transaction that appends nothing (a read-model batch)', async () => {
    const prefix = `h${randomUUID().slice(0, 8)}-`;
    const other = await pool.connect();
    try {
      await other.query('create table if not exists unrelated (n int)');
      await other.query('begin');
      await other.query('insert into unrelated values (1)'); // now holds a transaction id, like a projector batch
      const written = await store.append(`${prefix}a`, [{ eventId: randomUUID(), type: 'Visible', data: {} }], 'no_stream');
      const read = await store.readAll({ after: written.position - 1n, filter: { streamNamePrefixes: [prefix] } });
      expect(read.map((e) => e.type)).toEqual(['Visible']);
    } finally {
      await other.query('rollback');
      other.release();
    }
  });
});
