import { Pool } from 'pg';
import { EVENT_STORE_SCHEMA } from '@loyalty/event-store';
import { BENCH_ADMIN_KEY, BENCH_HEADERS, BENCH_PROGRAM_WITH_TIER } from '../support/bench-program';
import { BenchSection, SectionResult } from '../support/harness';
import { startLedgerProcess } from '../support/ledger-process';
import { percentile, ratio, round } from '../support/load';

/** An enrolment writes two events (the enrolment and its welcome bonus), a purchase two (the purchase and its accrual). */
const EVENTS_PER_ENROLMENT = 2;
const EVENTS_PER_PURCHASE = 2;
/** Purchases in flight per member while seeding: they queue on the member, and the HTTP round trips overlap. */
const SEED_IN_FLIGHT = 4;
const FLAT_WITHIN = 0.2;

/** How the member state is kept: the "before" (every command folds the whole stream), the cache, and the cache-miss path. */
const LAYOUTS = [
  { name: 'whole stream (cache and snapshots off)', env: { MEMBER_STATE_CACHE_MEMBERS: '0', MEMBER_SNAPSHOT_EVERY_EVENTS: '0' } },
  { name: 'cached state (defaults)', env: {} },
  { name: 'snapshot + tail (cache off)', env: { MEMBER_STATE_CACHE_MEMBERS: '0', MEMBER_SNAPSHOT_EVERY_EVENTS: '500' } },
] as const;

interface Size {
  readonly events: number;
  /** Members of this size; each takes a share of the samples, so none grows far past its size while measured. */
  readonly members: number;
}

/**
 * Issue 18: a purchase's latency against the length of its member's
 * history. Members are seeded over HTTP to 10, 1,000 and 10,000 events, then
 * purchases are sent one at a time (no concurrency: the latency is the
 * command's own cost) under each way of keeping the member's state, the
 * layouts alternating in rounds so each sees the same machine.
 */
export const historySection: BenchSection = {
  id: 'history',
  title: 'Purchase latency against the member history length',
  async run(ctx): Promise<SectionResult> {
    const sizes: Size[] = ctx.quick
      ? [
          { events: 10, members: 10 },
          { events: 100, members: 2 },
          { events: 1_000, members: 1 },
        ]
      : [
          { events: 10, members: 40 },
          { events: 1_000, members: 8 },
          { events: 10_000, members: 1 },
        ];
    const samplesPerRound = ctx.quick ? 10 : 40;
    const rounds = ctx.quick ? 1 : 2;
    const databaseUrl = await ctx.createDatabase('bench_history');
    const env = { DATABASE_URL: databaseUrl, API_KEYS: `admin:${BENCH_ADMIN_KEY}`, RATE_LIMIT_PER_SECOND: '0', NODE_ENV: 'production' };
    const samples = new Map<string, number[]>();
    let purchase = 0;
    const buy = (url: string, memberId: string) => post(url, '/v1/purchases', purchaseBody(memberId, `h-${(purchase += 1)}`));

    const seeding = await startLedgerProcess({ ...env, ...LAYOUTS[1].env });
    try {
      ctx.progress('history: seeding members');
      await post(seeding.url, '/v1/program', BENCH_PROGRAM_WITH_TIER, 'PUT');
      await Promise.all(sizes.flatMap((size) => membersOf(size).map((memberId) => seed(seeding.url, memberId, size, buy))));
    } finally {
      await seeding.stop();
    }
    const measuredEvents = await eventCounts(databaseUrl, sizes);

    for (let round = 1; round <= rounds; round += 1) {
      for (const layout of LAYOUTS) {
        ctx.progress(`history: round ${round} of ${rounds}, ${layout.name}`);
        const ledger = await startLedgerProcess({ ...env, ...layout.env });
        try {
          for (const size of sizes) {
            const members = membersOf(size);
            // One unmeasured purchase each: a warm process, as in production; the snapshot layout measures the miss path anyway.
            for (const memberId of members) await buy(ledger.url, memberId);
            // The background consumers' first fold of a long member (a fresh process's) lands here, not on a measured purchase.
            await consumersCaughtUp(ledger.url);
            const key = `${layout.name}|${size.events}`;
            const kept = samples.get(key) ?? [];
            for (let i = 0; i < samplesPerRound; i += 1) {
              const started = performance.now();
              await buy(ledger.url, members[i % members.length]!);
              kept.push(performance.now() - started);
            }
            samples.set(key, kept);
          }
        } finally {
          await ledger.stop();
        }
      }
    }
    return report(sizes, measuredEvents, samples);
  },
};

const membersOf = (size: Size) => Array.from({ length: size.members }, (_, i) => `history-${size.events}-${i}`);

const purchaseBody = (memberId: string, transactionId: string) => ({
  transactionId,
  memberId,
  amountMinor: 1_500,
  currency: 'EUR',
});

async function seed(url: string, memberId: string, size: Size, buy: (url: string, memberId: string) => Promise<void>): Promise<void> {
  await post(url, '/v1/members', { memberId, type: 'individual' });
  let left = Math.max(0, Math.round((size.events - EVENTS_PER_ENROLMENT) / EVENTS_PER_PURCHASE));
  const worker = async () => {
    while (left > 0) {
      left -= 1;
      await buy(url, memberId);
    }
  };
  await Promise.all(Array.from({ length: SEED_IN_FLIGHT }, worker));
}

const CATCH_UP_TIMEOUT_MS = 60_000;
const CATCH_UP_POLL_MS = 50;

/** Resolves once the projector and the webhook intake have folded every event in the log, as /health/ready reports them. */
async function consumersCaughtUp(url: string): Promise<void> {
  for (const deadline = Date.now() + CATCH_UP_TIMEOUT_MS; Date.now() < deadline;) {
    const { checks } = (await (await fetch(`${url}/health/ready`)).json()) as {
      checks: { projector: { lagEvents: number; position: number | null }; webhooks: { position: string | null } };
    };
    if (checks.projector.lagEvents === 0 && checks.webhooks.position === String(checks.projector.position)) return;
    await new Promise((resolve) => setTimeout(resolve, CATCH_UP_POLL_MS));
  }
  throw new Error(`the projector and the webhook intake did not catch up within ${CATCH_UP_TIMEOUT_MS} ms`);
}

async function post(url: string, path: string, body: unknown, method = 'POST'): Promise<void> {
  const response = await fetch(`${url}${path}`, { method, headers: BENCH_HEADERS, body: JSON.stringify(body) });
  if (response.status !== 201) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  await response.arrayBuffer();
}

/** The seeded streams' lengths as stored, before the measured purchases (which add a few percent). */
async function eventCounts(databaseUrl: string, sizes: readonly Size[]): Promise<Map<number, number>> {
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const counts = new Map<number, number>();
    for (const size of sizes) {
      const { rows } = await pool.query<{ events: string }>(
        `select (count(*) / count(distinct stream_id))::bigint as events from ${EVENT_STORE_SCHEMA}.events where stream_id = any($1)`,
        [membersOf(size).map((m) => `member-${m}`)],
      );
      counts.set(size.events, Number(rows[0]!.events));
    }
    return counts;
  } finally {
    await pool.end();
  }
}

function report(sizes: readonly Size[], events: Map<number, number>, samples: Map<string, number[]>): SectionResult {
  const figures = LAYOUTS.map((layout) => ({
    layout: layout.name,
    bySize: sizes.map((size) => {
      const sorted = [...(samples.get(`${layout.name}|${size.events}`) ?? [])].sort((a, b) => a - b);
      return {
        events: events.get(size.events) ?? size.events,
        samples: sorted.length,
        p50Ms: round(percentile(sorted, 50), 1),
        p99Ms: round(percentile(sorted, 99), 1),
      };
    }),
  }));
  const spread = (bySize: (typeof figures)[number]['bySize'], pick: 'p50Ms' | 'p99Ms') =>
    ratio(bySize[bySize.length - 1]![pick], bySize[0]![pick]);
  const cached = figures[1]!.bySize;
  const before = figures[0]!.bySize;
  return {
    tables: [
      {
        title: 'Sequential purchases on one member at a time, by the events its stream holds',
        columns: ['state kept as', ...sizes.flatMap((s) => [`${events.get(s.events)} ev p50 ms`, 'p99 ms']), 'largest/smallest p50', 'p99'],
        rows: figures.map((f) => [
          f.layout,
          ...f.bySize.flatMap((s) => [s.p50Ms, s.p99Ms]),
          spread(f.bySize, 'p50Ms'),
          spread(f.bySize, 'p99Ms'),
        ]),
      },
    ],
    figures: { layouts: figures },
    targets: [
      {
        target: `purchase p50 and p99 flat within ${FLAT_WITHIN * 100}% from ${sizes[0]!.events} to ${sizes[sizes.length - 1]!.events} events`,
        measured: `p50 x${spread(cached, 'p50Ms')}, p99 x${spread(cached, 'p99Ms')} (whole-stream reads: p50 x${spread(before, 'p50Ms')})`,
        met: spread(cached, 'p50Ms') <= 1 + FLAT_WITHIN && spread(cached, 'p99Ms') <= 1 + FLAT_WITHIN,
      },
    ],
    notes: [
      'Each purchase is sent after the previous one answered; the members of a size take turns, so no stream grows more than a few percent while measured.',
      'Every layout gets one unmeasured purchase per member first, and waits for the projector and the webhook intake to fold it (a fresh process folds a long member once there too); in the snapshot layout each purchase still loads the snapshot and reads the events after it.',
      'The layouts ran in alternating rounds, one ledger process each on the same database; p99 is over the pooled samples of all rounds.',
    ],
  };
}
