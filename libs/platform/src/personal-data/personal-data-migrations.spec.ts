import { Pool } from 'pg';
import { createTestDatabase } from '../../../../test/support/postgres';
import {
  openPersonalDataVault,
  PERSONAL_DATA_DDL,
  PERSONAL_DATA_MIGRATIONS,
  PERSONAL_DATA_SCHEMA,
  PersonalDataVault,
} from './personal-data-vault';

describe('personal data vault migrations', () => {
  it("adopt an earlier release's keys in place: what it sealed still opens, and processes opening at once do not race", async () => {
    const url = await createTestDatabase('vault_migrations');
    const pool = new Pool({ connectionString: url, max: 4 });
    const db = { query: async (text: string, values?: unknown[]) => (await pool.query(text, values)).rows };
    try {
      // As an earlier release left it: the idempotent DDL applied at boot, a member's profile sealed under its key.
      await pool.query(PERSONAL_DATA_DDL);
      const sealed = await new PersonalDataVault(db).seal('m-1', { name: 'Ada Lovelace' });

      const [vault] = await Promise.all([1, 2, 3].map(() => openPersonalDataVault(url, db)));

      expect(await vault!.open('m-1', sealed)).toEqual({ name: 'Ada Lovelace' });
      const { rows } = await pool.query<{ name: string }>(`select name from ${PERSONAL_DATA_SCHEMA}.schema_migrations`);
      expect(rows.map((row) => row.name)).toEqual([PERSONAL_DATA_MIGRATIONS.migrations[0]!.name]);
    } finally {
      await pool.end();
    }
  });
});
