import { Pool } from 'pg';
import { MEMBER_STATE_SHAPE_VERSION } from '@loyalty/domain';
import { createTestDatabase } from '../../../../test/support/postgres';
import { MEMBER_SNAPSHOT_MIGRATIONS, MEMBER_SNAPSHOT_SCHEMA, MemberSnapshots } from './member-snapshots';

describe('member snapshot migrations', () => {
  it("adopt an earlier release's snapshots in place, and processes opening at once do not race", async () => {
    const url = await createTestDatabase('snapshot_migrations');
    const pool = new Pool({ connectionString: url, max: 4 });
    const db = { query: async (text: string, values?: unknown[]) => (await pool.query(text, values)).rows };
    try {
      // As an earlier release left it: the table its idempotent DDL made, one snapshot of this state shape in it.
      await pool.query(MEMBER_SNAPSHOT_MIGRATIONS.migrations[0]!.sql(MEMBER_SNAPSHOT_SCHEMA));
      await pool.query(
        `insert into ${MEMBER_SNAPSHOT_SCHEMA}.member_snapshots (stream_id, revision, event_id, shape_version, state) values ('member-m-1', 7, 'e-7', $1, '{}')`,
        [MEMBER_STATE_SHAPE_VERSION],
      );

      await Promise.all([1, 2].map(() => MemberSnapshots.open(url, db)));

      expect((await pool.query(`select stream_id, revision::int from ${MEMBER_SNAPSHOT_SCHEMA}.member_snapshots`)).rows).toEqual([
        { stream_id: 'member-m-1', revision: 7 },
      ]);
      const { rows } = await pool.query<{ name: string }>(`select name from ${MEMBER_SNAPSHOT_SCHEMA}.schema_migrations`);
      expect(rows.map((row) => row.name)).toEqual([MEMBER_SNAPSHOT_MIGRATIONS.migrations[0]!.name]);
    } finally {
      await pool.end();
    }
  });
});
