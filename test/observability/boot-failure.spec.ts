import { execFile } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const BOOT_TIMEOUT_MS = 60_000;

/** `npm start`'s entry point run from the sources, as the CLIs are, to its exit. */
function boot(env: Record<string, string>): Promise<{ code: number; lines: string[] }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', './apps/cli/register.js', 'apps/ledger-api/src/main.ts'],
      { cwd: ROOT, env: { ...process.env, PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'development', ...env }, timeout: BOOT_TIMEOUT_MS },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code) : 0, lines: `${stdout}${stderr}`.split('\n').filter((line) => line !== '') }),
    );
  });
}

/** A boot that cannot work says why in one JSON line and exits 1, not with a stack. */
describe('a boot failure', () => {
  it.each([
    [
      'DATABASE_URL that is no URL',
      { DATABASE_URL: 'foo' },
      /^the ledger did not start: invalid configuration: DATABASE_URL must be a URL/,
    ],
    [
      'a database out of reach',
      { DATABASE_URL: 'postgres://loyalty:pa55word@127.0.0.1:1/loyalty' },
      /^the ledger did not start: cannot connect to the database at 127\.0\.0\.1:1\/loyalty \(DATABASE_URL\): connect ECONNREFUSED/,
    ],
    ['an unknown LOG_LEVEL', { LOG_LEVEL: 'chatty' }, /^the ledger did not start: invalid configuration: LOG_LEVEL must be one of/],
  ])(
    '%s is one line, exit 1',
    async (_case, env, message) => {
      const { code, lines } = await boot(env);
      expect(code).toBe(1);
      expect(lines).toHaveLength(1);
      const line = JSON.parse(lines[0]!) as Record<string, unknown>;
      expect(line).toMatchObject({ level: 'fatal', msg: expect.stringMatching(message) as unknown });
      expect(line.stack).toBeUndefined();
      expect(lines[0]).not.toContain('pa55word');
    },
    BOOT_TIMEOUT_MS,
  );
});
