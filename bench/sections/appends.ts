import { memberStreamId } from '@loyalty/domain';
import { BenchContext, BenchSection, BenchTable, Cell, SectionResult, TargetCheck } from '../support/harness';
import { closedLoop, LoadFigures, ratio } from '../support/load';
import { Contender, emmettStore, ourStore, rawInserts } from './appends/contenders';
import { purchaseEvents } from './appends/loyalty-events';

const WRITER_COUNTS = [1, 64] as const;
const EVENTS_PER_APPEND = [1, 10] as const;
/** Runs of each store per configuration; the median of each figure is reported, as the machine is noisy. */
const RUNS = 3;
/** Appends per stream before a writer starts its next one, so stream creation is measured too. */
const APPENDS_PER_STREAM = 10;
/** 4 configurations x 3 stores x 3 runs stay within about two minutes. */
const MEASURE_MS = { full: 2200, quick: 800 };
const WARMUP_MS = { full: 600, quick: 200 };

interface Configuration {
  readonly writers: number;
  readonly eventsPerAppend: number;
}

type StoreFigures = LoadFigures & { readonly eventsPerSecond: number };

interface ConfigurationResult extends Configuration {
  readonly stores: Record<string, StoreFigures>;
  readonly runs: Record<string, LoadFigures[]>;
}

const label = (c: Configuration) =>
  `${c.writers} writer${c.writers === 1 ? '' : 's'} × ${c.eventsPerAppend} event${c.eventsPerAppend === 1 ? '' : 's'}`;

/**
 * Issue #7: our Postgres event store's append against Emmett's PostgreSQL
 * event store and against plain INSERTs, on the same server in the same run.
 * Each store gets a database of its own, so no store's table sizes, bloat or
 * schema changes (ours re-creates its functions on open) touch another's;
 * they still share the server's WAL, disk and CPU, as stores on one server do.
 *
 * Every writer appends to streams of its own with the expected revision
 * it counted itself, so both stores run their optimistic-concurrency check on
 * every append and never conflict. Stores take turns within each
 * configuration, starting with a different one each round, so drift on the
 * machine is spread over all of them.
 */
export const appendsSection: BenchSection = {
  id: 'appends',
  title: 'Event store appends',
  async run(ctx: BenchContext): Promise<SectionResult> {
    const contenders: Contender[] = [
      ourStore(await ctx.createDatabase('bench_appends_ours')),
      await emmettStore(await ctx.createDatabase('bench_appends_emmett')),
      await rawInserts(await ctx.createDatabase('bench_appends_raw')),
    ];
    const measureMs = ctx.quick ? MEASURE_MS.quick : MEASURE_MS.full;
    const warmupMs = ctx.quick ? WARMUP_MS.quick : WARMUP_MS.full;
    const acknowledgedEvents = new Map(contenders.map((c) => [c.id, 0]));
    let measurement = 0;

    const results: ConfigurationResult[] = [];
    for (const writers of WRITER_COUNTS) {
      for (const eventsPerAppend of EVENTS_PER_APPEND) {
        const configuration = { writers, eventsPerAppend };
        const runs: Record<string, LoadFigures[]> = Object.fromEntries(contenders.map((c) => [c.id, []]));
        for (let round = 0; round < RUNS; round++) {
          for (let turn = 0; turn < contenders.length; turn++) {
            const contender = contenders[(round + turn) % contenders.length]!;
            const tag = `m${measurement++}`;
            const open = await contender.open(writers);
            let acknowledged = 0;
            const figures = await closedLoop(
              writers,
              measureMs,
              async (writer, sequence) => {
                const memberId = `${tag}-${writer}-${Math.floor(sequence / APPENDS_PER_STREAM)}`;
                await open.append(
                  memberStreamId(memberId),
                  purchaseEvents(memberId, sequence * eventsPerAppend, eventsPerAppend),
                  sequence % APPENDS_PER_STREAM,
                );
                acknowledged += eventsPerAppend;
              },
              warmupMs,
            ).finally(() => open.close());
            acknowledgedEvents.set(contender.id, acknowledgedEvents.get(contender.id)! + acknowledged);
            const { firstError, ...load } = figures;
            if (firstError !== undefined)
              ctx.progress(
                `appends: ${contender.name} failed: ${firstError instanceof Error ? String(firstError) : JSON.stringify(firstError)}`,
              );
            runs[contender.id]!.push(load);
            ctx.progress(
              `appends: ${label(configuration)}, ${contender.name} run ${round + 1}/${RUNS}: ${load.perSecond} appends/s, p50 ${load.p50Ms} ms, p99 ${load.p99Ms} ms`,
            );
          }
        }
        const stores = Object.fromEntries(Object.entries(runs).map(([name, r]) => [name, medianFigures(r, eventsPerAppend)]));
        results.push({ ...configuration, stores, runs });
      }
    }

    // A store that acknowledged an append it did not keep would be reported as fast when it is broken.
    for (const contender of contenders) {
      const stored = await contender.storedEvents();
      const acknowledged = acknowledgedEvents.get(contender.id)!;
      if (stored !== acknowledged) throw new Error(`appends: ${contender.name} acknowledged ${acknowledged} events but stored ${stored}`);
    }

    const [ours, emmett, raw] = contenders.map((c) => c.id) as [string, string, string];
    return {
      tables: [figuresTable(results, contenders), ratiosTable(results, ours, emmett, raw)],
      figures: {
        measureSeconds: measureMs / 1000,
        runsPerStore: RUNS,
        configurations: results.map((r) => ({
          writers: r.writers,
          eventsPerAppend: r.eventsPerAppend,
          ...r.stores,
          oursVsEmmett: ratio(r.stores[ours]!.perSecond, r.stores[emmett]!.perSecond),
          oursVsRaw: ratio(r.stores[ours]!.perSecond, r.stores[raw]!.perSecond),
          runs: r.runs,
        })),
      },
      targets: results.map((r): TargetCheck => {
        const a = r.stores[ours]!;
        const b = r.stores[emmett]!;
        return {
          target: `appends ahead of Emmett: ${label(r)}`,
          measured: `${a.perSecond} vs ${b.perSecond} appends/s (${ratio(a.perSecond, b.perSecond)}x)${a.errors + b.errors > 0 ? `, ${a.errors + b.errors} errors` : ''}`,
          met: a.perSecond > b.perSecond && a.errors === 0 && b.errors === 0,
        };
      }),
      notes: [
        `Each figure is the median of ${RUNS} runs of ${measureMs / 1000} s after ${warmupMs / 1000} s of warm-up; every store has a pg pool of 70 connections.`,
        `Writers append to streams of their own, ${APPENDS_PER_STREAM} appends per stream, with the expected revision (ours) or expectedStreamVersion (Emmett) on every append.`,
        'Raw INSERT is a ceiling, not a store: same rows into a table with only a primary key, no revision check, no gap safety, no event-id uniqueness.',
      ],
    };
  },
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function medianFigures(runs: LoadFigures[], eventsPerAppend: number): StoreFigures {
  const perSecond = median(runs.map((r) => r.perSecond));
  return {
    operations: median(runs.map((r) => r.operations)),
    seconds: median(runs.map((r) => r.seconds)),
    perSecond,
    eventsPerSecond: perSecond * eventsPerAppend,
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
  };
}

function figuresTable(results: readonly ConfigurationResult[], contenders: readonly Contender[]): BenchTable {
  return {
    title: 'Appends per second and latency (median of runs)',
    columns: ['configuration', 'store', 'appends/s', 'events/s', 'p50 ms', 'p99 ms', 'errors'],
    rows: results.flatMap((r) =>
      contenders.map((c): Cell[] => {
        const f = r.stores[c.id]!;
        return [label(r), c.name, f.perSecond, f.eventsPerSecond, f.p50Ms, f.p99Ms, f.errors];
      }),
    ),
  };
}

function ratiosTable(results: readonly ConfigurationResult[], ours: string, emmett: string, raw: string): BenchTable {
  return {
    title: 'Append throughput ratios',
    columns: ['configuration', 'ours / Emmett', 'ours / raw INSERT'],
    rows: results.map((r) => [
      label(r),
      ratio(r.stores[ours]!.perSecond, r.stores[emmett]!.perSecond),
      ratio(r.stores[ours]!.perSecond, r.stores[raw]!.perSecond),
    ]),
  };
}
