import fc from 'fast-check';
import { PROGRAM, startTestLedger, TestLedger } from '../support/ledger';

/** Runs per endpoint; fast-check prints the seed and the shrunk request on failure. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

interface Endpoint {
  readonly method: string;
  readonly path: (id: string) => string;
  readonly valid: () => Record<string, unknown>;
}

const ENDPOINTS: Record<string, Endpoint> = {
  enrol: {
    method: 'POST',
    path: () => '/v1/members',
    valid: () => ({ memberId: 'fz-new', type: 'individual', name: 'N', email: 'n@example.com', birthDate: '1990-01-01' }),
  },
  purchase: {
    method: 'POST',
    path: () => '/v1/purchases',
    valid: () => ({
      transactionId: 'fz-tx',
      memberId: 'fz-1',
      amountMinor: 1000,
      currency: 'EUR',
      items: [{ sku: 'a', category: 'coffee', quantity: 1, unitPriceMinor: 100 }],
    }),
  },
  redeem: { method: 'POST', path: () => '/v1/redemptions', valid: () => ({ redemptionId: 'fz-rd', memberId: 'fz-1', points: 5 }) },
  refund: { method: 'POST', path: (id) => `/v1/purchases/${id}/refunds`, valid: () => ({ refundId: 'fz-rf', amountMinor: 10 }) },
  reversal: { method: 'POST', path: (id) => `/v1/redemptions/${id}/reversal`, valid: () => ({}) },
  action: { method: 'POST', path: (id) => `/v1/members/${id}/actions`, valid: () => ({ actionId: 'fz-a', type: 'review' }) },
  adjustment: {
    method: 'POST',
    path: (id) => `/v1/members/${id}/adjustments`,
    valid: () => ({ adjustmentId: 'fz-adj', points: -1, reason: 'r' }),
  },
  transfer: {
    method: 'POST',
    path: (id) => `/v1/members/${id}/transfers`,
    valid: () => ({ transferId: 'fz-tr', toMemberId: 'fz-2', points: 1 }),
  },
  program: { method: 'PUT', path: () => '/v1/program', valid: () => ({ ...PROGRAM }) },
  expire: { method: 'POST', path: () => '/v1/admin/jobs/expire', valid: () => ({ asOf: '2020-01-01T00:00:00Z' }) },
  webhook: {
    method: 'PUT',
    path: (id) => `/v1/webhooks/${id}`,
    valid: () => ({ url: 'http://127.0.0.1:9/hook', eventTypes: ['MemberEnrolled'], secret: 'fz-secret-0123456789' }),
  },
};

const hostileValue = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(
    1e308,
    -1e308,
    0.1,
    -0,
    2 ** 53,
    -(2 ** 63),
    '',
    ' ',
    'null',
    '1e3',
    '0x10',
    '\u0000',
    '😀'.repeat(50),
    '../../etc/passwd',
    "' or 1=1 --",
    'constructor',
    '__proto__',
    'toString',
    '0000-01-01T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '2026-01-01T24:00:00Z',
    [[]],
  ),
  fc.string({ maxLength: 300 }),
  fc.array(fc.jsonValue(), { maxLength: 5 }),
);

/** A valid body with one hostile change, or a body that is not what the endpoint expects at all. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), field: fc.string({ maxLength: 20 }), value: hostileValue }),
  fc.record({ kind: fc.constant('drop' as const), index: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), value: hostileValue }),
  fc.record({
    kind: fc.constant('raw' as const),
    text: fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.constantFrom(
        '{',
        '{"a":',
        '[1,2',
        'nul',
        '{"__proto__":{"x":1}}',
        '{"constructor":{"prototype":{}}}',
        '{"constructor":1,"toString":{"constructor":[]}}',
        `${'{"a":'.repeat(5000)}0${'}'.repeat(5000)}`,
        `${'['.repeat(5000)}${']'.repeat(5000)}`,
      ),
    ),
  }),
);

const pathId = fc.oneof(fc.constantFrom('fz-1', 'fz-tx-0', 'fz-rd-0', 'nobody'), fc.string({ minLength: 1, maxLength: 140 }));
const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
);

function apply(
  valid: Record<string, unknown>,
  m: typeof mutation extends fc.Arbitrary<infer T> ? T : never,
): { body?: unknown; raw?: string } {
  switch (m.kind) {
    case 'set':
      return { body: { ...valid, [m.field || Object.keys(valid)[0] || 'x']: m.value } };
    case 'drop': {
      const keys = Object.keys(valid);
      const copy = { ...valid };
      if (keys.length > 0) delete copy[keys[m.index % keys.length]!];
      return { body: copy };
    }
    case 'replace':
      return { body: m.value };
    case 'raw':
      return { raw: m.text };
  }
}

/**
 * Hostile input on every write endpoint: never a 5xx, an error body with a
 * stable code and no internals, and no write when the request is refused
 * (the event store's count proves it).
 */
describe('fuzzing the write endpoints (fast-check)', () => {
  let t: TestLedger;

  beforeAll(async () => {
    t = await startTestLedger('fuzz');
    await t.call('PUT', '/v1/program', { ...PROGRAM, earning: { ...PROGRAM.earning, welcomeBonus: 0 } });
    await t.call('POST', '/v1/members', { memberId: 'fz-1', type: 'individual' });
    await t.call('POST', '/v1/members', { memberId: 'fz-2', type: 'business' });
    await t.call('POST', '/v1/purchases', { transactionId: 'fz-tx-0', memberId: 'fz-1', amountMinor: 100, currency: 'EUR' });
  });
  afterAll(async () => t.close());

  /** Transfers in are written by the reactor, asynchronously; they are not the request's own writes. */
  async function ownEventCount(): Promise<number> {
    let count = 0;
    let after: bigint | undefined;
    for (;;) {
      const page = await t.ledger.store.readAll({ after, maxCount: 5000 });
      if (page.length === 0) return count;
      count += page.filter((e) => e.type !== 'PointsTransferredIn').length;
      after = page[page.length - 1]!.position;
    }
  }

  it.each(Object.entries(ENDPOINTS))(
    '%s: no 5xx, no internals, no write on refusal',
    async (_name, endpoint) => {
      await fc.assert(
        fc.asyncProperty(mutation, pathId, contentType, async (m, id, type) => {
          const before = await ownEventCount();
          const request = apply(endpoint.valid(), m);
          const response = await t.call(endpoint.method, endpoint.path(encodeURIComponent(id)), request.body, {
            raw: request.raw,
            headers: { 'content-type': type },
          });
          // A bound by design: a random mutation may be accepted or refused, but never crash the server.
          expect(response.status).toBeLessThan(500);
          if (response.status >= 400) {
            expect(response.body?.error?.code).toMatch(/^[A-Z0-9_]+$/);
            expect(JSON.stringify(response.body)).not.toMatch(/\bat .+\.(ts|js):\d+|node_modules|stack|QueryFailedError|postgres/i);
            expect(await ownEventCount()).toBe(before);
          }
        }),
        { numRuns: RUNS },
      );
    },
    120_000,
  );
});
