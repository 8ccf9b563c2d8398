import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { auditLiability, auditReconciliation, auditRollForward, FoldProgress, reportToCsv } from '@loyalty/audit';
import { INSTANT_MAX, INSTANT_MIN, parseInstant } from '@loyalty/domain';
import { loadConfig } from '@loyalty/platform';
import { seedLog } from '../seed/seed-log';
import { openStorage } from '../storage';

export const AUDIT_USAGE = `usage: npm run audit -- <command> [options]
  liability    --as-of <ISO>  [--at-position N] [--by-member] [--out file.csv|file.json] [--format csv|json]
  roll-forward --from <ISO> --to <ISO>  [--at-position N] [--by-member] [--out ...] [--format ...]
  reconcile    [--out ...] [--format ...]
  seed         [--events 1000000] [--members 20000] [--seed 1]
Storage: DATABASE_URL / EVENT_STORE as the app, else the embedded PostgreSQL under DATA_DIR (default ./.data).
The embedded server serves one process at a time: stop \`npm start\` first, or set DATABASE_URL.`;

export class UsageError extends Error {}

/** The command ran and wrote its report, and the report is a failure (reconciliation found differences): exit 1, no stack. */
export class FailedReport extends Error {}

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

function count(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d{1,10}$/.test(raw) || Number(raw) < 1) throw new UsageError(`--${name} must be a positive integer`);
  return Number(raw);
}

export async function auditCommand(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
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
  });
  const [command] = positionals;
  if (!command || !['liability', 'roll-forward', 'reconcile', 'seed'].includes(command)) throw new UsageError(AUDIT_USAGE);
  const nowMs = Date.now();
  const format = values.format ?? (values.out?.endsWith('.csv') ? 'csv' : 'json');
  if (format !== 'csv' && format !== 'json') throw new UsageError('--format is csv or json');
  const atPosition =
    values['at-position'] === undefined ? undefined : /^\d{1,20}$/.test(values['at-position']) ? BigInt(values['at-position']) : undefined;
  if (values['at-position'] !== undefined && atPosition === undefined) throw new UsageError('--at-position must be a log position');
  // Validate every argument before starting a database.
  const asOfMs = command === 'liability' ? instant('as-of', values['as-of'], nowMs) : 0;
  const period =
    command === 'roll-forward' ? { from: instant('from', values.from, nowMs), to: instant('to', values.to, nowMs) } : undefined;
  if (period && period.from >= period.to) throw new UsageError('--from must be before --to');

  const storage = await openStorage(loadConfig(), stderr);
  try {
    const options = { atPosition, byMember: values['by-member'] ?? false, onProgress: progress };
    let report: object;
    if (command === 'seed') {
      const events = count('events', values.events, 1_000_000);
      const started = Date.now();
      const result = await seedLog(storage.store, {
        events,
        members: count('members', values.members, 20_000),
        seed: count('seed', values.seed, 1),
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
    const body = format === 'csv' ? reportToCsv(report) : `${JSON.stringify(report, null, 2)}\n`;
    if (values.out) {
      writeFileSync(values.out, body);
      stderr(`audit: wrote ${values.out}`);
    } else {
      process.stdout.write(body);
    }
    if ('healthy' in report && report.healthy === false)
      throw new FailedReport('audit: reconciliation found differences between the log and the read models (see the report)');
  } finally {
    await storage.close();
  }
}
