import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { Options } from 'pino-http';
import { Logger } from '@loyalty/platform';
import { requestId } from './http-hooks';

/**
 * The route template of each request in flight. Fastify matches it; pino-http
 * sees only the raw request, and logging the template rather than the URL
 * keeps member ids, codes and query values out of the access log.
 */
export class RouteTemplates {
  private readonly byRequest = new WeakMap<IncomingMessage, string>();

  remember(raw: IncomingMessage, route: string): void {
    this.byRequest.set(raw, route);
  }

  of(raw: IncomingMessage): string {
    return this.byRequest.get(raw) ?? 'unmatched';
  }
}

interface AccessLogFields {
  readonly method: string | undefined;
  readonly route: string;
  readonly status: number;
  readonly durationMs: number;
}

/**
 * pino-http for the access log: one line per request with its id, method,
 * route template, status and duration; no URL, no headers, no body. Every
 * other line logged while the request runs carries the same requestId.
 */
export function accessLogOptions(logger: Logger, routes: RouteTemplates): Options {
  const fields = (req: IncomingMessage, res: ServerResponse, responseTimeMs: number): AccessLogFields => ({
    method: req.method,
    route: routes.of(req),
    status: res.statusCode,
    durationMs: responseTimeMs,
  });
  return {
    logger,
    // Fastify has already named the request (its genReqId is requestId too) and pino-http reuses that id.
    genReqId: requestId,
    quietReqLogger: true,
    quietResLogger: true,
    customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
    customSuccessObject: (req, res, val: { durationMs: number }) => fields(req, res, val.durationMs),
    customErrorObject: (req, res, _error, val: { durationMs: number }) => fields(req, res, val.durationMs),
  };
}

@Module({})
class LoggedLedgerApiModule {}

/** The app under nestjs-pino: Nest's own lines and the access log through the process's one logger. */
export function withHttpLogging(app: DynamicModule, logger: Logger, routes: RouteTemplates): DynamicModule {
  return {
    module: LoggedLedgerApiModule,
    imports: [
      LoggerModule.forRoot({ pinoHttp: accessLogOptions(logger, routes), forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }] }),
      app,
    ],
  };
}
