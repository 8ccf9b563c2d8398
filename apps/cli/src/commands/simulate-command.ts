import { readFileSync } from 'node:fs';
import { DomainError, INSTANT_MAX, INSTANT_MIN, parseInstant, ProgramPolicy } from '@loyalty/domain';
import { EventStore } from '@loyalty/event-store';
import { loadConfig } from '@loyalty/platform';
import { ApiError } from '../../../ledger-api/src/http/api-error';
import { validationPipe } from '../../../ledger-api/src/http/validation';
import { ProgramDto } from '../../../ledger-api/src/program/program.dto';
import { candidatePolicy, runSimulation, SimulationProgress, simulationWindow } from '../../../ledger-api/src/simulation/run-simulation';
import { outputTarget, parseCommand, UsageError, writeReport } from '../cli/args';
import { openStorage } from '../storage';

export const SIMULATE_USAGE = `usage: npm run simulate -- --program <file.json> --from <ISO> --to <ISO> [--out <file.json>]
  Replays the log's decisions in (from, to] under the programs in force and under the candidate program
  (a JSON file written as the body of PUT /v1/program), writing nothing, and prints both sides' figures.
  At most 400 days; --to not in the future. Progress on stderr; the report (JSON) on stdout, or in --out.
Storage: DATABASE_URL / EVENT_STORE as the app, else the embedded PostgreSQL under DATA_DIR (default ./.data):
the running ledger's when \`npm start\` runs, else one started for the command.`;

const SIMULATE_COMMAND = {
  usage: SIMULATE_USAGE,
  options: { program: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' } },
} as const;

const stderr = (line: string) => process.stderr.write(`${line}\n`);

function progress(p: SimulationProgress): void {
  const rate = p.elapsedMs > 0 ? Math.round((p.eventsRead * 1000) / p.elapsedMs) : 0;
  stderr(`simulate: ${p.eventsRead} events read, ${rate} events/s`);
}

function instantArg(name: string, raw: string | undefined): string {
  if (!raw) throw new UsageError(`--${name} is required (--help lists the options)`);
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
  const { values } = parseCommand(SIMULATE_COMMAND, argv);
  const target = outputTarget(values.out, undefined, ['json']);
  if (!values.program) throw new UsageError(`--program is required (--help lists the options)`);
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
    writeReport(target, `${JSON.stringify(report, null, 2)}\n`, (line) => stderr(`simulate: ${line}`));
  } finally {
    await storage.close();
  }
}
