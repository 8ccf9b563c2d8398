import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createTestDatabase } from '../support/postgres';
import { requireBuiltApp } from '../support/app-process';

const ROOT = join(__dirname, '..', '..');
const START_TIMEOUT_MS = 60_000;
/** Fails the process on any package `npm prune --omit=dev` removes, as the Docker image's install would. */
const PRUNED = `--require ${join(ROOT, 'test', 'support', 'refuse-dev-dependencies.js')}`;
const API_KEYS = 'admin:prod-admin-key-0001,pos:prod-pos-key-0001';
const STOP_TIMEOUT_MS = 20_000;
const STOP_POLL_MS = 200;

/** `npm run start:prod` as written in package.json, on a built dist/, with only what a production install has. */
function startProd(env: Record<string, string>): ChildProcess & { output: () => string; closed: Promise<void> } {
  const child = spawn('npm', ['run', '--silent', 'start:prod'], {
    cwd: ROOT,
    // Its own process group: npm dies on SIGTERM without passing it on, so a stop signals the group, as a terminal's Ctrl-C does.
    detached: true,
    env: { ...process.env, NODE_OPTIONS: PRUNED, PORT: '0', HOST: '127.0.0.1', NODE_ENV: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  // 'close' comes once every process holding the output pipes has exited: the app logs asynchronously and
  // flushes at exit, so its last lines arrive after it stops serving, and npm's own exit comes before the app's.
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return Object.assign(child, { output: () => output, closed });
}

function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

/** True once the promise settles within STOP_TIMEOUT_MS. */
function within<T>(promise: Promise<T>): Promise<boolean> {
  return Promise.race([
    promise.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), STOP_TIMEOUT_MS).unref()),
  ]);
}

/** True once nothing answers at url: the app stopped, rather than being orphaned by npm's exit. */
async function stoppedServing(url: string): Promise<boolean> {
  for (const deadline = Date.now() + STOP_TIMEOUT_MS; Date.now() < deadline;) {
    const served = await fetch(`${url}/health/live`).then(
      () => true,
      () => false,
    );
    if (!served) return true;
    await new Promise((resolve) => setTimeout(resolve, STOP_POLL_MS));
  }
  return false;
}

function listening(child: ChildProcess & { output: () => string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within ${START_TIMEOUT_MS} ms:\n${child.output()}`)), START_TIMEOUT_MS);
    child.stdout?.on('data', () => {
      const match = /listening on (http:\/\/\S+)/.exec(child.output());
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code} before serving:\n${child.output()}`)));
  });
}

describe('npm run start:prod on a production install', () => {
  beforeAll(() => requireBuiltApp());

  it('the guard itself refuses a development dependency and lets a production one load', () => {
    const load = (name: string) =>
      spawnSync(process.execPath, ['-e', `require(${JSON.stringify(name)})`], { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: PRUNED } });
    const dev = load('fast-check');
    expect(dev.status).not.toBe(0);
    expect(dev.stderr.toString()).toMatch(/development dependency/);
    expect(load('pg').status).toBe(0);
  });

  it('refuses to start without DATABASE_URL, saying so, since it has no embedded PostgreSQL', async () => {
    const app = startProd({ API_KEYS, DATABASE_URL: '' });
    expect(await exitCode(app)).not.toBe(0);
    expect(app.output()).toMatch(/DATABASE_URL is required when NODE_ENV=production: a production install has no embedded PostgreSQL/);
  });

  it('serves /health/ready without building or loading a development dependency, and stops on SIGTERM to its process group', async () => {
    const app = startProd({ API_KEYS, DATABASE_URL: await createTestDatabase('start-prod') });
    const url = await listening(app);
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    const program = await fetch(`${url}/v1/program`, { headers: { 'x-api-key': 'prod-admin-key-0001' } });
    expect(program.status).toBe(404);
    process.kill(-app.pid!, 'SIGTERM');
    expect(await stoppedServing(url)).toBe(true);
    expect(await within(app.closed)).toBe(true);
    expect(app.output()).toMatch(/SIGTERM received/);
    expect(app.output()).not.toMatch(/development dependency|shutdown failed/);
  }, 90_000);
});
