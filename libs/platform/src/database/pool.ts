import { Pool } from 'pg';

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
