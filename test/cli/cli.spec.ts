import { ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const CLI = ['-r', './apps/cli/register.js', 'apps/cli/src/main.ts'];
/** Nothing listens on port 1: a command that got as far as the database would fail there, with exit 1. */
const UNREACHABLE_DATABASE_URL = 'postgres://ledger:secret@127.0.0.1:1/loyalty';
const START_TIMEOUT_MS = 90_000;
const AS_OF = '2026-01-01T00:00:00Z';
/** Each case starts a Node process that compiles the CLI: seconds apiece on a loaded 2-core machine. */
jest.setTimeout(120_000);

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: ROOT, env: { ...process.env, NODE_ENV: 'development', ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

const cli = (args: string[], env: NodeJS.ProcessEnv = { DATABASE_URL: UNREACHABLE_DATABASE_URL }) =>
  run(process.execPath, [...CLI, ...args], env);

/** One line on stderr, and no stack frame in it. */
function expectOneLine(result: Run, code: number, pattern: RegExp): void {
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code, stderr: expect.stringMatching(pattern) as unknown });
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

describe('the CLIs explain themselves', () => {
  const dir = mkdtempSync(join(tmpdir(), 'loyalty-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['audit', /npm run ledger:audit -- <command>/],
    ['simulate', /npm run simulate -- --program/],
    ['projections-rebuild', /npm run projections:rebuild -- \[--keep-old\]/],
    ['db-url', /npm run -s db:url/],
    ['bench-audit', /npm run bench:audit/],
  ])('%s --help prints its usage on stdout and exits 0, touching no database', async (tool, usage) => {
    const result = await cli([tool, '--help']);
    expect(result).toEqual({ code: 0, stdout: expect.stringMatching(usage) as unknown, stderr: '' });
  });

  it.each([
    [['audit', 'liability', '--as-of', AS_OF, '--bogus'], /Unknown option '--bogus'/],
    [['audit', 'liability', '--as-of'], /--as-of <value>' argument missing/],
    [['audit', 'balance'], /unknown command 'balance'/],
    [['audit', 'liability', '--as-of', AS_OF, '--by-member=yes'], /does not take an argument/],
    [['audit', 'seed', '--events', 'many'], /--events must be a positive integer/],
    [['simulate', '--from', AS_OF, '--extra'], /Unknown option '--extra'/],
    [['projections-rebuild', '--now'], /Unknown option '--now'/],
    [['projections-rebuild', 'all'], /unexpected argument 'all'/],
    [['bench-audit', '--sizes', '10:x'], /--sizes takes events:members pairs/],
    [['db-url', '--port'], /Unknown option '--port'/],
    [['rebuild'], /unknown tool 'rebuild'/],
  ])('%j: one line and exit 2, before any database', async (args, message) => {
    expectOneLine(await cli(args), 2, message);
  });

  it('npm run bench answers --help and refuses an unknown option or section without starting a database', async () => {
    const bench = (args: string[]) => run(process.execPath, ['-r', './apps/cli/register.js', 'bench/run.ts', ...args], {});
    expect(await bench(['--help'])).toEqual({
      code: 0,
      stdout: expect.stringMatching(/^usage: npm run bench -- \[--only /) as unknown,
      stderr: '',
    });
    expectOneLine(await bench(['--bogus']), 2, /Unknown option '--bogus'/);
    expectOneLine(await bench(['--only', 'nope']), 2, /unknown section\(s\) nope/);
  });

  it('refuses an --out it could not write, before doing the work', async () => {
    const result = await cli(['audit', 'liability', '--as-of', AS_OF, '--out', '/nonexistent/dir/x.csv']);
    expectOneLine(result, 2, /--out \/nonexistent\/dir\/x.csv: directory \/nonexistent\/dir does not exist/);
    expectOneLine(await cli(['audit', 'reconcile', '--format', 'json', '--out', dir]), 2, /is a directory/);
  });

  it('takes the format from --format or the extension, and refuses one it does not write', async () => {
    expectOneLine(await cli(['audit', 'liability', '--as-of', AS_OF, '--out', join(dir, 'x.xlsx')]), 2, /'.xlsx' is not a format/);
    const program = join(dir, 'program.json');
    writeFileSync(program, '{}');
    expectOneLine(
      await cli(['simulate', '--program', program, '--from', AS_OF, '--to', AS_OF, '--out', join(dir, 'x.csv')]),
      2,
      /use .json/,
    );
  });

  it('projections:rebuild --help and a typo never rebuild: the database is never opened', async () => {
    const help = await cli(['projections-rebuild', '--keep-old', '--help']);
    expect(help.code).toBe(0);
    expectOneLine(await cli(['projections-rebuild', '--keep-old', '--force']), 2, /Unknown option '--force'/);
  });

  it('says in one line, without the password, that DATABASE_URL is no URL or the database cannot be reached', async () => {
    const foo = await cli(['audit', 'liability', '--as-of', AS_OF], { DATABASE_URL: 'foo' });
    expectOneLine(foo, 2, /invalid configuration: DATABASE_URL must be a URL/);
    const unreachable = await cli(['projections-rebuild']);
    expectOneLine(unreachable, 1, /cannot connect to the database at 127.0.0.1:1\/loyalty \(DATABASE_URL\): connect ECONNREFUSED/);
    expect(unreachable.stderr).not.toContain('secret');
  });

  it('npm scripts run the CLIs from the sources: none builds or removes the dist/ a running ledger loads', () => {
    const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    for (const name of ['ledger:audit', 'simulate', 'projections:rebuild', 'db:url', 'bench:audit']) {
      expect(scripts[name]).toMatch(/-r \.\/apps\/cli\/register\.js apps\/cli\/src\/main\.ts/);
      expect(scripts[name]).not.toMatch(/npm run build|\bdist\b|rm -rf/);
    }
    expect(scripts.audit).toBeUndefined();
  });
});

describe('the CLIs beside a running ledger', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'loyalty-cli-live-'));
  // As root, embedded PostgreSQL runs as its own user, which must be able to enter the data dir.
  chmodSync(dataDir, 0o755);
  const env = { DATA_DIR: dataDir, DATABASE_URL: '', API_KEYS: '' };
  let app: ChildProcess;
  let output = '';
  let url = '';

  beforeAll(async () => {
    app = spawn(process.execPath, ['-r', './apps/cli/register.js', 'apps/ledger-api/src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    app.stdout!.on('data', (chunk) => (output += chunk));
    app.stderr!.on('data', (chunk) => (output += chunk));
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL within ${START_TIMEOUT_MS} ms:\n${output}`)), START_TIMEOUT_MS);
      app.stdout!.on('data', () => {
        const match = /listening on (http:\/\/\S+)[\s\S]*dev-pos-key/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      app.on('exit', (code) => reject(new Error(`exited with ${code} before serving:\n${output}`)));
    });
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    app.removeAllListeners('exit');
    await new Promise((resolve) => {
      app.on('exit', resolve);
      app.kill('SIGTERM');
    });
    rmSync(dataDir, { recursive: true, force: true });
  });

  const call = async (method: string, path: string, body: unknown, key: string) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('prints the embedded database URL at startup, and npm run db:url prints the same for scripts', async () => {
    const printed = /Database: +(postgres:\/\/\S+)/.exec(output)?.[1];
    expect(printed).toMatch(/^postgres:\/\/postgres:postgres@127\.0\.0\.1:\d+\/loyalty$/);
    expect(await run('npm', ['run', '-s', 'db:url'], env)).toEqual({ code: 0, stdout: `${printed}\n`, stderr: '' });
  });

  it('npm run ledger:audit -- liability prints the report while the ledger serves, on the ledger’s own database', async () => {
    const program = {
      currency: 'EUR',
      pointValueMinor: 1,
      earning: { pointsPerUnit: 1, unitMinor: 100 },
      pendingDays: 0,
      expiryMonths: 12,
      tiers: [{ name: 'silver', minSpendMinor: 0, multiplier: 1 }],
      rewards: [],
    };
    expect((await call('PUT', '/v1/program', program, 'dev-admin-key')).status).toBe(201);
    expect((await call('POST', '/v1/members', { memberId: 'cli-live-1', type: 'individual' }, 'dev-pos-key')).status).toBe(201);
    const purchase = { transactionId: 'cli-live-tx', memberId: 'cli-live-1', amountMinor: 4200, currency: 'EUR' };
    expect((await call('POST', '/v1/purchases', purchase, 'dev-pos-key')).status).toBe(201);

    const audit = await run('npm', ['run', '-s', 'ledger:audit', '--', 'liability', '--as-of', new Date().toISOString()], env);
    expect(audit.code).toBe(0);
    expect(JSON.parse(audit.stdout)).toMatchObject({ outstandingPoints: 42 });
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
  }, 60_000);
});
