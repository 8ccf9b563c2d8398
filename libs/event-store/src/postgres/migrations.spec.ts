import { Pool } from 'pg';
import { createTestDatabase } from '../../../../test/support/postgres';
import { PostgresEventStore } from './postgres-event-store';
import { EVENT_STORE_DDL, EVENT_STORE_MIGRATIONS, EVENT_STORE_SCHEMA } from './schema';

const BASELINE = EVENT_STORE_MIGRATIONS.migrations[0]!.name;
const eventId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('event store migrations', () => {
  let pool: Pool;

  beforeAll(async () => {
    pool = new Pool({ connectionString: await createTestDatabase('event_store_migrations'), max: 4 });
  });
  afterAll(async () => pool.end());

  it("adopts an earlier release's log in place: the baseline recorded, every event kept, appends going on from it", async () => {
    // As an earlier release left it: the idempotent DDL applied at boot, no migrations table, one event appended.
    await pool.query(EVENT_STORE_DDL);
    await pool.query(
      `select * from ${EVENT_STORE_SCHEMA}.append('m-1', -1, $1::uuid[], array['Enrolled'], array['{}'::jsonb], array['{}'::jsonb])`,
      [[eventId(1)]],
    );

    const stores = await Promise.all([1, 2].map(() => PostgresEventStore.open(pool)));
    const { rows } = await pool.query<{ name: string }>(`select name from ${EVENT_STORE_SCHEMA}.schema_migrations`);
    expect(rows.map((row) => row.name)).toEqual([BASELINE]);

    const [store] = stores;
    await store!.append('m-1', [{ eventId: eventId(2), type: 'Purchased', data: { amountMinor: 100 } }], 0n);
    expect((await store!.readStream('m-1')).map((event) => [event.type, event.revision])).toEqual([
      ['Enrolled', 0n],
      ['Purchased', 1n],
    ]);
    await Promise.all(stores.map((opened) => opened.close()));
  });
});
