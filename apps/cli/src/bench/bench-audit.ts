import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Pool } from 'pg';
import { asOfWindow, foldEvent, foldLog, liabilityReport, startFold } from '@loyalty/audit';
import { EVENT_STORE_SCHEMA, PostgresEventStore, RecordedEvent } from '@loyalty/event-store';
import { startEmbeddedPostgres } from '@loyalty/platform';
import { seedLog } from '../seed/seed-log';

const AS_OF_MS = Date.parse('2026-01-01T00:00:00.000Z');
const SAMPLE_INTERVAL_MS = 20;
/** Events held in memory to time the reducer alone, without Postgres. */
const REDUCER_SAMPLE_EVENTS = 200_000;
/** Same members with 5x the events, then 5x the members with the same events. */
const DEFAULT_SIZES = '200000:10000,1000000:10000,200000:50000';

interface FoldFigures {
  readonly events: number;
  readonly members: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly reducerEventsPerSecond: number;
  readonly peakRssMb: number;
  readonly peakHeapUsedMb: number;
  readonly retainedHeapMb: number;
  readonly liabilityPoints: number;
}

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
  const { values } = parseArgs({ args: argv, options: { 'fold-only': { type: 'string' }, sizes: { type: 'string' }, out: { type: 'string' } } });
  if (values['fold-only']) return void process.stdout.write(`${JSON.stringify(await measureFold(values['fold-only']))}\n`);

  const sizes = (values.sizes ?? DEFAULT_SIZES).split(',').map((s) => s.split(':').map(Number) as [number, number]);
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
      stderr(`bench: seeded ${seeded.events} events / ${seeded.members} members in ${seedSeconds.toFixed(1)} s (${Math.round(seeded.events / seedSeconds)} events/s)`);
      // A bulk load leaves the planner without statistics, and then readAll pages sort the whole table each time.
      await pool.query(`analyze ${EVENT_STORE_SCHEMA}.events`);
      await store.close();
      await pool.end();
      const child = execFileSync(process.execPath, ['--expose-gc', process.argv[1]!, 'bench-audit', '--fold-only', url], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      const figures = JSON.parse(child) as FoldFigures;
      stderr(`bench: ${JSON.stringify(figures)}`);
      rows.push({ ...figures, seedSeconds });
    }
  } finally {
    await embedded.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const table = [
    '| events | members | seed s | fold s | fold events/s | reducer events/s | peak RSS MB | peak heap MB | retained heap MB |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.events} | ${r.members} | ${r.seedSeconds.toFixed(1)} | ${r.seconds.toFixed(2)} | ${r.eventsPerSecond} | ${r.reducerEventsPerSecond} | ${r.peakRssMb} | ${r.peakHeapUsedMb} | ${r.retainedHeapMb} |`),
  ].join('\n');
  process.stdout.write(`${table}\n`);
  if (values.out) writeFileSync(values.out, `${JSON.stringify(rows, null, 2)}\n`);
}

async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists ${name}`);
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function measureFold(url: string): Promise<FoldFigures> {
  const pool = new Pool({ connectionString: url, max: 4 });
  const store = await PostgresEventStore.open(pool);
  try {
    gc();
    const baseline = process.memoryUsage().heapUsed;
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
    clearInterval(timer);
    sample();
    const report = liabilityReport(fold, new Date(AS_OF_MS).toISOString());
    gc();
    // The fold is still referenced here: what it keeps is what remains after a collection.
    const retained = process.memoryUsage().heapUsed - baseline;
    const reducerRate = await reducerEventsPerSecond(store);
    return {
      events: fold.eventsRead,
      members: fold.members.size,
      seconds,
      eventsPerSecond: Math.round(fold.eventsRead / seconds),
      reducerEventsPerSecond: reducerRate,
      peakRssMb: mb(peakRss),
      peakHeapUsedMb: mb(peakHeap),
      retainedHeapMb: mb(retained),
      liabilityPoints: report.liabilityPoints,
    };
  } finally {
    await store.close();
    await pool.end();
  }
}

/** The pure reducer over events already in memory: the fold's own cost, without Postgres or JSON parsing. */
async function reducerEventsPerSecond(store: PostgresEventStore): Promise<number> {
  const events: RecordedEvent[] = [];
  let after: bigint | undefined;
  while (events.length < REDUCER_SAMPLE_EVENTS) {
    const page = await store.readAll({ after, maxCount: 10_000 });
    if (page.length === 0) break;
    events.push(...page);
    after = page[page.length - 1]!.position;
  }
  let best = 0;
  for (let run = 0; run < 3; run++) {
    const fold = startFold(asOfWindow(AS_OF_MS));
    const started = process.hrtime.bigint();
    for (const event of events) foldEvent(fold, event);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    best = Math.max(best, Math.round(events.length / seconds));
  }
  return best;
}
