import { openPool } from '@loyalty/platform';
import { EVENT_STORE_SCHEMA, PostgresEventStore } from '@loyalty/event-store';
import { PROGRAM_STREAM_ID, decodeProgramEvent, ProgramPolicy } from '@loyalty/domain';
import { runSimulation } from '../../apps/ledger-api/src/simulation/run-simulation';
import { BenchSection, SectionResult } from '../support/harness';

/** Issue 17: a year of a 1,000,000-event log simulated in under this. */
const TARGET_SECONDS = 30;
/** The seeded log spans 2024 and 2025; the simulated year is its last. */
const WINDOW = { from: '2025-01-01T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z' };
/** Memory kept may be at most this share of what holding every event read would take. */
const KEPT_SHARE_OF_EVENTS_MAX = 0.5;
/** A decoded event's heap footprint, as the audit bench measures it on the same log. */
const DECODED_EVENT_BYTES = 650;

const mb = (bytes: number) => Math.round(bytes / 104_857.6) / 10;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

/** The program in force at the end of the log, with its earning rate doubled: the candidate. */
async function doubledRate(store: PostgresEventStore): Promise<ProgramPolicy> {
  const events = (await store.readStream(PROGRAM_STREAM_ID)).flatMap((e) => decodeProgramEvent(e) ?? []);
  const configured = events.filter((e) => e.type === 'ProgramConfigured');
  const policy = configured[configured.length - 1]!.data.policy;
  return { ...policy, earning: { ...policy.earning, pointsPerUnit: policy.earning.pointsPerUnit * 2 } };
}

/**
 * POST /v1/simulations' replay (the IO loop and the pure domain) over the
 * shared seeded log: the whole log read in position order, its last year
 * decided again under the programs in force and under a doubled earning
 * rate. Peak heap is sampled at each progress report, between pages.
 */
export const simulationSection: BenchSection = {
  id: 'simulation',
  title: 'Simulation',
  async run(ctx): Promise<SectionResult> {
    const log = await ctx.seededLog();
    const pool = openPool(log.url, 4, (line) => process.stderr.write(`bench: ${line}\n`), 'simulation');
    const store = await PostgresEventStore.open(pool);
    try {
      await pool.query(`vacuum (analyze) ${EVENT_STORE_SCHEMA}.events`);
      const candidate = await doubledRate(store);
      gc();
      const heapBefore = process.memoryUsage().heapUsed;
      let peakHeap = heapBefore;
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      const report = await runSimulation(store, WINDOW, candidate, (p) => {
        peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
        ctx.progress(`simulation: ${p.eventsRead.toLocaleString('en')} events read`);
      });
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      const peakKept = peakHeap - heapBefore;
      const heldEventsBytes = report.eventsRead * DECODED_EVENT_BYTES;
      return {
        tables: [
          {
            title: `A year (${WINDOW.from} to ${WINDOW.to}) of a ${report.eventsRead.toLocaleString('en')}-event log, doubled earning rate`,
            columns: [
              'events read',
              'members',
              'seconds',
              'node CPU s',
              'events/s',
              'peak heap over start MB',
              'issued (current)',
              'issued (candidate)',
            ],
            rows: [
              [
                report.eventsRead,
                report.membersReplayed,
                seconds.toFixed(1),
                cpuSeconds.toFixed(1),
                Math.round(report.eventsRead / seconds),
                mb(peakKept),
                report.current.pointsIssued,
                report.candidate.pointsIssued,
              ],
            ],
          },
        ],
        figures: { seconds, cpuSeconds, eventsRead: report.eventsRead, members: report.membersReplayed, peakHeapOverStartMb: mb(peakKept) },
        targets: [
          {
            target: `a year of a 1,000,000-event log simulated in < ${TARGET_SECONDS} s`,
            measured: `${seconds.toFixed(1)} s (${cpuSeconds.toFixed(1)} s of node CPU) for ${report.eventsRead.toLocaleString('en')} events`,
            met: seconds < TARGET_SECONDS && report.eventsRead >= (ctx.quick ? 0 : 1_000_000),
          },
          {
            target: 'simulation memory bounded by members, not events',
            measured: `peak heap ${mb(peakKept)} MB over the start for ${report.membersReplayed.toLocaleString('en')} members; the events would take ${mb(heldEventsBytes)} MB`,
            met: peakKept <= heldEventsBytes * KEPT_SHARE_OF_EVENTS_MAX,
          },
        ],
        notes: [
          "Each member holds its folded state twice (program in force, candidate) from the window start: the state keeps a member's purchases and processed ids, so it grows with that member's own history, never with the log.",
        ],
      };
    } finally {
      await store.close();
      await pool.end();
    }
  },
};
