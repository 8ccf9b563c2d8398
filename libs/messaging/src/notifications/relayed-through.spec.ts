import { Pool } from 'pg';
import { migrateSchema } from '@loyalty/platform';
import { createTestDatabase } from '../../../../test/support/postgres';
import { RELAY_MIGRATIONS, RELAY_SCHEMA } from '../relay/relay-store';
import { notificationsRelayedThrough } from './notification-relay';

describe('how far the notification relays have published', () => {
  let pool: Pool;
  let url: string;
  const db = { query: async (sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows };

  beforeAll(async () => {
    url = await createTestDatabase('relayed_through');
    pool = new Pool({ connectionString: url, max: 2 });
  });
  afterAll(() => pool.end());

  it('is unknown without a relay schema, and without a notification checkpoint in it', async () => {
    expect(await notificationsRelayedThrough(db)).toBeUndefined();
    await migrateSchema(url, RELAY_SCHEMA, RELAY_MIGRATIONS);
    await pool.query(`insert into ${RELAY_SCHEMA}.checkpoints (name, position) values ('loyalty-v2', 900)`);
    expect(await notificationsRelayedThrough(db)).toBeUndefined();
  });

  it("is the lowest notification relay's checkpoint, the event relay's aside", async () => {
    await migrateSchema(url, RELAY_SCHEMA, RELAY_MIGRATIONS);
    await pool.query(
      `insert into ${RELAY_SCHEMA}.checkpoints (name, position) values ('loyalty-v2:notifications', 40), ('other:notifications', 12)`,
    );
    expect(await notificationsRelayedThrough(db)).toBe(12n);
  });
});
