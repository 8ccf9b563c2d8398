import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBuiltApp } from '../support/app-process';

const ROOT = join(__dirname, '..', '..');
const START_TIMEOUT_MS = 60_000;

/**
 * The README's promise, kept as a newcomer would: the start command serves
 * the API on embedded PostgreSQL, SIGTERM shuts it down cleanly, and a
 * restart on the same data directory still has the ledger.
 */
describe('npm start on embedded defaults', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'loyalty-start-'));
  // As root, embedded PostgreSQL runs as its own user, which must be able to enter the data dir.
  chmodSync(dataDir, 0o755);

  beforeAll(() => requireBuiltApp());
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  function start(): Promise<{ child: ChildProcess; url: string; output: () => string }> {
    // The same entry point `npm start` runs after its build step.
    const child = spawn(process.execPath, ['dist/apps/ledger-api/src/main.js'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', API_KEYS: '', DATABASE_URL: '', NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL within ${START_TIMEOUT_MS} ms:\n${output}`)), START_TIMEOUT_MS);
      child.stdout.on('data', () => {
        const match = /listening on (http:\/\/\S+)/.exec(output);
        if (match && /dev-pos-key/.test(output)) {
          clearTimeout(timer);
          resolve({ child, url: match[1]!, output: () => output });
        }
      });
      child.on('exit', (code) => reject(new Error(`exited with ${code} before serving:\n${output}`)));
    });
  }

  /** SIGTERM, and the exit code; anything but 0 fails with what the app printed, which says why. */
  async function stopCleanly(app: { child: ChildProcess; output: () => string }): Promise<void> {
    const code = await new Promise<number | null>((resolve) => {
      app.child.removeAllListeners('exit');
      app.child.on('exit', (exitCode) => resolve(exitCode));
      app.child.kill('SIGTERM');
    });
    if (code !== 0) throw new Error(`exit code ${code} after SIGTERM; the app printed:\n${app.output()}`);
    // Stopped cleanly, PostgreSQL removes its lock file: nothing is left running on the data dir.
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  }

  async function call(url: string, method: string, path: string, body?: unknown) {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { 'x-api-key': 'dev-admin-key', ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies are untyped; the assertions check them
    return { status: response.status, body: (await response.json()) as any };
  }

  it('serves, prints the URL, docs and dev keys, stops on SIGTERM and keeps the data across a restart', async () => {
    const first = await start();
    expect(first.output()).toMatch(/docs/);
    expect(first.output()).toMatch(/dev-admin-key/);
    const program = {
      currency: 'EUR',
      pointValueMinor: 1,
      earning: { pointsPerUnit: 1, unitMinor: 100, welcomeBonus: 10 },
      pendingDays: 0,
      expiryMonths: 0,
    };
    expect((await call(first.url, 'PUT', '/v1/program', program)).status).toBe(201);
    expect((await call(first.url, 'POST', '/v1/members', { memberId: 'boot-1', type: 'individual' })).status).toBe(201);
    const buy = await call(first.url, 'POST', '/v1/purchases', {
      transactionId: 'boot-tx',
      memberId: 'boot-1',
      amountMinor: 1234,
      currency: 'EUR',
    });
    expect(buy.status).toBe(201);
    expect((await call(first.url, 'GET', `/v1/members/boot-1/balance?minPosition=${buy.body.position}`)).body.available).toBe(22);
    await stopCleanly(first);

    const second = await start();
    const balance = await call(second.url, 'GET', '/v1/members/boot-1/balance');
    expect(balance.body).toMatchObject({ available: 22, lifetimeEarned: 22 });
    expect((await call(second.url, 'GET', '/health/ready')).status).toBe(200);
    await stopCleanly(second);
  }, 180_000);
});
