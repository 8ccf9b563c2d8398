import { Pool } from 'pg';
import { migrateSchema, MigrationSet } from '@loyalty/platform';
import { createTestDatabase } from '../../../test/support/postgres';
import { READ_MODEL_MIGRATIONS } from './migrations';
import { READ_MODEL_SCHEMA } from './schema';

const BASELINE = READ_MODEL_MIGRATIONS.migrations[0]!.name;

/** members and member_lots as a release before the daily settlement's due columns and the inactivity rule made them. */
const EARLIER_RELEASE_SHAPE = `
create schema ${READ_MODEL_SCHEMA};
create table ${READ_MODEL_SCHEMA}.members (
  member_id text primary key, member_type text not null, name text, email text, birth_date text, referred_by text,
  tier text, tier_qualified_at timestamptz not null, enrolled_at timestamptz not null
);
create table ${READ_MODEL_SCHEMA}.member_lots (
  member_id text not null, lot_id text not null, points bigint not null, remaining bigint not null, status text not null,
  source text not null, pending_until timestamptz, expires_at timestamptz, primary key (member_id, lot_id)
);
insert into ${READ_MODEL_SCHEMA}.members (member_id, member_type, tier, tier_qualified_at, enrolled_at)
  values ('m-1', 'individual', 'silver', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
insert into ${READ_MODEL_SCHEMA}.member_lots (member_id, lot_id, points, remaining, status, source)
  values ('m-1', 'lot-1', 500, 300, 'available', 'purchase');
`;

async function columns(pool: Pool, table: string): Promise<string[]> {
  const { rows } = await pool.query<{ column_name: string }>(
    'select column_name from information_schema.columns where table_schema = $1 and table_name = $2',
    [READ_MODEL_SCHEMA, table],
  );
  return rows.map((row) => row.column_name);
}

async function applied(pool: Pool, schema = READ_MODEL_SCHEMA): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(`select name from ${schema}.schema_migrations order by id`);
  return rows.map((row) => row.name);
}

describe('read-model migrations', () => {
  const pools: Pool[] = [];
  const open = async (label: string) => {
    const url = await createTestDatabase(label);
    const pool = new Pool({ connectionString: url, max: 2 });
    pools.push(pool);
    return { url, pool };
  };
  afterAll(async () => Promise.all(pools.map((pool) => pool.end())));

  it("upgrades an earlier release's schema in place: the missing columns and tables added, every row kept, once", async () => {
    const { url, pool } = await open('migrate_earlier');
    await pool.query(EARLIER_RELEASE_SHAPE);

    expect(await migrateSchema(url, READ_MODEL_SCHEMA, READ_MODEL_MIGRATIONS)).toEqual([BASELINE]);

    expect(await columns(pool, 'members')).toEqual(expect.arrayContaining(['requalification_due_at', 'birthday_due_at']));
    expect(await columns(pool, 'member_lots')).toEqual(expect.arrayContaining(['due_at', 'inactivity']));
    expect((await pool.query('select member_id, tier from read_models.members')).rows).toEqual([{ member_id: 'm-1', tier: 'silver' }]);
    expect((await pool.query('select remaining::int from read_models.member_lots')).rows).toEqual([{ remaining: 300 }]);
    expect((await pool.query('select count(*)::int as n from read_models.checkpoints')).rows).toEqual([{ n: 0 }]);
    expect(await applied(pool)).toEqual([BASELINE]);
    expect(await migrateSchema(url, READ_MODEL_SCHEMA, READ_MODEL_MIGRATIONS)).toEqual([]);
  });

  it('lets two processes migrate at once: one applies each migration, the other waits and finds nothing left', async () => {
    const { url, pool } = await open('migrate_race');
    const runs = await Promise.all([1, 2].map(() => migrateSchema(url, READ_MODEL_SCHEMA, READ_MODEL_MIGRATIONS)));
    expect(runs.flat()).toEqual([BASELINE]);
    expect(await applied(pool)).toEqual([BASELINE]);
  });

  it('ships a shape change as the next migration: applied alone on a baselined schema, keeping its rows', async () => {
    const { url, pool } = await open('migrate_next');
    await migrateSchema(url, READ_MODEL_SCHEMA, READ_MODEL_MIGRATIONS);
    await pool.query(`insert into read_models.checkpoints (projection, position) values ('ledger', 42)`);
    const next: MigrationSet = {
      ...READ_MODEL_MIGRATIONS,
      migrations: [
        ...READ_MODEL_MIGRATIONS.migrations,
        { name: 'CheckpointNotes1764720000000', sql: (schema) => `alter table ${schema}.checkpoints add column note text` },
      ],
    };
    expect(await migrateSchema(url, READ_MODEL_SCHEMA, next)).toEqual(['CheckpointNotes1764720000000']);
    expect((await pool.query('select projection, position::int, note from read_models.checkpoints')).rows).toEqual([
      { projection: 'ledger', position: 42, note: null },
    ]);
    expect(await applied(pool)).toEqual([BASELINE, 'CheckpointNotes1764720000000']);
  });

  it('builds a fresh schema of its own for a rebuild, its migrations table with it, leaving the live one alone', async () => {
    const { url, pool } = await open('migrate_fresh');
    await migrateSchema(url, READ_MODEL_SCHEMA, READ_MODEL_MIGRATIONS);
    expect(await migrateSchema(url, 'read_models_rebuild_1', READ_MODEL_MIGRATIONS)).toEqual([BASELINE]);
    expect(await applied(pool, 'read_models_rebuild_1')).toEqual([BASELINE]);
    expect(await applied(pool)).toEqual([BASELINE]);
  });
});
