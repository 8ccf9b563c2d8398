// autocannon ships no typings; this is the part of its programmatic API we use (README, "API").
const autocannon = require('autocannon') as (options: AutocannonOptions) => Promise<AutocannonResult>;

interface AutocannonRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
  requests: Array<AutocannonRequest & { setupRequest?: (request: AutocannonRequest) => AutocannonRequest }>;
}

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
}

export interface HttpLoadFigures {
  readonly requests: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly failures: number;
  readonly statusCodes: Record<string, number>;
}

/** `connections` clients, each sending its next request as soon as the last one answers, for `seconds`. */
export async function httpLoad(
  url: string,
  connections: number,
  seconds: number,
  request: { method: string; headers?: Record<string, string>; next: () => { path: string; body?: unknown } },
): Promise<HttpLoadFigures> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method: request.method,
        path: '/',
        headers: request.headers,
        setupRequest: (r) => {
          const { path, body } = request.next();
          return { ...r, path, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
        },
      },
    ],
  });
  return {
    requests: result.requests.total,
    perSecond: Math.round(result.requests.total / result.duration),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: result.errors + result.timeouts + result.non2xx,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count])),
  };
}
