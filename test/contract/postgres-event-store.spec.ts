import { Pool } from 'pg';
import { PostgresEventStore } from '@loyalty/event-store';
import { createTestDatabase } from '../support/postgres';
import { eventStoreContract } from './event-store.contract';

eventStoreContract('Postgres adapter', async () => {
  const pool = new Pool({ connectionString: await createTestDatabase('pg_contract'), max: 20 });
  const store = await PostgresEventStore.open(pool);
  return {
    store,
    dispose: async () => {
      await store.close();
      await pool.end();
    },
  };
});
