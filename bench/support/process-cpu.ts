import { readdirSync, readFileSync } from 'node:fs';
import { Pool } from 'pg';

/** Linux's USER_HZ: /proc reports CPU time in these ticks. */
const PROC_TICKS_PER_SECOND = 100;

/** The fields of /proc/<pid>/stat after the parenthesised command name: [1] ppid, [11] utime, [12] stime, [13] cutime, [14] cstime. */
function statFields(pid: number): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  } catch {
    return null;
  }
}

const ticksToSeconds = (...ticks: string[]) => ticks.reduce((sum, t) => sum + Number(t), 0) / PROC_TICKS_PER_SECOND;

/** User and system CPU seconds a live process has used, from /proc; null when it cannot be read (not Linux, gone). */
export function processCpuSeconds(pid: number): number | null {
  const fields = statFields(pid);
  return fields && ticksToSeconds(fields[11]!, fields[12]!);
}

/**
 * A PostgreSQL server's CPU seconds so far: the postmaster's own and its
 * exited children's (which it has waited for), plus every live child's
 * (backends, the WAL writer, the checkpointer). Backends that start or exit
 * during a load are counted either way.
 */
function serverCpuSeconds(postmasterPid: number): number | null {
  const postmaster = statFields(postmasterPid);
  if (!postmaster) return null;
  let seconds = ticksToSeconds(postmaster[11]!, postmaster[12]!, postmaster[13]!, postmaster[14]!);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const child = statFields(Number(entry));
    if (child?.[1] === String(postmasterPid)) seconds += ticksToSeconds(child[11]!, child[12]!);
  }
  return seconds;
}

export interface CpuUsed {
  /** Null when /proc could not be read. */
  readonly ledgerSeconds: number | null;
  readonly postgresSeconds: number | null;
}

export interface CpuMeter {
  /** CPU used since the meter started. */
  read(): CpuUsed;
}

/**
 * CPU of the ledger process and of its PostgreSQL server (backends and
 * background processes: the WAL writer's fsyncs are part of a write's
 * cost) from now on. The server is found as the parent of a backend of
 * `databaseUrl`, so it must run on this machine.
 */
export async function startCpuMeter(databaseUrl: string, ledgerPid: number): Promise<CpuMeter> {
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  // Read while the backend lives: once the pool ends, its /proc entry may be gone.
  const postmasterPid = await pool
    .query<{ pid: number }>('select pg_backend_pid() as pid')
    .then(({ rows }) => Number(statFields(rows[0]!.pid)?.[1] ?? NaN))
    .finally(() => pool.end());
  const used = () => ({
    ledger: processCpuSeconds(ledgerPid),
    postgres: Number.isNaN(postmasterPid) ? null : serverCpuSeconds(postmasterPid),
  });
  const before = used();
  const since = (now: number | null, then: number | null) => (now === null || then === null ? null : now - then);
  return {
    read: () => {
      const after = used();
      return { ledgerSeconds: since(after.ledger, before.ledger), postgresSeconds: since(after.postgres, before.postgres) };
    },
  };
}

/** Microseconds of CPU per request, or null. */
export const microsPerRequest = (seconds: number | null, requests: number): number | null =>
  seconds === null || requests === 0 ? null : Math.round((seconds * 1e6) / requests);
