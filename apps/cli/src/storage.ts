import { DataSource } from 'typeorm';
import { EVENT_STORE_SCHEMA, EventStore, EventStoreDbEventStore, PostgresEventStore } from '@loyalty/event-store';
import { LedgerConfig, openPool, startEmbeddedPostgres } from '@loyalty/platform';
import { openReadModels } from '@loyalty/read-models';

const STORE_POOL_SIZE_MAX = 20;

export interface Storage {
  readonly store: EventStore;
  readModels(): Promise<DataSource>;
  /** After a bulk load: fresh planner statistics, without which every readAll page sorts the whole Postgres log. */
  analyze(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The same storage the app uses: the configured DATABASE_URL / EVENT_STORE,
 * or the embedded PostgreSQL under DATA_DIR. Only one process can run the
 * embedded server on a data directory, so stop `npm start` first (or point
 * DATABASE_URL at the server it started).
 */
export async function openStorage(config: LedgerConfig, log: (line: string) => void): Promise<Storage> {
  const closers: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) await c().catch((e) => log(`shutdown: ${String(e)}`));
  };
  try {
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      const embedded = await startEmbeddedPostgres(config.dataDir, log);
      closers.push(() => embedded.stop());
      databaseUrl = embedded.url;
    }
    let store: EventStore;
    let analyze = (): Promise<void> => Promise.resolve();
    if (config.eventStore.kind === 'eventstoredb') {
      store = new EventStoreDbEventStore(config.eventStore.url);
      closers.push(() => store.close());
    } else {
      const pool = openPool(databaseUrl, STORE_POOL_SIZE_MAX, log, 'event store');
      closers.push(() => pool.end());
      store = await PostgresEventStore.open(pool);
      closers.push(() => store.close());
      analyze = async () => void (await pool.query(`analyze ${EVENT_STORE_SCHEMA}.events`));
    }
    let readModels: DataSource | undefined;
    const url = databaseUrl;
    return {
      store,
      analyze,
      async readModels() {
        if (!readModels) {
          readModels = await openReadModels(url, 2);
          const opened = readModels;
          closers.push(() => opened.destroy());
        }
        return readModels;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
