import { Pool } from 'pg';
import { migrateSchema } from '@loyalty/platform';
import { createTestDatabase } from '../../../../test/support/postgres';
import { RELAY_MIGRATIONS, RELAY_SCHEMA } from './relay-store';

describe('relay schema migrations', () => {
  it("adopt an earlier release's checkpoints in place, once", async () => {
    const url = await createTestDatabase('relay_migrations');
    const pool = new Pool({ connectionString: url, max: 1 });
    try {
      // As an earlier release left it: the baseline's DDL applied at boot, no migrations table, a checkpoint written.
      await pool.query(RELAY_MIGRATIONS.migrations[0]!.sql(RELAY_SCHEMA));
      await pool.query(`insert into ${RELAY_SCHEMA}.checkpoints (name, position) values ('events', 42)`);
      expect(await migrateSchema(url, RELAY_SCHEMA, RELAY_MIGRATIONS)).toEqual([RELAY_MIGRATIONS.migrations[0]!.name]);
      expect(await migrateSchema(url, RELAY_SCHEMA, RELAY_MIGRATIONS)).toEqual([]);
      expect((await pool.query(`select name, position::int from ${RELAY_SCHEMA}.checkpoints`)).rows).toEqual([
        { name: 'events', position: 42 },
      ]);
    } finally {
      await pool.end();
    }
  });
});
