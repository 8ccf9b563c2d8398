import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { EVENT_STORE_SCHEMA, EventStore, EventStoreDbEventStore, PostgresEventStore } from '@loyalty/event-store';
import { ConfigError, describeFailure, LedgerConfig, openPool, runningEmbeddedPostgresUrl, startEmbeddedPostgres } from '@loyalty/platform';
import { openReadModels } from '@loyalty/read-models';
import { StorageUnavailable } from './cli/run-cli';

const STORE_POOL_SIZE_MAX = 20;
/** A database that does not answer within this is reported as unreachable rather than waited on for the OS's TCP timeout. */
const CONNECT_TIMEOUT_MS = 10_000;

export interface Storage {
  readonly store: EventStore;
  /** The Postgres of the read models (and of the log when EVENT_STORE=postgres). */
  readonly databaseUrl: string;
  readModels(): Promise<DataSource>;
  /** After a bulk load: fresh planner statistics, without which every readAll page sorts the whole Postgres log. */
  analyze(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The same storage the app uses: the configured DATABASE_URL / EVENT_STORE,
 * else the embedded PostgreSQL under DATA_DIR: the one the running app
 * serves when it runs (one server per data directory), or one started here.
 */
export async function openStorage(config: LedgerConfig, log: (line: string) => void): Promise<Storage> {
  const closers: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) await c().catch((e) => log(`shutdown: ${String(e)}`));
  };
  try {
    const databaseUrl = config.databaseUrl ?? (await embeddedUrl(config.dataDir, log, closers));
    if (config.databaseUrl) await probe(databaseUrl);
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
    return {
      store,
      databaseUrl,
      analyze,
      async readModels() {
        if (!readModels) {
          readModels = await openReadModels(databaseUrl, 2);
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

async function embeddedUrl(dataDir: string, log: (line: string) => void, closers: Array<() => Promise<unknown>>): Promise<string> {
  const running = runningEmbeddedPostgresUrl(dataDir);
  if (running) {
    log(`using the embedded PostgreSQL of the ledger running on ${dataDir}`);
    return running;
  }
  const embedded = await startEmbeddedPostgres(dataDir, log);
  closers.push(() => embedded.stop());
  return embedded.url;
}

/** DATABASE_URL as a URL naming host and database, never echoing its password. */
export function databaseLocation(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(['DATABASE_URL must be a URL such as postgres://user:password@host:5432/database']);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new ConfigError([`DATABASE_URL must start with postgres:// or postgresql://, got ${parsed.protocol}//`]);
  }
  return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}${parsed.pathname}`;
}

/** One connection first, so a wrong address, a refusal or bad credentials read as one line, not a pool's stack. */
async function probe(url: string): Promise<void> {
  const location = databaseLocation(url);
  const client = new Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  try {
    await client.connect();
  } catch (error) {
    throw new StorageUnavailable(`cannot connect to the database at ${location} (DATABASE_URL): ${describeFailure(error).split('\n')[0]}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
