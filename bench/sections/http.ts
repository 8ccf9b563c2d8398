import { BenchSection, SectionResult } from '../support/harness';
import { HttpLoadFigures, httpLoad } from '../support/autocannon';
import { startLedgerProcess } from '../support/ledger-process';
import { ratio, round } from '../support/load';

const CLIENTS = 64;
const MEMBERS = 1000;
const ADMIN_KEY = 'bench-admin-key';
const HEADERS = { 'x-api-key': ADMIN_KEY, 'content-type': 'application/json' };
const PROGRAM = {
  currency: 'EUR',
  pointValueMinor: 1,
  earning: { pointsPerUnit: 1, unitMinor: 100, categoryMultipliers: { coffee: 2 }, welcomeBonus: 100 },
  pendingDays: 14,
  expiryMonths: 12,
  tiers: [{ name: 'silver', minSpendMinor: 0, multiplier: 1 }],
  rewards: [],
};

/**
 * The HTTP write and read paths against the same server's no-op route
 * (GET /health/live: routing, hooks and serialisation, no work), which is
 * the framework's ceiling on this machine. The ledger runs as its own
 * process, as `npm start` runs it, with its projector; the rate limit is off
 * so the load generator measures the ledger, not the limiter.
 */
export const httpSection: BenchSection = {
  id: 'http',
  title: 'HTTP write and read paths',
  async run(ctx): Promise<SectionResult> {
    const seconds = ctx.quick ? 3 : 10;
    const ledger = await startLedgerProcess({
      DATABASE_URL: await ctx.createDatabase('bench_http'),
      API_KEYS: `admin:${ADMIN_KEY}`,
      RATE_LIMIT_PER_SECOND: '0',
      NODE_ENV: 'production',
    });
    try {
      await prepare(ledger.url);
      const run = (label: string, request: Parameters<typeof httpLoad>[3]) => {
        ctx.progress(`http: ${label}, ${CLIENTS} clients for ${seconds} s`);
        return httpLoad(ledger.url, CLIENTS, seconds, request);
      };
      await run('warm-up', { method: 'GET', next: () => ({ path: '/health/live' }) });
      const noop = await run('no-op route', { method: 'GET', next: () => ({ path: '/health/live' }) });
      let purchase = 0;
      const purchases = await run('purchases', {
        method: 'POST',
        headers: HEADERS,
        next: () => {
          purchase += 1;
          return {
            path: '/v1/purchases',
            body: {
              transactionId: `bench-${purchase}`,
              memberId: memberId(purchase),
              amountMinor: 1000 + (purchase % 9000),
              currency: 'EUR',
            },
          };
        },
      });
      // Reads of members the projector has not reached yet would be 404s: let it catch up first, and say how long that took.
      const catchUpSeconds = await projectorCaughtUp(ledger.url);
      ctx.progress(`http: the projector caught up ${catchUpSeconds.toFixed(1)} s after the purchases`);
      let read = 0;
      const reads = await run('balance reads', {
        method: 'GET',
        headers: HEADERS,
        next: () => ({ path: `/v1/members/${memberId((read += 1))}/balance` }),
      });
      return report(noop, purchases, reads, catchUpSeconds);
    } finally {
      await ledger.stop();
    }
  },
};

const memberId = (n: number) => `bench-m${n % MEMBERS}`;

const CATCH_UP_TIMEOUT_MS = 120_000;

async function projectorCaughtUp(url: string): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < CATCH_UP_TIMEOUT_MS) {
    const ready = (await (await fetch(`${url}/health/ready`)).json()) as { checks?: { projector?: { lagEvents?: number | null } } };
    if (ready.checks?.projector?.lagEvents === 0) return (performance.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the projector was still behind ${CATCH_UP_TIMEOUT_MS / 1000} s after the purchases`);
}

async function prepare(url: string): Promise<void> {
  const call = async (method: string, path: string, body: unknown) => {
    const response = await fetch(`${url}${path}`, { method, headers: HEADERS, body: JSON.stringify(body) });
    if (response.status !== 201) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  };
  await call('PUT', '/v1/program', PROGRAM);
  for (let from = 0; from < MEMBERS; from += CLIENTS) {
    const batch = Array.from({ length: Math.min(CLIENTS, MEMBERS - from) }, (_, i) => from + i);
    await Promise.all(batch.map((n) => call('POST', '/v1/members', { memberId: memberId(n), type: 'individual' })));
  }
}

function report(noop: HttpLoadFigures, purchases: HttpLoadFigures, reads: HttpLoadFigures, catchUpSeconds: number): SectionResult {
  const row = (name: string, f: HttpLoadFigures) => [
    name,
    f.perSecond,
    f.p50Ms,
    f.p99Ms,
    ratio(f.perSecond, noop.perSecond),
    f.requests,
    f.failures,
  ];
  const purchaseShare = ratio(purchases.perSecond, noop.perSecond);
  return {
    tables: [
      {
        title: `HTTP at ${CLIENTS} concurrent clients (autocannon)`,
        columns: ['route', 'requests/s', 'p50 ms', 'p99 ms', 'share of no-op', 'requests', 'failures'],
        rows: [row('GET /health/live (no-op)', noop), row('POST /v1/purchases', purchases), row('GET /v1/members/:id/balance', reads)],
      },
    ],
    figures: { clients: CLIENTS, members: MEMBERS, noop, purchases, reads, projectorCatchUpSeconds: round(catchUpSeconds, 1) },
    targets: [
      {
        target: 'purchases >= 25% of the no-op ceiling',
        measured: `${Math.round(purchaseShare * 100)}%`,
        met: purchaseShare >= 0.25 && purchases.failures === 0,
      },
      { target: `purchase p99 < 50 ms at ${CLIENTS} clients`, measured: `${purchases.p99Ms} ms`, met: purchases.p99Ms < 50 },
    ],
    notes: [
      `The in-process projector was ${round(catchUpSeconds, 1)} s behind when the purchases stopped; balance reads start once it has caught up.`,
      'Every purchase has a new transaction id (claimed globally, then appended to the member stream with its accrual); members are picked round robin from the enrolled ones.',
      ...(purchases.failures + reads.failures > 0
        ? [`status codes: purchases ${JSON.stringify(purchases.statusCodes)}, reads ${JSON.stringify(reads.statusCodes)}`]
        : []),
    ],
  };
}
