import { LoggerService } from '@nestjs/common';

type Level = 'error' | 'warn' | 'info' | 'debug';

/**
 * One JSON object per line on stdout, for log shippers. Messages are the
 * app's own words; request logs carry ids and routes, never bodies, so no
 * personal data reaches the logs.
 */
export class JsonLogger implements LoggerService {
  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(line + '\n')) {}

  log(message: unknown, context?: string) {
    this.emit('info', message, context);
  }
  error(message: unknown, trace?: string, context?: string) {
    this.emit('error', message, context, trace);
  }
  warn(message: unknown, context?: string) {
    this.emit('warn', message, context);
  }
  debug(message: unknown, context?: string) {
    this.emit('debug', message, context);
  }
  verbose(message: unknown, context?: string) {
    this.emit('debug', message, context);
  }

  /** A structured event: fields beyond the message, e.g. a request's id, route, status and duration. */
  event(level: Level, message: string, fields: Record<string, unknown>) {
    this.write(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }));
  }

  private emit(level: Level, message: unknown, context?: string, trace?: string) {
    const text = message instanceof Error ? message.message : typeof message === 'string' ? message : JSON.stringify(message);
    this.event(level, text, { ...(context ? { context } : {}), ...(trace ? { trace } : {}) });
  }
}
