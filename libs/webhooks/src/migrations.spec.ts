import { Pool } from 'pg';
import { migrateSchema } from '@loyalty/platform';
import { createTestDatabase } from '../../../test/support/postgres';
import { WEBHOOK_DDL, WEBHOOK_MIGRATIONS, WEBHOOK_SCHEMA } from './schema';

describe('webhook schema migrations', () => {
  it("adopt an earlier release's registrations in place, once", async () => {
    const url = await createTestDatabase('webhook_migrations');
    const pool = new Pool({ connectionString: url, max: 1 });
    try {
      await pool.query(WEBHOOK_DDL);
      await pool.query(
        `insert into ${WEBHOOK_SCHEMA}.endpoints (webhook_id, url, event_types, secret, created_at, updated_at)
         values ('wh-1', 'https://example.test/hook', array['PointsEarned'], 'secret', now(), now())`,
      );
      expect(await migrateSchema(url, WEBHOOK_SCHEMA, WEBHOOK_MIGRATIONS)).toEqual([WEBHOOK_MIGRATIONS.migrations[0]!.name]);
      expect(await migrateSchema(url, WEBHOOK_SCHEMA, WEBHOOK_MIGRATIONS)).toEqual([]);
      expect((await pool.query(`select webhook_id from ${WEBHOOK_SCHEMA}.endpoints`)).rows).toEqual([{ webhook_id: 'wh-1' }]);
    } finally {
      await pool.end();
    }
  });
});
