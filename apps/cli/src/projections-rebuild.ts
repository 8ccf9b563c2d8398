import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource, EntityManager } from 'typeorm';
import { EventStore, RecordedEvent } from '@loyalty/event-store';
import { loadConfig } from '@loyalty/platform';
import {
  applyHoldingBack,
  applyIsolating,
  holdProjectorBatches,
  isTransientFailure,
  logPages,
  ParkingScope,
  parkedStreamIds,
  READ_MODEL_SCHEMA,
  readModelProjections,
  READ_MODEL_MIGRATIONS,
  replayInLanes,
} from '@loyalty/read-models';
import { migrateSchema, openPersonalDataVault, personalDataReader, queryRows } from '@loyalty/platform';
import { parseCommand } from './cli/args';
import { openStorage } from './storage';

/** Events per rebuild batch: ten times the live projector's, as nobody waits on these rows and round trips add up. */
const REBUILD_PAGE_SIZE = 5000;
/** Attempts at the swap: waiting for the live projector's batch in flight can exceed the lock timeout on a busy database. */
const SWAP_ATTEMPTS_MAX = 5;
/** One connection per projection lane, and one for the personal data vault and the swap. */
const REBUILD_CONNECTIONS_MAX = 8;
const SWAP_LOCK_TIMEOUT_MS = 10_000;
const PROGRESS_INTERVAL_MS = 200;
const LEDGER_PROJECTION = 'ledger';

export interface RebuildProgress {
  readonly events: number;
  readonly position: bigint;
  readonly fraction: number;
  readonly eventsPerSecond: number;
}

export interface RebuildOptions {
  readonly databaseUrl: string;
  readonly store: EventStore;
  /** infra/sql/analytics-views.sql, re-applied after the swap when the analytics schema exists. */
  readonly viewsSql?: string;
  readonly keepOldSchema?: boolean;
  readonly progress?: (p: RebuildProgress) => void;
  /** Called between the replay and the swap (tests use it to write while the rebuild runs). */
  readonly beforeSwap?: () => Promise<void>;
}

export interface RebuildResult {
  readonly events: number;
  readonly position: bigint;
  readonly oldSchema: string;
  readonly seconds: number;
}

/**
 * Replays the whole log into a fresh schema while the API keeps reading (and
 * the live projector keeps writing) the current one, then swaps them in one
 * transaction: lock the live tables (waits for the live batch in flight),
 * catch the new schema up past the live checkpoint, rename both schemas,
 * re-create the analytics views. The live projector's next batch then finds
 * the new tables and a checkpoint ahead of it, so it fails once and resumes
 * from the new checkpoint: nothing is applied twice or skipped.
 */
export async function rebuildReadModels(options: RebuildOptions): Promise<RebuildResult> {
  const started = Date.now();
  const suffix = new Date(started).toISOString().replace(/\D/g, '').slice(0, 14);
  const fresh = `${READ_MODEL_SCHEMA}_rebuild_${suffix}`;
  const old = `${READ_MODEL_SCHEMA}_old_${suffix}`;
  const db = new DataSource({ type: 'postgres', url: options.databaseUrl, entities: [], extra: { max: REBUILD_CONNECTIONS_MAX } });
  await db.initialize();
  try {
    await migrateSchema(options.databaseUrl, fresh, READ_MODEL_MIGRATIONS);
    // The rebuilt rows carry personal data only for members whose key still exists.
    const vault = await openPersonalDataVault(options.databaseUrl, { query: (text, values) => db.query(text, values) });
    const projections = readModelProjections(fresh, personalDataReader(vault));
    const [live] = await queryRows<{ position: string }>(
      db,
      `select position from ${READ_MODEL_SCHEMA}.checkpoints where projection = $1`,
      [LEDGER_PROJECTION],
    ).catch(() => []);
    const target = live ? BigInt(live.position) : -1n;
    const first = (await options.store.readAll({ maxCount: 1 }))[0]?.position ?? 0n;
    let events = 0;
    let lastReport = 0;
    const report = (position: bigint, force = false) => {
      if (!options.progress || (!force && Date.now() - lastReport < PROGRESS_INTERVAL_MS)) return;
      lastReport = Date.now();
      const span = Number(target - first);
      const fraction = span <= 0 ? 1 : Math.min(1, Math.max(0, Number(position - first) / span));
      options.progress({ events, position, fraction, eventsPerSecond: Math.round((events * 1000) / Math.max(1, Date.now() - started)) });
    };

    let position: bigint | undefined;
    const applied = (page: readonly RecordedEvent[]) => {
      position = page[page.length - 1]!.position;
      events += page.length;
      report(position);
    };
    const saveCheckpoint = (manager: EntityManager, at: bigint) =>
      manager.query(
        `insert into ${fresh}.checkpoints (projection, position) values ($1, $2) on conflict (projection) do update set position = excluded.position`,
        [LEDGER_PROJECTION, at.toString()],
      );

    // What the live projector parked stays parked: the rebuilt rows must be the live ones, held-back events included.
    const heldBack = await heldBackPositions(db.manager, READ_MODEL_SCHEMA);
    await replayInLanes(db, projections, withoutPositions(logPages(options.store, undefined, REBUILD_PAGE_SIZE), heldBack), applied);
    if (position !== undefined) await saveCheckpoint(db.manager, position);
    report(position ?? -1n, true);
    await options.beforeSwap?.();

    let replaced = false;
    for (let attempt = 1; ; attempt++) {
      const runner = db.createQueryRunner();
      await runner.connect();
      try {
        await runner.startTransaction();
        await runner.query(`set local lock_timeout = ${SWAP_LOCK_TIMEOUT_MS}`);
        await holdProjectorBatches(runner.manager, LEDGER_PROJECTION);
        // A log never projected in this database (imported, seeded) has no live schema: the rebuilt one simply becomes it.
        const [live] = await queryRows<object>(runner, `select 1 from information_schema.schemata where schema_name = $1`, [
          READ_MODEL_SCHEMA,
        ]);
        const tables = await queryRows<{ table_name: string }>(
          runner,
          `select table_name from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE' order by table_name`,
          [READ_MODEL_SCHEMA],
        );
        if (tables.length > 0)
          await runner.query(`lock table ${tables.map((t) => `${READ_MODEL_SCHEMA}.${t.table_name}`).join(', ')} in access exclusive mode`);
        const [now] = live
          ? await queryRows<{ position: string }>(runner, `select position from ${READ_MODEL_SCHEMA}.checkpoints where projection = $1`, [
              LEDGER_PROJECTION,
            ])
          : [];
        if (live) await carryParkedOver(runner.manager, heldBack, position ?? -1n, fresh);
        const scope: ParkingScope = {
          manager: runner.manager,
          consumer: LEDGER_PROJECTION,
          projections,
          parked: await parkedStreamIds(runner.manager, LEDGER_PROJECTION, fresh),
          schema: fresh,
        };
        const heldNow = live ? await heldBackPositions(runner.manager, READ_MODEL_SCHEMA) : new Set<bigint>();
        // The tail written since the replay, under the lock, in the swap's own transaction (so a retry starts it over).
        let tail = position;
        let tailEvents = 0;
        for await (const page of withoutPositions(logPages(options.store, tail, REBUILD_PAGE_SIZE), heldNow)) {
          await applyTail(scope, page);
          tail = page[page.length - 1]!.position;
          tailEvents += page.length;
          await saveCheckpoint(runner.manager, tail);
        }
        if (now && (tail ?? -1n) < BigInt(now.position))
          throw new Error(`the log read stopped at ${tail} before the live checkpoint ${now.position}`);
        if (live) {
          // Other projectors (reactions, ...) keep their place: their checkpoints move with the swap.
          await runner.query(
            `insert into ${fresh}.checkpoints (projection, position)
             select projection, position from ${READ_MODEL_SCHEMA}.checkpoints where projection <> $1 on conflict do nothing`,
            [LEDGER_PROJECTION],
          );
          await runner.query(`alter schema ${READ_MODEL_SCHEMA} rename to ${old}`);
        }
        await runner.query(`alter schema ${fresh} rename to ${READ_MODEL_SCHEMA}`);
        const [analytics] = await queryRows<object>(runner, `select 1 from information_schema.schemata where schema_name = 'analytics'`);
        if (analytics && options.viewsSql) await runner.query(options.viewsSql.replace(/^\s*(begin|commit);\s*$/gim, ''));
        await runner.commitTransaction();
        replaced = Boolean(live);
        position = tail;
        events += tailEvents;
        break;
      } catch (error) {
        await runner.rollbackTransaction().catch(() => undefined);
        const code = (error as { code?: string }).code;
        // 40P01 deadlock, 55P03 lock timeout: the live projector held a table; it finishes its batch and we try again.
        if (attempt >= SWAP_ATTEMPTS_MAX || (code !== '40P01' && code !== '55P03')) throw error;
      } finally {
        await runner.release();
      }
    }
    report(position ?? -1n, true);
    if (replaced && !options.keepOldSchema) await db.query(`drop schema ${old} cascade`);
    return { events, position: position ?? -1n, oldSchema: old, seconds: (Date.now() - started) / 1000 };
  } catch (error) {
    await db.query(`drop schema if exists ${fresh} cascade`).catch(() => undefined);
    throw error;
  } finally {
    await db.destroy();
  }
}

/** Positions the live ledger projector held back behind parked streams. */
async function heldBackPositions(manager: EntityManager, schema: string): Promise<Set<bigint>> {
  const rows = await queryRows<{ position: string }>(manager, `select position::text from ${schema}.dead_letters where consumer = $1`, [
    LEDGER_PROJECTION,
  ]).catch(() => []);
  return new Set(rows.map((r) => BigInt(r.position)));
}

async function* withoutPositions(pages: AsyncIterable<readonly RecordedEvent[]>, skipped: ReadonlySet<bigint>) {
  for await (const page of pages) {
    const kept = skipped.size === 0 ? page : page.filter((e) => !skipped.has(e.position));
    if (kept.length > 0) yield kept;
  }
}

/**
 * Parked streams and their held-back events move into the fresh schema. An
 * event the live projector parked after the replay had read past it would
 * be in the rebuilt rows but not the live ones: the rebuild must start over.
 */
async function carryParkedOver(manager: EntityManager, replayedHeldBack: ReadonlySet<bigint>, replayedTo: bigint, fresh: string) {
  const parkedSince = [...(await heldBackPositions(manager, READ_MODEL_SCHEMA))].filter((p) => p <= replayedTo && !replayedHeldBack.has(p));
  if (parkedSince.length > 0)
    throw new Error(`the live projector parked events at positions ${parkedSince.join(', ')} during the rebuild: run it again`);
  await manager.query(`insert into ${fresh}.parked_streams select * from ${READ_MODEL_SCHEMA}.parked_streams`);
  await manager.query(`insert into ${fresh}.dead_letters select * from ${READ_MODEL_SCHEMA}.dead_letters`);
}

/** The tail as the live projector would take it: together, or event by event when one of them parks its stream. */
async function applyTail(scope: ParkingScope, page: readonly RecordedEvent[]): Promise<void> {
  await scope.manager.query('savepoint rebuild_tail');
  try {
    await applyHoldingBack(scope, page);
    await scope.manager.query('release savepoint rebuild_tail');
  } catch (error) {
    if (isTransientFailure(error)) throw error;
    await scope.manager.query('rollback to savepoint rebuild_tail');
    await applyIsolating(scope, page);
  }
}

export function progressBar(p: RebuildProgress, width = 30): string {
  const filled = Math.round(p.fraction * width);
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(p.fraction * 100).toFixed(0).padStart(3)}%  ${p.events.toLocaleString('en')} events  ${p.eventsPerSecond.toLocaleString('en')} events/s`;
}

/** infra/sql/analytics-views.sql from the source tree or from dist/. */
export function analyticsViewsSql(): string | undefined {
  const candidates = [
    join(__dirname, '../../../infra/sql/analytics-views.sql'),
    join(__dirname, '../../../../infra/sql/analytics-views.sql'),
  ];
  const found = candidates.find((p) => existsSync(p));
  return found ? readFileSync(found, 'utf8') : undefined;
}

export const REBUILD_USAGE = `usage: npm run projections:rebuild -- [--keep-old]
  Replays the whole log into a fresh read-model schema while the API keeps serving, then swaps it in.
  --keep-old  keep the previous read models in a schema read_models_old_<time> (the output names it)
Storage: DATABASE_URL / EVENT_STORE as the app, else the embedded PostgreSQL under DATA_DIR (default ./.data):
the running ledger's when \`npm start\` runs, else one started for the rebuild.`;

const REBUILD_COMMAND = { usage: REBUILD_USAGE, options: { 'keep-old': { type: 'boolean' } } } as const;

/** `npm run projections:rebuild`: every argument is checked before anything is read, so `--help` or a typo never rebuilds. */
export async function rebuildCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const keepOldSchema = parseCommand(REBUILD_COMMAND, argv).values['keep-old'] ?? false;
  const storage = await openStorage(loadConfig(env), (line) => process.stderr.write(`${line}\n`));
  try {
    const result = await rebuildReadModels({
      databaseUrl: storage.databaseUrl,
      store: storage.store,
      viewsSql: analyticsViewsSql(),
      keepOldSchema,
      progress: (p) => process.stderr.write(progressBar(p)),
    });
    process.stderr.write('\n');
    process.stdout.write(
      `rebuilt read models from ${result.events} events up to position ${result.position} in ${result.seconds.toFixed(1)} s and swapped them in` +
        `${keepOldSchema ? `; the previous ones are in schema ${result.oldSchema}` : ''}\n`,
    );
  } finally {
    await storage.close();
  }
}
