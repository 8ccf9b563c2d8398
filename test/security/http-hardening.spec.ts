import { request } from 'node:http';
import { KEYS, PROGRAM, startTestLedger, TestLedger } from '../support/ledger';

/** The status of a GET sent from another loopback address, so the server sees a second client. */
function statusFrom(localAddress: string, url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const sent = request(url, { localAddress, headers }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    sent.on('error', reject);
    sent.end();
  });
}

describe('HTTP hardening', () => {
  let t: TestLedger;

  beforeAll(async () => {
    t = await startTestLedger('hardening', {
      RATE_LIMIT_PER_SECOND: '2',
      RATE_LIMIT_BURST: '5',
      RATE_LIMIT_UNAUTHENTICATED_PER_SECOND: '1',
      RATE_LIMIT_UNAUTHENTICATED_BURST: '3',
    });
  });
  afterAll(async () => t.close());

  it('limits each key to its burst, answers 429 with Retry-After, and keeps other keys unaffected', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await t.call('GET', '/v1/program', undefined, { key: KEYS.analyst })).status);
    expect(statuses.slice(0, 5).every((s) => s !== 429)).toBe(true);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const limited = await t.call('GET', '/v1/program', undefined, { key: KEYS.analyst });
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect((await t.call('PUT', '/v1/program', PROGRAM, { key: KEYS.admin })).status).toBe(201);
  });

  it('limits missing and unknown keys per client address, apart from the keys, and leaves health unlimited', async () => {
    const guesses = [null, 'guessed-key-1', null, 'guessed-key-2', 'guessed-key-3'];
    const statuses: number[] = [];
    for (const key of guesses) statuses.push((await t.call('GET', '/v1/program', undefined, { key })).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const limited = await t.call('GET', '/v1/program', undefined, { key: 'guessed-key-4' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited.body.error.code).toBe('RATE_LIMITED');

    expect(await statusFrom('127.0.0.2', `${t.ledger.url}/v1/program`, { 'x-api-key': 'guessed-key-5' })).toBe(401);
    expect((await t.call('GET', '/v1/program', undefined, { key: KEYS.pos })).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await t.call('GET', '/health/live', undefined, { key: null })).status).toBe(200);
  });

  it('sends security headers, echoes a well-formed request id and replaces a malformed one', async () => {
    const response = await t.call('GET', '/health/live', undefined, { key: null, headers: { 'x-request-id': 'trace-123' } });
    expect(response.headers.get('x-request-id')).toBe('trace-123');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(response.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
    const replaced = await t.call('GET', '/health/live', undefined, { key: null, headers: { 'x-request-id': 'bad id with spaces' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gives pages their own policy: the docs load their own scripts and styles, and are still never framed', async () => {
    const docs = await t.call('GET', '/docs', undefined, { key: null });
    expect(docs.status).toBe(200);
    const policy = docs.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("script-src 'self' 'unsafe-inline'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(docs.headers.get('x-frame-options')).toBe('DENY');
    expect(docs.headers.get('x-content-type-options')).toBe('nosniff');
    expect(docs.headers.get('cache-control')).not.toBe('no-store');
  });

  it('exposes Prometheus metrics with request latency, append latency and projection lag', async () => {
    await t.call('POST', '/v1/members', { memberId: 'metrics-1', type: 'individual' }, { key: KEYS.pos });
    const response = await t.call('GET', '/metrics', undefined, { key: KEYS.admin });
    expect(response.status).toBe(200);
    const text = String(response.body);
    expect(text).toMatch(/^loyalty_http_request_duration_seconds_bucket\{.*route="\/v1\/members".*\} \d+/m);
    expect(text).toMatch(/^loyalty_event_store_append_duration_seconds_count \d+/m);
    expect(text).toMatch(/^loyalty_projection_lag_events\{projection="ledger"\} \d+/m);
    expect(text).toMatch(/^loyalty_event_store_append_conflicts_total \d+/m);
  });
});
