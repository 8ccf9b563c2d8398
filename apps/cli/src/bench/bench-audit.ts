import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Pool } from 'pg';
import { AUDIT_PAGE_SIZE, asOfWindow, foldEvent, foldLog, liabilityReport, startFold } from '@loyalty/audit';
import { EVENT_STORE_SCHEMA, PostgresEventStore, RecordedEvent } from '@loyalty/event-store';
import { createDatabase, startEmbeddedPostgres } from '@loyalty/platform';
import { outputTarget, parseCommand, UsageError } from '../cli/args';
import { seedLog } from '../seed/seed-log';

const AS_OF_MS = Date.parse('2026-01-01T00:00:00.000Z');
const SAMPLE_INTERVAL_MS = 20;
/** Events held in memory to time the reducer alone, without Postgres. */
const REDUCER_SAMPLE_EVENTS = 200_000;
/** Same members with 5x the events, then 5x the members with the same events. */
const DEFAULT_SIZES = '200000:10000,1000000:10000,200000:50000';
/** Names the fold's connections, so their Postgres backends can be found afterwards. */
const FOLD_APPLICATION_NAME = 'loyalty-bench-audit-fold';
/** Linux reports process CPU in clock ticks of 1/100 s (USER_HZ). */
const PROC_TICKS_PER_SECOND = 100;

export interface FoldFigures {
  readonly events: number;
  readonly members: number;
  readonly pageSize: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /** CPU per event folded, node's and the serving Postgres backends', to tell which side bounds the rate. */
  readonly nodeCpuMicrosPerEvent: number;
  /** Null when the backends' CPU cannot be read (Postgres not on this machine, or /proc hidden). */
  readonly postgresCpuMicrosPerEvent: number | null;
  readonly reducerEventsPerSecond: number;
  readonly peakRssMb: number;
  readonly peakHeapUsedMb: number;
  readonly retainedHeapMb: number;
  /** Heap one decoded event takes: what the fold would need per event if it kept them. */
  readonly decodedEventBytes: number;
  readonly liabilityPoints: number;
}

export const BENCH_AUDIT_USAGE = `usage: npm run bench:audit -- [--sizes events:members,...] [--out file.json]
  Seeds logs of each size into a throwaway embedded PostgreSQL and measures the liability fold of each
  in a fresh process: events/s, the reducer alone, peak RSS and heap, retained heap. A Markdown table on
  stdout, the figures as JSON in --out. Default sizes: ${DEFAULT_SIZES}.`;

const BENCH_AUDIT_COMMAND = {
  usage: BENCH_AUDIT_USAGE,
  options: { 'fold-only': { type: 'string' }, sizes: { type: 'string' }, out: { type: 'string' } },
} as const;

const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const stderr = (line: string) => process.stderr.write(`${line}\n`);

/**
 * `npm run bench:audit`: seeds logs of several sizes into a throwaway
 * embedded PostgreSQL, then measures the liability fold of each in a fresh
 * child process (so seeding's memory does not blur the figures): events/s
 * end to end, the reducer alone, peak RSS and heap, and the heap the fold
 * retains. Same members with 5x the events shows memory follows members.
 */
export async function benchAuditCommand(argv: string[]): Promise<void> {
  const { values } = parseCommand(BENCH_AUDIT_COMMAND, argv);
  if (values['fold-only']) return void process.stdout.write(`${JSON.stringify(await measureFold(values['fold-only']))}\n`);

  const sizes = benchSizes(values.sizes ?? DEFAULT_SIZES);
  if (values.out) outputTarget(values.out, undefined, ['json']);
  const dir = mkdtempSync(join(tmpdir(), 'loyalty-bench-'));
  // Run as root, PostgreSQL runs as its own user and must reach the data directory inside this one.
  chmodSync(dir, 0o755);
  const embedded = await startEmbeddedPostgres(dir, stderr);
  const rows: Array<FoldFigures & { seedSeconds: number }> = [];
  try {
    for (const [i, [events, members]] of sizes.entries()) {
      const url = await createDatabase(embedded.url, `bench_${i}`);
      const pool = new Pool({ connectionString: url, max: 20 });
      const store = await PostgresEventStore.open(pool);
      const started = Date.now();
      const seeded = await seedLog(store, { events, members, seed: i + 1 });
      const seedSeconds = (Date.now() - started) / 1000;
      stderr(
        `bench: seeded ${seeded.events} events / ${seeded.members} members in ${seedSeconds.toFixed(1)} s (${Math.round(seeded.events / seedSeconds)} events/s)`,
      );
      // A bulk load leaves the planner without statistics, and then readAll pages sort the whole table each time.
      await pool.query(`analyze ${EVENT_STORE_SCHEMA}.events`);
      await store.close();
      await pool.end();
      const figures = await foldInChild(process.argv[1]!, url);
      stderr(`bench: ${JSON.stringify(figures)}`);
      rows.push({ ...figures, seedSeconds });
    }
  } finally {
    await embedded.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const table = [
    '| events | members | seed s | fold s | fold events/s | node CPU us/event | Postgres CPU us/event | reducer events/s | peak RSS MB | peak heap MB | retained heap MB |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.events} | ${r.members} | ${r.seedSeconds.toFixed(1)} | ${r.seconds.toFixed(2)} | ${r.eventsPerSecond} | ${r.nodeCpuMicrosPerEvent} | ${r.postgresCpuMicrosPerEvent ?? '-'} | ${r.reducerEventsPerSecond} | ${r.peakRssMb} | ${r.peakHeapUsedMb} | ${r.retainedHeapMb} |`,
    ),
  ].join('\n');
  process.stdout.write(`${table}\n`);
  if (values.out) writeFileSync(values.out, `${JSON.stringify(rows, null, 2)}\n`);
}

function benchSizes(raw: string): Array<[events: number, members: number]> {
  return raw.split(',').map((size) => {
    const match = /^(\d{1,10}):(\d{1,10})$/.exec(size.trim());
    if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) {
      throw new UsageError(`--sizes takes events:members pairs of positive integers separated by commas, got '${size}'`);
    }
    return [Number(match[1]), Number(match[2])];
  });
}

/**
 * The fold of the log at `url` in a fresh process (`cliMain` is the built
 * CLI entry, dist/apps/cli/src/main.js), so the caller's own heap does not
 * blur the memory figures.
 */
export async function foldInChild(cliMain: string, url: string): Promise<FoldFigures> {
  const child = promisify(execFile)(process.execPath, [...process.execArgv, '--expose-gc', cliMain, 'bench-audit', '--fold-only', url], {
    encoding: 'utf8',
  });
  // The child's progress goes where ours does.
  child.child.stderr?.pipe(process.stderr);
  return JSON.parse((await child).stdout) as FoldFigures;
}

async function measureFold(url: string): Promise<FoldFigures> {
  // No idle timeout: a backend that closed mid-fold would take its CPU time with it.
  const pool = new Pool({ connectionString: url, max: 4, application_name: FOLD_APPLICATION_NAME, idleTimeoutMillis: 0 });
  const store = await PostgresEventStore.open(pool);
  try {
    gc();
    const baseline = process.memoryUsage().heapUsed;
    const postgresCpuBefore = await postgresCpuSeconds(pool);
    const nodeCpuBefore = process.cpuUsage();
    let peakRss = 0;
    let peakHeap = 0;
    const sample = () => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    };
    const timer = setInterval(sample, SAMPLE_INTERVAL_MS);
    const started = process.hrtime.bigint();
    const fold = await foldLog(store, asOfWindow(AS_OF_MS), { onProgress: sample, progressIntervalMs: 0 });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const nodeCpu = process.cpuUsage(nodeCpuBefore);
    const postgresCpuAfter = await postgresCpuSeconds(pool);
    clearInterval(timer);
    sample();
    const report = liabilityReport(fold, new Date(AS_OF_MS).toISOString());
    gc();
    // The fold is still referenced here: what it keeps is what remains after a collection.
    const retained = process.memoryUsage().heapUsed - baseline;
    const reducer = await measureReducer(store);
    const microsPerEvent = (cpuSeconds: number) => Math.round((cpuSeconds * 1e7) / fold.eventsRead) / 10;
    return {
      events: fold.eventsRead,
      members: fold.members.size,
      pageSize: AUDIT_PAGE_SIZE,
      seconds,
      eventsPerSecond: Math.round(fold.eventsRead / seconds),
      nodeCpuMicrosPerEvent: microsPerEvent((nodeCpu.user + nodeCpu.system) / 1e6),
      postgresCpuMicrosPerEvent:
        postgresCpuBefore === null || postgresCpuAfter === null ? null : microsPerEvent(postgresCpuAfter - postgresCpuBefore),
      reducerEventsPerSecond: reducer.eventsPerSecond,
      peakRssMb: mb(peakRss),
      peakHeapUsedMb: mb(peakHeap),
      retainedHeapMb: mb(retained),
      decodedEventBytes: reducer.decodedEventBytes,
      liabilityPoints: report.liabilityPoints,
    };
  } finally {
    await store.close();
    await pool.end();
  }
}

/**
 * CPU time so far of the Postgres backends serving the fold's pool, read from
 * /proc: only meaningful when Postgres runs on this machine, as the bench's
 * embedded server does. A backend that closed is not counted, so the pool is
 * read while its connections are still open.
 */
async function postgresCpuSeconds(pool: Pool): Promise<number | null> {
  const { rows } = await pool.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [
    FOLD_APPLICATION_NAME,
  ]);
  try {
    let ticks = 0;
    for (const { pid } of rows) {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') return null;
      // Fields after the parenthesised command name; utime and stime are the 14th and 15th of the whole line.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    }
    return ticks / PROC_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/**
 * The pure reducer over events already in memory: the fold's own cost,
 * without Postgres or JSON parsing. Holding those events also measures what
 * one decoded event takes on the heap.
 */
async function measureReducer(store: PostgresEventStore): Promise<{ eventsPerSecond: number; decodedEventBytes: number }> {
  const events: RecordedEvent[] = [];
  let after: bigint | undefined;
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  while (events.length < REDUCER_SAMPLE_EVENTS) {
    const page = await store.readAll({ after, maxCount: 10_000 });
    if (page.length === 0) break;
    events.push(...page);
    after = page[page.length - 1]!.position;
  }
  gc();
  const decodedEventBytes = Math.round((process.memoryUsage().heapUsed - heapBefore) / Math.max(1, events.length));
  let best = 0;
  for (let run = 0; run < 3; run++) {
    const fold = startFold(asOfWindow(AS_OF_MS));
    const started = process.hrtime.bigint();
    for (const event of events) foldEvent(fold, event);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    best = Math.max(best, Math.round(events.length / seconds));
  }
  return { eventsPerSecond: best, decodedEventBytes };
}
