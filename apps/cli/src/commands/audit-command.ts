import { auditLiability, auditReconciliation, auditRollForward, FoldProgress, reportToCsv } from '@loyalty/audit';
import { INSTANT_MAX, INSTANT_MIN, parseInstant } from '@loyalty/domain';
import { loadConfig } from '@loyalty/platform';
import { countOption, outputTarget, parseCommand, UsageError, writeReport } from '../cli/args';
import { FailedReport } from '../cli/run-cli';
import { seedLog } from '../seed/seed-log';
import { openStorage } from '../storage';

export { FailedReport, UsageError };

export const AUDIT_USAGE = `usage: npm run ledger:audit -- <command> [options]
  liability    --as-of <ISO>  [--at-position N] [--by-member] [--out file.csv|file.json] [--format csv|json]
  roll-forward --from <ISO> --to <ISO>  [--at-position N] [--by-member] [--out ...] [--format ...]
  reconcile    [--out ...] [--format ...]
  seed         [--events 1000000] [--members 20000] [--seed 1]
The format is --format, else the extension of --out; JSON on stdout without either. Progress on stderr.
Storage: DATABASE_URL / EVENT_STORE as the app, else the embedded PostgreSQL under DATA_DIR (default ./.data):
the running ledger's when \`npm start\` runs, else one started for the command.
Exit codes: 0 done, 1 failed (a reconciliation with differences, an unreachable database), 2 bad arguments.`;

const COMMANDS = ['liability', 'roll-forward', 'reconcile', 'seed'];

const AUDIT_COMMAND = {
  usage: AUDIT_USAGE,
  positionals: ['command'],
  options: {
    'as-of': { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    'at-position': { type: 'string' },
    'by-member': { type: 'boolean' },
    out: { type: 'string' },
    format: { type: 'string' },
    events: { type: 'string' },
    members: { type: 'string' },
    seed: { type: 'string' },
  },
} as const;

const stderr = (line: string) => process.stderr.write(`${line}\n`);

/** Progress on stderr, so stdout stays the report alone. */
function progress(p: FoldProgress): void {
  const rate = p.elapsedMs > 0 ? Math.round((p.eventsRead * 1000) / p.elapsedMs) : 0;
  stderr(`audit: ${p.eventsRead} events read, ${rate} events/s, position ${p.lastPosition ?? '-'}`);
}

function instant(name: string, raw: string | undefined, nowMs: number): number {
  if (!raw) throw new UsageError(`--${name} is required`);
  const ms = parseInstant(raw);
  if (ms === undefined) {
    throw new UsageError(
      `--${name} must be ISO 8601 with an offset, a real date and time from ${INSTANT_MIN} to ${INSTANT_MAX}, got ${raw}`,
    );
  }
  if (ms > nowMs) throw new UsageError(`--${name} may not be in the future`);
  return ms;
}

export async function auditCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const { positionals, values } = parseCommand(AUDIT_COMMAND, argv);
  const [command] = positionals;
  if (!command) throw new UsageError(`a command is required: ${COMMANDS.join(', ')} (--help lists the options)`);
  if (!COMMANDS.includes(command)) throw new UsageError(`unknown command '${command}': ${COMMANDS.join(', ')} (--help lists the options)`);
  const nowMs = Date.now();
  const target = outputTarget(values.out, values.format, ['json', 'csv']);
  const atPosition =
    values['at-position'] === undefined ? undefined : /^\d{1,20}$/.test(values['at-position']) ? BigInt(values['at-position']) : undefined;
  if (values['at-position'] !== undefined && atPosition === undefined) throw new UsageError('--at-position must be a log position');
  // Validate every argument before starting a database.
  const asOfMs = command === 'liability' ? instant('as-of', values['as-of'], nowMs) : 0;
  const period =
    command === 'roll-forward' ? { from: instant('from', values.from, nowMs), to: instant('to', values.to, nowMs) } : undefined;
  if (period && period.from >= period.to) throw new UsageError('--from must be before --to');
  const seed =
    command === 'seed'
      ? {
          events: countOption('events', values.events, 1_000_000),
          members: countOption('members', values.members, 20_000),
          seed: countOption('seed', values.seed, 1),
        }
      : undefined;

  const storage = await openStorage(loadConfig(env), stderr);
  try {
    const options = { atPosition, byMember: values['by-member'] ?? false, onProgress: progress };
    let report: object;
    if (seed) {
      const started = Date.now();
      const result = await seedLog(storage.store, {
        ...seed,
        onProgress: (written) => {
          if (written % 100_000 < 100) stderr(`seed: ${written} events`);
        },
      });
      await storage.analyze();
      const seconds = (Date.now() - started) / 1000;
      stderr(
        `seed: ${result.events} events, ${result.members} members in ${seconds.toFixed(1)} s (${Math.round(result.events / seconds)} events/s)`,
      );
      report = { events: result.events, members: result.members, lastPosition: result.lastPosition.toString() };
    } else if (command === 'liability') {
      report = await auditLiability(storage.store, asOfMs, options);
    } else if (command === 'roll-forward') {
      report = await auditRollForward(storage.store, period!.from, period!.to, options);
    } else {
      report = await auditReconciliation(storage.store, await storage.readModels(), { onProgress: progress });
    }
    writeReport(target, target.format === 'csv' ? reportToCsv(report) : `${JSON.stringify(report, null, 2)}\n`, (line) =>
      stderr(`audit: ${line}`),
    );
    if ('healthy' in report && report.healthy === false)
      throw new FailedReport('reconciliation found differences between the log and the read models (see the report)');
  } finally {
    await storage.close();
  }
}
