import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { DomainError, DomainErrorKind } from '@loyalty/domain';
import { ConcurrencyExhaustedError, EventStoreUnavailableError } from '@loyalty/event-store';
import { ApiError } from './api-error';

const STATUS_BY_KIND: Record<DomainErrorKind, number> = { invalid: 400, not_found: 404, conflict: 409, rejected: 422 };

interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> };
}

/**
 * The one place errors become HTTP. Anything unrecognised is a 500 with no
 * internal detail in the body; the detail goes to the log.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, body, headers } = this.describe(exception);
    if (status === 500) this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    for (const [name, value] of Object.entries(headers)) void reply.header(name, value);
    void reply.status(status).send(body);
  }

  private describe(exception: unknown): { status: number; body: ErrorBody; headers: Record<string, string> } {
    if (exception instanceof ApiError) {
      return { status: exception.getStatus(), body: exception.getResponse() as ErrorBody, headers: exception.headers };
    }
    if (exception instanceof DomainError) {
      return this.error(STATUS_BY_KIND[exception.kind], exception.code, exception.message, exception.details);
    }
    if (exception instanceof ConcurrencyExhaustedError) {
      return this.error(409, exception.code, 'the member was changed concurrently too often; retry the request', {});
    }
    if (exception instanceof EventStoreUnavailableError) {
      return { ...this.error(503, exception.code, 'the event store is unavailable; retry later', {}), headers: { 'retry-after': '1' } };
    }
    if (isDatabaseUnavailable(exception)) {
      return {
        ...this.error(503, 'DATABASE_UNAVAILABLE', 'the database is unavailable; retry later', {}),
        headers: { 'retry-after': '1' },
      };
    }
    if (exception instanceof HttpException) {
      const { code, message } = httpCode(exception);
      return this.error(exception.getStatus(), code, message, {});
    }
    return this.error(500, 'INTERNAL_ERROR', 'internal error; the request was not applied', {});
  }

  private error(status: number, code: string, message: string, details: Record<string, unknown>) {
    return { status, body: { error: { code, message, details } }, headers: {} };
  }
}

/**
 * Nest turns what fastify refuses before a route runs (bad JSON, body too
 * large, wrong media type) into plain HttpExceptions; give them stable codes.
 */
function httpCode(exception: HttpException): { code: string; message: string } {
  const status = exception.getStatus();
  switch (status) {
    case 400:
      return /JSON/.test(exception.message)
        ? { code: 'MALFORMED_JSON', message: 'the request body is not valid JSON' }
        : { code: 'MALFORMED_REQUEST', message: 'the request could not be read' };
    case 404:
      return { code: 'ROUTE_NOT_FOUND', message: exception.message };
    case 405:
      return { code: 'METHOD_NOT_ALLOWED', message: exception.message };
    case 413:
      return { code: 'BODY_TOO_LARGE', message: 'the request body is too large' };
    case 415:
      return { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'send application/json' };
    default:
      return { code: `HTTP_${status}`, message: exception.message };
  }
}

/**
 * A database that is down or restarting is a 503 the client can retry, not a
 * 500: connection refused or reset, the server shutting down (57P01-57P03),
 * connection failures (class 08), or a pool that cannot connect.
 */
function isDatabaseUnavailable(exception: unknown): boolean {
  for (
    let e = exception as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 4;
    depth++
  ) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (/^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|57P0[123]|08\d{3})$/.test(code)) return true;
    if (
      typeof e.message === 'string' &&
      /Connection terminated|connect ECONNREFUSED|the database system is (starting up|shutting down)|timeout exceeded when trying to connect/.test(
        e.message,
      )
    )
      return true;
    e = (e.driverError ?? e.cause) as typeof e;
  }
  return false;
}
