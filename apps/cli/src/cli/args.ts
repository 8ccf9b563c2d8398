import { accessSync, constants, existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { parseArgs, ParseArgsConfig } from 'node:util';

/** A bad argument or value: one line on stderr and exit 2, before any work starts. */
export class UsageError extends Error {}

/** `--help` or `-h`: the usage on stdout and exit 0, and nothing run. */
export class HelpRequested extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandSpec<O extends Options> {
  readonly usage: string;
  readonly options: O;
  /** Names of the positional arguments the command takes, in order; none when absent. */
  readonly positionals?: readonly string[];
}

/**
 * Every CLI's arguments through node:util parseArgs in strict mode: an
 * unknown option, a missing value or an extra argument is a UsageError of
 * one line, and `--help` anywhere wins over everything else.
 */
export function parseCommand<O extends Options>(spec: CommandSpec<O>, argv: readonly string[]) {
  if (argv.includes('--help') || argv.includes('-h')) throw new HelpRequested(spec.usage);
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: spec.options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${firstSentence(error)} (--help lists the options)`);
  }
  const allowed = spec.positionals?.length ?? 0;
  if (parsed.positionals.length > allowed) {
    throw new UsageError(`unexpected argument '${parsed.positionals[allowed]}' (--help lists the options)`);
  }
  return parsed;
}

/**
 * parseArgs explains itself in a first sentence, then how to pass a
 * positional that starts with '-'. Its TypeError may come from another realm
 * (jest's sandbox), where instanceof Error is false: the message is read as is.
 */
function firstSentence(error: unknown): string {
  const { message } = error as { message?: unknown };
  if (typeof message !== 'string') return String(error);
  return message.split(/\.\s/)[0]!.replace(/\.$/, '');
}

export type ReportFormat = 'csv' | 'json';

const FORMAT_EXTENSIONS: Readonly<Record<string, ReportFormat>> = { '.csv': 'csv', '.json': 'json' };

export interface OutputTarget {
  /** Absent: stdout. */
  readonly path: string | undefined;
  readonly format: ReportFormat;
}

/**
 * Where a report goes and in which format, decided before the work: the
 * format is --format, else the extension of --out (JSON on stdout), and an
 * extension that names no format the command writes is refused rather than
 * given JSON under its name; --out's directory must exist and be writable.
 */
export function outputTarget(out: string | undefined, format: string | undefined, formats: readonly ReportFormat[]): OutputTarget {
  const named = formats.find((f) => f === format);
  if (format !== undefined && !named) throw new UsageError(`--format must be ${formats.join(' or ')}, got '${format}'`);
  if (out === undefined) return { path: undefined, format: named ?? 'json' };
  const extension = extname(out).toLowerCase();
  const implied = formats.find((f) => f === FORMAT_EXTENSIONS[extension]);
  if (named && implied && named !== implied) throw new UsageError(`--out ${out} names ${implied} but --format is ${named}`);
  if (!named && !implied) {
    throw new UsageError(
      `--out ${out}: '${extension || '(no extension)'}' is not a format this command writes; use ${formats.map((f) => `.${f}`).join(' or ')}, or --format`,
    );
  }
  assertWritable(out);
  return { path: out, format: (named ?? implied)! };
}

function assertWritable(out: string): void {
  const path = resolve(out);
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`--out ${out} is a directory`);
  const directory = dirname(path);
  if (!existsSync(directory) || !statSync(directory).isDirectory())
    throw new UsageError(`--out ${out}: directory ${directory} does not exist`);
  try {
    accessSync(directory, constants.W_OK);
    if (existsSync(path)) accessSync(path, constants.W_OK);
  } catch {
    throw new UsageError(`--out ${out} is not writable`);
  }
}

/** The report on stdout, or in the target file with a line on stderr saying so. */
export function writeReport(target: OutputTarget, body: string, log: (line: string) => void): void {
  if (!target.path) return void process.stdout.write(body);
  writeFileSync(target.path, body);
  log(`wrote ${target.path}`);
}

/** A positive whole number option, or the fallback when it is absent. */
export function countOption(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d{1,10}$/.test(raw) || Number(raw) < 1) throw new UsageError(`--${name} must be a positive integer, got '${raw}'`);
  return Number(raw);
}
