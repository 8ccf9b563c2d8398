import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AppProcess,
  requireBuiltApp,
  exitsWithin,
  http,
  isAlive,
  postmasterPid,
  runAppToExit,
  startAppProcess,
} from '../support/app-process';

const PROGRAM = {
  currency: 'EUR',
  pointValueMinor: 1,
  earning: { pointsPerUnit: 1, unitMinor: 100, welcomeBonus: 10 },
  pendingDays: 0,
  expiryMonths: 0,
};
/** A fast shutdown of the embedded server takes well under a second; the watchdog allows 15 s before SIGQUIT. */
const SERVER_GONE_WITHIN_MS = 20_000;
const DEADLINE_MS = 3000;

/**
 * The embedded PostgreSQL across crashes of the app, run as `npm start` runs
 * it: a killed app leaves no server behind, a server left anyway (an older
 * version, a watchdog killed with the app) is stopped by the next start, and
 * every boot failure says what to do.
 */
describe('a restart after a crash needs no one', () => {
  const root = mkdtempSync(join(tmpdir(), 'loyalty-crash-'));
  // As root, embedded PostgreSQL runs as its own user, which must be able to enter the data dirs.
  chmodSync(root, 0o755);
  const apps: AppProcess[] = [];
  const servers: number[] = [];
  let dirs = 0;

  beforeAll(() => requireBuiltApp());
  afterAll(() => {
    for (const app of apps) app.child.kill('SIGKILL');
    for (const pid of servers) if (isAlive(pid)) process.kill(pid, 'SIGQUIT');
    rmSync(root, { recursive: true, force: true });
  });

  function dataDir(): string {
    const dir = join(root, `data-${++dirs}`);
    mkdirSync(dir, { mode: 0o755 });
    return dir;
  }

  async function start(dir: string, env: Record<string, string> = {}): Promise<AppProcess> {
    const app = await startAppProcess({ DATA_DIR: dir, DATABASE_URL: '', API_KEYS: 'admin:fault-admin-key', ...env });
    apps.push(app);
    servers.push(postmasterPid(dir)!);
    return app;
  }

  /** Enrols a member (welcome bonus: 10 points); returns the position of that write. */
  async function enrol(app: AppProcess, memberId: string): Promise<number> {
    expect((await http(app.url, 'PUT', '/v1/program', PROGRAM)).status).toBe(201);
    const enrolled = await http(app.url, 'POST', '/v1/members', { memberId, type: 'individual' });
    expect(enrolled.status).toBe(201);
    return enrolled.body.position as number;
  }

  /** The member written before the crash, read once the restarted projector has caught up with that write. */
  async function expectMember(app: AppProcess, memberId: string, position: number): Promise<void> {
    const balance = await http(app.url, 'GET', `/v1/members/${memberId}/balance?minPosition=${position}`);
    expect(balance).toMatchObject({ status: 200, body: { available: 10 } });
  }

  async function stopCleanly(app: AppProcess): Promise<void> {
    const code = await app.stop('SIGTERM');
    if (code !== 0) throw new Error(`exit code ${code} after SIGTERM; the app printed:\n${app.output()}`);
  }

  /** The watchdog shell of the server `pid`, if it has one. */
  function watchdogOf(pid: number): number | undefined {
    for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      try {
        const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
        if (argv.includes('embedded-postgres-watchdog') && argv.includes(String(pid))) return Number(entry);
      } catch {
        // gone while we looked
      }
    }
    return undefined;
  }

  it('stops the server of an app killed with SIGKILL, and the next start serves the same data', async () => {
    const dir = dataDir();
    const first = await start(dir);
    const written = await enrol(first, 'crash-1');
    const server = postmasterPid(dir)!;

    expect(await first.stop('SIGKILL')).toBeNull();
    expect(await exitsWithin(server, SERVER_GONE_WITHIN_MS)).toBe(true);

    const second = await start(dir);
    await expectMember(second, 'crash-1', written);
    await stopCleanly(second);
  }, 120_000);

  it('stops a server that a killed app left running, then starts on its data', async () => {
    const dir = dataDir();
    const first = await start(dir);
    const written = await enrol(first, 'left-1');
    const server = postmasterPid(dir)!;
    // Killed together with its watchdog (or an older version without one): the server outlives the app.
    const watchdog = watchdogOf(server);
    if (watchdog) process.kill(watchdog, 'SIGKILL');
    expect(await first.stop('SIGKILL')).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(isAlive(server)).toBe(true);

    const second = await start(dir);
    expect(second.output()).toMatch(new RegExp(`stopping the embedded PostgreSQL \\(pid ${server}, port \\d+\\) that a previous run left`));
    expect(isAlive(server)).toBe(false);
    await expectMember(second, 'left-1', written);
    await stopCleanly(second);
  }, 120_000);

  it('starts over a stale postmaster.pid that names a process long gone', async () => {
    const dir = dataDir();
    await stopCleanly(await start(dir));
    const gone = spawnSync('true').pid;
    writeFileSync(
      join(dir, 'postgres', 'postmaster.pid'),
      `${gone}\n${join(dir, 'postgres')}\n1700000000\n5432\n/tmp\nlocalhost\n  1  2\nready   \n`,
    );

    const again = await start(dir);
    expect((await http(again.url, 'GET', '/health/ready')).status).toBe(200);
    await stopCleanly(again);
  }, 120_000);

  it('refuses a second app on a data dir in use, naming the process that holds it', async () => {
    const dir = dataDir();
    const first = await start(dir);
    const second = await runAppToExit({ DATA_DIR: dir, DATABASE_URL: '', API_KEYS: 'admin:fault-admin-key' });
    expect(second.code).toBe(1);
    expect(second.output).toContain(`DATA_DIR ${dir} is in use`);
    expect(second.output).toContain(`belongs to the running process ${first.child.pid}`);
    expect((await http(first.url, 'GET', '/health/ready')).status).toBe(200);
    await stopCleanly(first);
  }, 120_000);

  (process.getuid?.() === 0 ? it : it.skip)(
    'names the fix when the server user cannot enter DATA_DIR (as root)',
    async () => {
      const closed = join(root, 'closed');
      mkdirSync(closed, { mode: 0o700 });
      const failed = await runAppToExit({ DATA_DIR: join(closed, 'data'), DATABASE_URL: '', API_KEYS: 'admin:fault-admin-key' });
      expect(failed.code).toBe(1);
      expect(failed.output).toContain(`DATA_DIR ${join(closed, 'data')} is not reachable by user postgres`);
      expect(failed.output).toContain(`chmod o+x ${closed}`);
      expect(failed.output).not.toMatch(/^undefined$/m);
    },
    120_000,
  );

  it('exits 1 naming what still runs when a stop outlasts the deadline, and the server stops all the same', async () => {
    const dir = dataDir();
    const app = await start(dir, { SHUTDOWN_DEADLINE_MS: String(DEADLINE_MS) });
    const server = postmasterPid(dir)!;
    // A client that never sends the rest of its body holds the HTTP drain open.
    const stalled = connect(Number(new URL(app.url).port), '127.0.0.1');
    await new Promise((resolve) => stalled.once('connect', resolve));
    stalled.write(
      'POST /v1/members HTTP/1.1\r\nhost: x\r\nx-api-key: fault-admin-key\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"memberId"',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    try {
      const startedMs = Date.now();
      const exited = await Promise.race([
        app.stop('SIGTERM'),
        new Promise((resolve) => setTimeout(() => resolve('still running'), DEADLINE_MS + 10_000)),
      ]);
      expect(exited).toBe(1);
      expect(Date.now() - startedMs).toBeGreaterThanOrEqual(DEADLINE_MS);
      expect(app.output()).toMatch(
        /shutdown did not finish within 3000 ms \(SHUTDOWN_DEADLINE_MS\); still running: HTTP server and reactions/,
      );
      expect(await exitsWithin(server, SERVER_GONE_WITHIN_MS)).toBe(true);
    } finally {
      stalled.destroy();
    }
  }, 120_000);
});
