import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../apps/cli/src/commands/audit-command';
import { simulateCommand } from '../../apps/cli/src/commands/simulate-command';
import { PROGRAM, startTestLedger, TestLedger } from '../support/ledger';
import {
  CURRENT,
  DOUBLED_EARNING,
  DOUBLED_FIGURES,
  LOWER_GOLD,
  LOWER_GOLD_FIGURES,
  recordScenario,
  SHORT_EXPIRY,
  SHORT_EXPIRY_FIGURES,
  WINDOW,
} from './scenario';

describe('npm run simulate', () => {
  let t: TestLedger;
  const dir = mkdtempSync(join(tmpdir(), 'simulate-'));

  beforeAll(async () => {
    t = await startTestLedger('simulate-command');
    await recordScenario(t);
  });
  afterAll(async () => t.close());

  const programFile = (name: string, program: unknown) => {
    const path = join(dir, `${name}.json`);
    writeFileSync(path, JSON.stringify(program));
    return path;
  };
  const run = (args: string[]) => simulateCommand(args, { ...process.env, DATABASE_URL: t.databaseUrl });

  it.each([
    ['doubled', DOUBLED_EARNING, DOUBLED_FIGURES],
    ['lower-gold', LOWER_GOLD, LOWER_GOLD_FIGURES],
    ['short-expiry', SHORT_EXPIRY, SHORT_EXPIRY_FIGURES],
  ])('writes the %s candidate beside the program in force to --out', async (name, candidate, figures) => {
    const out = join(dir, `${name}-report.json`);
    await run(['--program', programFile(name, candidate), '--from', WINDOW.from, '--to', WINDOW.to, '--out', out]);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report).toMatchObject({ ...WINDOW, current: CURRENT, candidate: figures });
  });

  it('refuses, before opening any storage, what POST /v1/simulations refuses', async () => {
    const good = programFile('good', PROGRAM);
    await expect(run(['--from', WINDOW.from, '--to', WINDOW.to])).rejects.toThrow(/--program is required/);
    await expect(run(['--program', good, '--from', '2025-02-30T00:00:00Z', '--to', WINDOW.to])).rejects.toThrow(/real date and time/);
    await expect(run(['--program', good, '--from', '2024-01-01T00:00:00Z', '--to', WINDOW.to])).rejects.toThrow(
      /SIMULATION_WINDOW_TOO_LONG/,
    );
    const bad = programFile('bad', { ...PROGRAM, earning: { ...PROGRAM.earning, unitMinor: 0 } });
    await expect(run(['--program', bad, '--from', WINDOW.from, '--to', WINDOW.to])).rejects.toThrow(/earning.unitMinor/);
    await expect(run(['--program', join(dir, 'missing.json'), '--from', WINDOW.from, '--to', WINDOW.to])).rejects.toThrow(UsageError);
  });
});
