import autocannon from 'autocannon';

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
