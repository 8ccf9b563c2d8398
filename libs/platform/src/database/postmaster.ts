import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';

/** A fast shutdown (SIGINT) disconnects clients and writes a checkpoint; past this the server is told to quit at once. */
export const POSTMASTER_FAST_STOP_MS = 15_000;
/** After SIGQUIT (immediate shutdown: crash recovery at the next start) the server has this long to exit. */
export const POSTMASTER_QUIT_MS = 5_000;
const EXIT_POLL_MS = 50;

/** The lines of postmaster.pid we use (PostgreSQL writes it in the data directory while it runs). */
export interface PostmasterPidFile {
  readonly pid: number;
  readonly dataDir: string;
  readonly port: number;
  /** `ready` once it accepts connections (what `pg_ctl -w` waits for). */
  readonly status: string;
}

export function postmasterPidPath(databaseDir: string): string {
  return join(databaseDir, 'postmaster.pid');
}

/** Undefined when there is no (complete) postmaster.pid: PostgreSQL writes it in steps while it boots. */
export function readPostmasterPid(databaseDir: string): PostmasterPidFile | undefined {
  let text: string;
  try {
    text = readFileSync(postmasterPidPath(databaseDir), 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0 || lines[1] === undefined) return undefined;
  return { pid, dataDir: lines[1].trim(), port: Number(lines[3]), status: (lines[7] ?? '').trim() };
}

/** Alive: it exists and is not a zombie waiting to be reaped. EPERM means it exists under another user. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return processInfo(pid)?.state !== 'Z';
}

interface ProcessInfo {
  readonly parentPid: number;
  readonly argv: readonly string[];
  readonly state: string;
}

/** From /proc where there is one (Linux), else from ps (macOS); undefined when the process is gone. */
export function processInfo(pid: number): ProcessInfo | undefined {
  if (existsSync('/proc/self/stat')) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command name in parentheses may itself hold spaces and parentheses: the fields follow the last ')'.
      const [state = '', parent = ''] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      return { parentPid: Number(parent), argv, state };
    } catch {
      return undefined;
    }
  }
  try {
    const line = execFileSync('ps', ['-o', 'ppid=,stat=,args=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    const [parent = '', state = '', ...argv] = line.split(/\s+/);
    return { parentPid: Number(parent), argv, state: state.slice(0, 1) };
  } catch {
    return undefined;
  }
}

/** Whether pid is a PostgreSQL server on databaseDir (started by this app, an older version of it, or pg_ctl). */
export function isPostmasterOf(pid: number, databaseDir: string): boolean {
  const argv = processInfo(pid)?.argv ?? [];
  if (!/^(postgres|postmaster)$/.test(basename(argv[0] ?? ''))) return false;
  const dirArg = argv[argv.indexOf('-D') + 1];
  // Without -D (PGDATA) or with a relative one (relative to whoever started it), postmaster.pid's own line is the evidence.
  return argv.indexOf('-D') < 0 || dirArg === undefined || !isAbsolute(dirArg) || resolve(dirArg) === resolve(databaseDir);
}

/** Resolves once pid has exited or the time is up; true when it exited. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isRunning(pid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, EXIT_POLL_MS));
  }
  return true;
}

/**
 * Stops a postmaster and waits for it: a fast shutdown first, then an
 * immediate one (SIGQUIT: the next start replays the WAL, nothing committed is
 * lost). Rejects when it is still running after both.
 */
export async function stopPostmaster(pid: number, log: (line: string) => void): Promise<void> {
  if (!signal(pid, 'SIGINT') || (await waitForExit(pid, POSTMASTER_FAST_STOP_MS))) return;
  log(`embedded PostgreSQL (pid ${pid}) still running ${POSTMASTER_FAST_STOP_MS} ms after a fast shutdown: sending SIGQUIT`);
  if (!signal(pid, 'SIGQUIT') || (await waitForExit(pid, POSTMASTER_QUIT_MS))) return;
  throw new Error(`embedded PostgreSQL (pid ${pid}) did not exit after SIGINT and SIGQUIT; stop it with kill -9 ${pid}`);
}

/** False when the process is already gone. */
function signal(pid: number, name: NodeJS.Signals): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}
