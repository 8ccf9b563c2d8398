import { Client, Pool } from 'pg';
import { describeFailure, StartupError } from '../config/run-process';

/**
 * A connection pool for a long-running process. The server may cut an idle
 * connection at any time (a restart, a failover, an administrator): without
 * a listener, node-postgres re-emits that as an unhandled 'error' and the
 * process dies. Here it is logged, and the next query simply reconnects.
 */
export function openPool(connectionString: string, connectionsMax: number, log: (line: string) => void, label: string): Pool {
  const pool = new Pool({ connectionString, max: connectionsMax });
  pool.on('error', (error) => log(`${label}: idle connection lost: ${error.message}`));
  return pool;
}

/** How long a boot waits for the first connection before it says the database is out of reach. */
export const DATABASE_CONNECT_TIMEOUT_MS = 10_000;

/** DATABASE_URL without its credentials, for messages: host, port and database. */
export function databaseLocation(connectionString: string): string {
  const parsed = new URL(connectionString);
  return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}${parsed.pathname}`;
}

/** One connection before any pool, so a wrong address, a refusal or bad credentials read as one line, not a pool's stack. */
export async function probeDatabase(connectionString: string): Promise<void> {
  const client = new Client({ connectionString, connectionTimeoutMillis: DATABASE_CONNECT_TIMEOUT_MS });
  try {
    await client.connect();
  } catch (error) {
    throw new StartupError(
      `cannot connect to the database at ${databaseLocation(connectionString)} (DATABASE_URL): ${describeFailure(error).split('\n')[0]}`,
      'check DATABASE_URL, and that PostgreSQL runs there and accepts these credentials',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
