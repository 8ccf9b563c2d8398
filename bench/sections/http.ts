import { cpus } from 'node:os';
import { BENCH_ADMIN_KEY, BENCH_HEADERS, BENCH_PROGRAM_WITH_TIER } from '../support/bench-program';
import { BenchSection, SectionResult } from '../support/harness';
import { HttpLoadFigures, httpLoad } from '../support/autocannon';
import { startLedgerProcess } from '../support/ledger-process';
import { ratio, round } from '../support/load';
import { enrolMembers } from '../support/enrolment';
import { CpuUsed, microsPerRequest, startCpuMeter } from '../support/process-cpu';

const CLIENTS = 64;
const MEMBERS = 1000;
/** The coffee multiplier is inert here (the purchases carry no items) and kept so that the figures stay comparable with earlier runs. */
const PROGRAM = { ...BENCH_PROGRAM_WITH_TIER, earning: { ...BENCH_PROGRAM_WITH_TIER.earning, categoryMultipliers: { coffee: 2 } } };

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
    const databaseUrl = await ctx.createDatabase('bench_http');
    const ledger = await startLedgerProcess({
      DATABASE_URL: databaseUrl,
      API_KEYS: `admin:${BENCH_ADMIN_KEY}`,
      RATE_LIMIT_PER_SECOND: '0',
      NODE_ENV: 'production',
    });
    try {
      await enrolMembers({ url: ledger.url, headers: BENCH_HEADERS, program: PROGRAM, members: MEMBERS, clients: CLIENTS, memberId });
      const run = (label: string, request: Parameters<typeof httpLoad>[3]) => {
        ctx.progress(`http: ${label}, ${CLIENTS} clients for ${seconds} s`);
        return httpLoad(ledger.url, CLIENTS, seconds, request);
      };
      const noopRoute = { method: 'GET', next: () => ({ path: '/health/live' }) };
      await run('warm-up', noopRoute);
      let purchase = 0;
      // The purchases' CPU includes the projector's catch-up after them: folding them into the read models is part of their cost.
      const purchaseMeter = await startCpuMeter(databaseUrl, ledger.pid);
      const purchases = await run('purchases', {
        method: 'POST',
        headers: BENCH_HEADERS,
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
      const purchaseCpu = purchaseMeter.read();
      ctx.progress(`http: the projector caught up ${catchUpSeconds.toFixed(1)} s after the purchases`);
      let read = 0;
      const readRoute = { method: 'GET', headers: BENCH_HEADERS, next: () => ({ path: `/v1/members/${memberId((read += 1))}/balance` }) };
      // The machine's speed moves within seconds: short slices of each, alternated, see the same machine.
      const sliceSeconds = Math.max(1, Math.round(seconds / INTERLEAVED_ROUNDS));
      const noopSlices: HttpLoadFigures[] = [];
      const readSlices: HttpLoadFigures[] = [];
      const noopCpu: CpuUsed[] = [];
      const readCpu: CpuUsed[] = [];
      const metered = async (figures: HttpLoadFigures[], cpu: CpuUsed[], route: Parameters<typeof httpLoad>[3]) => {
        const meter = await startCpuMeter(databaseUrl, ledger.pid);
        figures.push(await httpLoad(ledger.url, CLIENTS, sliceSeconds, route));
        cpu.push(meter.read());
      };
      for (let round = 1; round <= INTERLEAVED_ROUNDS; round += 1) {
        ctx.progress(`http: no-op and balance reads, round ${round} of ${INTERLEAVED_ROUNDS}, ${sliceSeconds} s each`);
        await metered(noopSlices, noopCpu, noopRoute);
        await metered(readSlices, readCpu, readRoute);
      }
      const cpu = { noop: summed(noopCpu), purchases: purchaseCpu, reads: summed(readCpu) };
      return report(combined(noopSlices), purchases, combined(readSlices), catchUpSeconds, cpu);
    } finally {
      await ledger.stop();
    }
  },
};

const memberId = (n: number) => `bench-m${n % MEMBERS}`;

const INTERLEAVED_ROUNDS = 5;
const PURCHASE_SHARE_TARGET = 0.25;
const READ_SHARE_TARGET = 0.5;
const READ_P99_TARGET_MS = 20;

const summed = (used: readonly CpuUsed[]): CpuUsed => {
  const total = (pick: (u: CpuUsed) => number | null) =>
    used.some((u) => pick(u) === null) ? null : used.reduce((sum, u) => sum + pick(u)!, 0);
  return { ledgerSeconds: total((u) => u.ledgerSeconds), postgresSeconds: total((u) => u.postgresSeconds) };
};

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

type RouteCpu = Record<'noop' | 'purchases' | 'reads', CpuUsed>;

interface CpuRow {
  readonly name: string;
  readonly ledger: number | null;
  readonly postgres: number | null;
  readonly total: number | null;
  readonly ceiling: number | null;
}

/** CPU per request of a route, the ledger's and PostgreSQL's, and the rate that CPU alone would allow on this machine's cores. */
function cpuRow(name: string, used: CpuUsed, requests: number): CpuRow {
  const ledger = microsPerRequest(used.ledgerSeconds, requests);
  const postgres = microsPerRequest(used.postgresSeconds, requests);
  const total = ledger === null || postgres === null ? null : ledger + postgres;
  return { name, ledger, postgres, total, ceiling: total === null || total === 0 ? null : Math.round((cpus().length * 1e6) / total) };
}

/**
 * The measured cause behind a share: the rate the route's own CPU (ledger and
 * PostgreSQL, before the load generator's) allows on this machine's cores,
 * against the rate its target share of the no-op route asks for.
 */
function cpuBounds(noop: HttpLoadFigures, routes: ReadonlyArray<{ route: CpuRow; label: string; share: number }>): string[] {
  return routes.flatMap(({ route, label, share }) => {
    if (route.ceiling === null || route.total === null) return [];
    const wanted = Math.round(noop.perSecond * share);
    const verdict =
      route.ceiling < wanted ? 'so the CPU alone rules the target out on this machine' : 'so the CPU alone leaves room for it';
    return [
      `${label}: ${route.total} us of CPU each (ledger ${route.ledger}, PostgreSQL ${route.postgres}) allow at most ${route.ceiling.toLocaleString('en')}/s on ${cpus().length} cores, before the load generator's share; ${share * 100}% of the no-op route is ${wanted.toLocaleString('en')}/s, ${verdict}.`,
    ];
  });
}

function report(
  noop: HttpLoadFigures,
  purchases: HttpLoadFigures,
  reads: HttpLoadFigures,
  catchUpSeconds: number,
  cpu: RouteCpu,
): SectionResult {
  const noopCpu = cpuRow('GET /health/live (no-op)', cpu.noop, noop.requests);
  const purchaseCpu = cpuRow('POST /v1/purchases', cpu.purchases, purchases.requests);
  const readCpu = cpuRow('GET /v1/members/:id/balance', cpu.reads, reads.requests);
  const cpuRows = [noopCpu, purchaseCpu, readCpu];
  const times = (route: CpuRow) => (route.total === null || !noopCpu.total ? '-' : ratio(route.total, noopCpu.total));
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
      {
        title: 'CPU per request: the ledger process and its PostgreSQL server (load generator not counted)',
        columns: ['route', 'ledger us', 'PostgreSQL us', 'total us', 'x no-op', `requests/s that CPU allows on ${cpus().length} cores`],
        rows: cpuRows.map((r) => [r.name, r.ledger ?? '-', r.postgres ?? '-', r.total ?? '-', times(r), r.ceiling ?? '-']),
      },
    ],
    figures: {
      clients: CLIENTS,
      members: MEMBERS,
      noop,
      purchases,
      reads,
      projectorCatchUpSeconds: round(catchUpSeconds, 1),
      cpu: cpuRows,
    },
    targets: [
      {
        target: `purchases >= ${PURCHASE_SHARE_TARGET * 100}% of the no-op ceiling`,
        measured: `${Math.round(purchaseShare * 100)}%`,
        met: purchaseShare >= PURCHASE_SHARE_TARGET && purchases.failures === 0,
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
      ...cpuBounds(noop, [
        { route: purchaseCpu, label: 'purchases', share: PURCHASE_SHARE_TARGET },
        { route: readCpu, label: 'balance reads', share: READ_SHARE_TARGET },
      ]),
      ...(purchases.failures + reads.failures > 0
        ? [`status codes: purchases ${JSON.stringify(purchases.statusCodes)}, reads ${JSON.stringify(reads.statusCodes)}`]
        : []),
    ],
  };
}
