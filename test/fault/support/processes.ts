import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Pool } from 'pg';

const ROOT = join(__dirname, '..', '..', '..');
const START_TIMEOUT_MS = 60_000;
const STARTED_LINE = 'projector started';

export interface ProjectorProcess {
  readonly name: string;
  readonly child: ChildProcess;
  output(): string;
  /** Sends the signal and resolves with the exit code (null when killed by the signal). */
  stop(signal: NodeJS.Signals): Promise<number | null>;
}

/** apps/projector as its own process (built by the jest global setup); resolves once it has started, as leader or standby. */
export function startProjectorProcess(name: string, env: Record<string, string>): Promise<ProjectorProcess> {
  const child = spawn(process.execPath, ['dist/apps/projector/src/main.js'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'development', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${START_TIMEOUT_MS} ms:\n${output}`)), START_TIMEOUT_MS);
    const onData = () => {
      if (!output.includes(STARTED_LINE)) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve({
        name,
        child,
        output: () => output,
        stop: (signal) => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before starting:\n${output}`));
    });
  });
}

export interface LockHolder {
  /** The PGAPPNAME of the holding process. */
  readonly name: string;
  /** The server process of the holding session. */
  readonly pid: number;
}

/** Who holds the projector's leadership lock (a session lock on a connection of its own), i.e. which process projects right now. */
export async function projectorLeader(pool: Pool, projection = 'ledger'): Promise<LockHolder | undefined> {
  const { rows } = await pool.query<LockHolder>(
    `select a.application_name as name, a.pid from pg_locks l join pg_stat_activity a on a.pid = l.pid
     where l.locktype = 'advisory' and l.granted and l.objsubid = 2
       and l.classid = hashtext('projector')::oid and l.objid = hashtext($1)::oid`,
    [projection],
  );
  return rows[0];
}

/** Whether a session of the named process is inside a projector batch (each batch holds this transaction lock). */
export async function inBatch(pool: Pool, name: string, projection = 'ledger'): Promise<boolean> {
  const { rows } = await pool.query(
    `select 1 from pg_locks l join pg_stat_activity a on a.pid = l.pid
     where l.locktype = 'advisory' and l.granted and l.objsubid = 2 and a.application_name = $2
       and l.classid = hashtext('projector-batch')::oid and l.objid = hashtext($1)::oid`,
    [projection, name],
  );
  return rows.length > 0;
}
