import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DomainError, INSTANT_MAX, INSTANT_MIN, parseInstant, ProgramPolicy } from '@loyalty/domain';
import { EventStore } from '@loyalty/event-store';
import { loadConfig } from '@loyalty/platform';
import { ApiError } from '../../../ledger-api/src/http/api-error';
import { validationPipe } from '../../../ledger-api/src/http/validation';
import { ProgramDto } from '../../../ledger-api/src/program/program.dto';
import { candidatePolicy, runSimulation, SimulationProgress, simulationWindow } from '../../../ledger-api/src/simulation/run-simulation';
import { openStorage } from '../storage';
import { UsageError } from './audit-command';

export const SIMULATE_USAGE = `usage: npm run simulate -- --program <file.json> --from <ISO> --to <ISO> [--out <file.json>]
  Replays the log's decisions in (from, to] under the programs in force and under the candidate program
  (a JSON file written as the body of PUT /v1/program), writing nothing, and prints both sides' figures.
  At most 400 days; --to not in the future. Progress on stderr; the report on stdout, or in --out.
Storage: DATABASE_URL / EVENT_STORE as the app, else the embedded PostgreSQL under DATA_DIR (default ./.data).`;

const stderr = (line: string) => process.stderr.write(`${line}\n`);

function progress(p: SimulationProgress): void {
  const rate = p.elapsedMs > 0 ? Math.round((p.eventsRead * 1000) / p.elapsedMs) : 0;
  stderr(`simulate: ${p.eventsRead} events read, ${rate} events/s`);
}

function instantArg(name: string, raw: string | undefined): string {
  if (!raw) throw new UsageError(`--${name} is required\n${SIMULATE_USAGE}`);
  if (parseInstant(raw) === undefined) {
    throw new UsageError(
      `--${name} must be ISO 8601 with an offset, a real date and time from ${INSTANT_MIN} to ${INSTANT_MAX}, got ${raw}`,
    );
  }
  return raw;
}

/** The file's JSON through the very pipe PUT /v1/program's body goes through, so it is refused for the same reasons. */
async function programDto(path: string): Promise<ProgramDto> {
  let body: unknown;
  try {
    body = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`--program ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return (await validationPipe().transform(body, { type: 'body', metatype: ProgramDto })) as ProgramDto;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const fields = (error.details.fields ?? []) as Array<{ field: string; problems: string[] }>;
    throw new UsageError(
      `--program ${path} is not a valid program (${error.code}):\n${fields.map((f) => `  ${f.field}: ${f.problems.join('; ')}`).join('\n')}`,
    );
  }
}

/** A domain refusal (an invalid program, a bad window) is the operator's input: a usage error with its code. */
async function refusedAsUsage<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DomainError) throw new UsageError(`${error.code}: ${error.message}`);
    throw error;
  }
}

export async function simulateCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      program: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return void process.stdout.write(`${SIMULATE_USAGE}\n`);
  if (!values.program) throw new UsageError(`--program is required\n${SIMULATE_USAGE}`);
  // Every argument is checked before a database is opened.
  const window = await refusedAsUsage(() => simulationWindow(instantArg('from', values.from), instantArg('to', values.to), Date.now()));
  const dto = await programDto(values.program);
  const storage = await openStorage(loadConfig(env), stderr);
  try {
    const store: EventStore = storage.store;
    const candidate: ProgramPolicy = await refusedAsUsage(() => candidatePolicy(store, dto));
    const started = Date.now();
    const report = await refusedAsUsage(() => runSimulation(store, window, candidate, progress));
    stderr(`simulate: ${report.eventsRead} events, ${report.membersReplayed} members in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const body = `${JSON.stringify(report, null, 2)}\n`;
    if (!values.out) return void process.stdout.write(body);
    writeFileSync(values.out, body);
    stderr(`simulate: wrote ${values.out}`);
  } finally {
    await storage.close();
  }
}
