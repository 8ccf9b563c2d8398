import pino, { DestinationStream, Logger } from 'pino';
import { ConfigError } from '../config/config';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_LEVEL_DEFAULT: LogLevel = 'info';

/**
 * Credentials a logged request, response or error could carry. The access
 * log serialises none of them; this is the net for anything else that logs
 * a request or a client's configuration.
 */
export const REDACTED_LOG_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-api-key"]',
];

/** LOG_LEVEL, default info; an unknown level is a configuration error, not a silent default. */
export function logLevelFrom(env: NodeJS.ProcessEnv): LogLevel {
  const raw = env.LOG_LEVEL;
  if (raw === undefined || raw === '') return LOG_LEVEL_DEFAULT;
  const level = LOG_LEVELS.find((known) => known === raw.trim().toLowerCase());
  if (!level) throw new ConfigError([`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${raw}")`]);
  return level;
}

export interface LoggerOptions {
  readonly level?: LogLevel;
  /**
   * Default: stdout, buffered off the request path; pino writes what is
   * buffered synchronously when the process exits, so the last lines (a boot
   * failure, a shutdown report) are never lost.
   */
  readonly destination?: DestinationStream;
}

/**
 * The one logger of every process: one JSON object per line on stdout, the
 * level as its name ("level":"error"), an ISO time, no credentials.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? LOG_LEVEL_DEFAULT,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...REDACTED_LOG_PATHS], censor: '[redacted]' },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/** The logger for a `(line) => void` sink the libraries take (projector, relays, pools), under the part's name. */
export function lineLogger(logger: Logger, context: string, level: 'info' | 'warn' = 'info'): (line: string) => void {
  const child = logger.child({ context });
  return (line) => child[level](line);
}
