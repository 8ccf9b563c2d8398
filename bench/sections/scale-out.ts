import { BENCH_ADMIN_KEY, BENCH_HEADERS, BENCH_PROGRAM } from '../support/bench-program';
import { BenchSection, Cell, SectionResult } from '../support/harness';
import { HttpLoadFigures, httpLoad } from '../support/autocannon';
import { LedgerProcess, startLedgerProcess } from '../support/ledger-process';
import { ratio, round } from '../support/load';
import { enrolMembers } from '../support/enrolment';

const CLIENTS = 64;
const MEMBERS = 1000;
const ROUNDS = { full: 3, quick: 1 };
const SECONDS = { full: 8, quick: 3 };

/**
 * Purchases against two API processes on one database (an API replica per
 * core, the production layout) against one process, the same clients in
 * all: 64 on the one, 32 on each of the two. Each process runs its
 * in-process projector; one of them holds the projection lock. Rounds
 * alternate which layout goes first, as the machine's speed moves.
 */
export const scaleOutSection: BenchSection = {
  id: 'scale-out',
  title: 'Scale out: two API processes',
  async run(ctx): Promise<SectionResult> {
    const env = {
      DATABASE_URL: await ctx.createDatabase('bench_scale_out'),
      API_KEYS: `admin:${BENCH_ADMIN_KEY}`,
      RATE_LIMIT_PER_SECOND: '0',
      NODE_ENV: 'production',
    };
    const ledgers: LedgerProcess[] = [];
    try {
      // One after the other: the first creates the schemas.
      ledgers.push(await startLedgerProcess(env));
      ledgers.push(await startLedgerProcess(env));
      const urls = ledgers.map((l) => l.url);
      await enrolMembers({ url: urls[0]!, headers: BENCH_HEADERS, program: BENCH_PROGRAM, members: MEMBERS, clients: CLIENTS, memberId });
      const seconds = ctx.quick ? SECONDS.quick : SECONDS.full;
      let purchase = 0;
      const purchases = (url: string, clients: number) =>
        httpLoad(url, clients, seconds, {
          method: 'POST',
          headers: BENCH_HEADERS,
          next: () => {
            purchase += 1;
            const body = {
              transactionId: `scale-${purchase}`,
              memberId: memberId(purchase),
              amountMinor: 1000 + (purchase % 9000),
              currency: 'EUR',
            };
            return { path: '/v1/purchases', body };
          },
        });
      const one = () => purchases(urls[0]!, CLIENTS);
      const two = async () => combined(await Promise.all(urls.map((url) => purchases(url, CLIENTS / 2))));
      ctx.progress(`scale-out: warm-up of both processes`);
      await two();
      const rounds: Array<{ one: HttpLoadFigures; two: HttpLoadFigures }> = [];
      for (let round = 1; round <= (ctx.quick ? ROUNDS.quick : ROUNDS.full); round++) {
        ctx.progress(`scale-out: round ${round}, one process and two, ${seconds} s each`);
        if (round % 2 === 1) {
          const first = await one();
          rounds.push({ one: first, two: await two() });
        } else {
          const first = await two();
          rounds.push({ one: await one(), two: first });
        }
      }
      return report(rounds);
    } finally {
      await Promise.all(ledgers.map((l) => l.stop()));
    }
  },
};

const memberId = (n: number) => `scale-m${n % MEMBERS}`;

/** Two loads run side by side as one: requests and rates added, latency percentiles the worse of the two. */
function combined(loads: readonly HttpLoadFigures[]): HttpLoadFigures {
  const statusCodes: Record<string, number> = {};
  for (const f of loads) for (const [code, count] of Object.entries(f.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + count;
  return {
    requests: loads.reduce((sum, f) => sum + f.requests, 0),
    perSecond: loads.reduce((sum, f) => sum + f.perSecond, 0),
    p50Ms: Math.max(...loads.map((f) => f.p50Ms)),
    p99Ms: Math.max(...loads.map((f) => f.p99Ms)),
    failures: loads.reduce((sum, f) => sum + f.failures, 0),
    statusCodes,
  };
}

function report(rounds: ReadonlyArray<{ one: HttpLoadFigures; two: HttpLoadFigures }>): SectionResult {
  const row = (round: string, layout: string, f: HttpLoadFigures): Cell[] => [round, layout, f.perSecond, f.p50Ms, f.p99Ms, f.failures];
  const ratios = rounds.map((r) => ratio(r.two.perSecond, r.one.perSecond));
  const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)]!;
  const failures = rounds.reduce((sum, r) => sum + r.one.failures + r.two.failures, 0);
  return {
    tables: [
      {
        title: `POST /v1/purchases at ${CLIENTS} clients: one API process, and two on the same database`,
        columns: ['round', 'layout', 'purchases/s', 'p50 ms', 'p99 ms', 'failures'],
        rows: rounds.flatMap((r, i) => [row(String(i + 1), 'one process', r.one), row(String(i + 1), 'two processes', r.two)]),
      },
    ],
    figures: { clients: CLIENTS, members: MEMBERS, rounds, twoOverOne: ratios },
    targets: [
      {
        target: 'two API processes serve more purchases/s than one',
        measured: `${round(median, 2)}x (median of ${rounds.length}; rounds ${ratios.map((r) => round(r, 2)).join(', ')})`,
        met: median > 1 && failures === 0,
      },
    ],
    notes: [
      'Both processes and PostgreSQL share the machine: on 2 cores, a second process only gains what the first left idle (waits on PostgreSQL and on its own event loop).',
      ...(failures > 0 ? [`status codes: ${JSON.stringify(rounds.map((r) => [r.one.statusCodes, r.two.statusCodes]))}`] : []),
    ],
  };
}
