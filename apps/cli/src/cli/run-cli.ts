import { ConfigError, describeFailure, StartupError } from '@loyalty/platform';
import { HelpRequested, UsageError } from './args';

/** The command ran and wrote its report, and the report is a failure (reconciliation found differences): exit 1, no stack. */
export class FailedReport extends Error {}

/** The database cannot be reached or used (refused, timed out, bad credentials): one line naming it, exit 1. */
export class StorageUnavailable extends Error {}

const EXIT_OK = 0;
const EXIT_FAILED = 1;
/** What shells and getopt use for a wrong invocation. */
const EXIT_USAGE = 2;

interface Outcome {
  readonly exitCode: number;
  readonly stdout?: string;
  readonly stderr?: string;
}

/** The exit code and text for how a command ended: a stack trace only for what nobody foresaw. */
export function outcomeOf(error: unknown, tool: string): Outcome {
  if (error instanceof HelpRequested) return { exitCode: EXIT_OK, stdout: error.message };
  if (error instanceof UsageError) return { exitCode: EXIT_USAGE, stderr: `${tool}: ${error.message}` };
  if (error instanceof ConfigError) return { exitCode: EXIT_USAGE, stderr: `${tool}: invalid configuration: ${error.problems.join('; ')}` };
  if (error instanceof FailedReport || error instanceof StorageUnavailable || error instanceof StartupError) {
    return { exitCode: EXIT_FAILED, stderr: `${tool}: ${error.message}` };
  }
  return { exitCode: EXIT_FAILED, stderr: `${tool}: ${describeFailure(error)}` };
}

/** Says how a command failed (or prints its help) and exits with the code that goes with it. */
export function exitWith(error: unknown, tool: string): never {
  const outcome = outcomeOf(error, tool);
  if (outcome.stdout) process.stdout.write(`${outcome.stdout}\n`);
  if (outcome.stderr) process.stderr.write(`${outcome.stderr}\n`);
  return process.exit(outcome.exitCode);
}

/** Runs a CLI entry point on the process's arguments and exits with its outcome. */
export function runCli(tool: string, main: (argv: string[]) => Promise<void> | void): void {
  // A command that throws before its first await is reported like one that rejects.
  Promise.resolve(process.argv.slice(2))
    .then(main)
    .then(
      () => process.exit(EXIT_OK),
      (error: unknown) => exitWith(error, tool),
    );
}
