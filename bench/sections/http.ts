import { BenchSection, SectionResult } from '../support/harness';
import { HttpLoadFigures, httpLoad } from '../support/autocannon';
import { startLedgerProcess } from '../support/ledger-process';
import { ratio, round } from '../support/load';
import { enrolMembers } from '../support/enrolment';

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
      await enrolMembers({ url: ledger.url, headers: HEADERS, program: PROGRAM, members: MEMBERS, clients: CLIENTS, memberId });
      const run = (label: string, request: Parameters<typeof httpLoad>[3]) => {
        ctx.progress(`http: ${label}, ${CLIENTS} clients for ${seconds} s`);
        return httpLoad(ledger.url, CLIENTS, seconds, request);
      };
      const noopRoute = { method: 'GET', next: () => ({ path: '/health/live' }) };
      await run('warm-up', noopRoute);
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
      const readRoute = { method: 'GET', headers: HEADERS, next: () => ({ path: `/v1/members/${memberId((read += 1))}/balance` }) };
      // The machine's speed moves within seconds: short slices of each, alternated, see the same machine.
      const noopSlices: HttpLoadFigures[] = [];
      const readSlices: HttpLoadFigures[] = [];
      const sliceSeconds = Math.max(1, Math.round(seconds / INTERLEAVED_ROUNDS));
      for (let round = 1; round <= INTERLEAVED_ROUNDS; round += 1) {
        ctx.progress(`http: no-op and balance reads, round ${round} of ${INTERLEAVED_ROUNDS}, ${sliceSeconds} s each`);
        noopSlices.push(await httpLoad(ledger.url, CLIENTS, sliceSeconds, noopRoute));
        readSlices.push(await httpLoad(ledger.url, CLIENTS, sliceSeconds, readRoute));
      }
      return report(combined(noopSlices), purchases, combined(readSlices), catchUpSeconds);
    } finally {
      await ledger.stop();
    }
  },
};

const memberId = (n: number) => `bench-m${n % MEMBERS}`;

const INTERLEAVED_ROUNDS = 5;
const READ_SHARE_TARGET = 0.5;
const READ_P99_TARGET_MS = 20;

/** Slices of one route as one figure: requests summed, latency percentiles the median slice's. */
function combined(slices: readonly HttpLoadFigures[]): HttpLoadFigures {
  const median = (pick: (f: HttpLoadFigures) => number) => [...slices].map(pick).sort((a, b) => a - b)[Math.floor(slices.length / 2)]!;
  const requests = slices.reduce((sum, f) => sum + f.requests, 0);
  const seconds = slices.reduce((sum, f) => sum + f.requests / Math.max(1, f.perSecond), 0);
  const statusCodes: Record<string, number> = {};
  for (const f of slices) for (const [code, count] of Object.entries(f.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + count;
  return {
    requests,
    perSecond: Math.round(requests / seconds),
    p50Ms: median((f) => f.p50Ms),
    p99Ms: median((f) => f.p99Ms),
    failures: slices.reduce((sum, f) => sum + f.failures, 0),
    statusCodes,
  };
}

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
  const readShare = ratio(reads.perSecond, noop.perSecond);
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
      {
        target: `balance reads >= ${READ_SHARE_TARGET * 100}% of the no-op ceiling`,
        measured: `${Math.round(readShare * 100)}%`,
        met: readShare >= READ_SHARE_TARGET && reads.failures === 0,
      },
      {
        target: `balance read p99 <= ${READ_P99_TARGET_MS} ms at ${CLIENTS} clients`,
        measured: `${reads.p99Ms} ms`,
        met: reads.p99Ms <= READ_P99_TARGET_MS,
      },
    ],
    notes: [
      `The no-op route and balance reads ran alternately, ${INTERLEAVED_ROUNDS} slices each; their p50 and p99 are the median slice's.`,
      `The in-process projector was ${round(catchUpSeconds, 1)} s behind when the purchases stopped; balance reads start once it has caught up.`,
      'Every purchase has a new transaction id (claimed globally, then appended to the member stream with its accrual); members are picked round robin from the enrolled ones.',
      ...(purchases.failures + reads.failures > 0
        ? [`status codes: purchases ${JSON.stringify(purchases.statusCodes)}, reads ${JSON.stringify(reads.statusCodes)}`]
        : []),
    ],
  };
}
