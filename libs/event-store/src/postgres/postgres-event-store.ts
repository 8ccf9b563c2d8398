import { Pool, PoolClient } from 'pg';
import { migrateSchema } from '@loyalty/platform';
import {
  AppendResult,
  assertAppendable,
  EventFilter,
  EventStore,
  EventStoreUnavailableError,
  EventToAppend,
  ExpectedRevision,
  pageSize,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  WrongExpectedRevisionError,
} from '../port';
import { EVENT_STORE_MIGRATIONS, EVENT_STORE_SCHEMA, EXPECTED_ANY, EXPECTED_NO_STREAM, WRONG_EXPECTED_REVISION_SQLSTATE } from './schema';
import { AppendWakeups } from './append-wakeups';
import { GroupCommit, QueuedAppend } from './group-commit';
import { PollingSubscription } from './polling-subscription';

interface EventRow {
  position: string;
  stream_id: string;
  revision: string;
  event_id: string;
  event_type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

const EVENT_COLUMNS = 'position, stream_id, revision, event_id, event_type, data, metadata';

export class PostgresEventStore implements EventStore {
  private readonly wakeups: AppendWakeups;
  private readonly commits = new GroupCommit<PendingAppend>((batch) => this.writeBatch(batch));

  private constructor(private readonly pool: Pool) {
    this.wakeups = new AppendWakeups(pool);
  }

  /** Migrates the schema to this release's shape first (docs/operations.md, "Upgrades"). */
  static async open(pool: Pool): Promise<PostgresEventStore> {
    const url = pool.options.connectionString;
    if (!url) throw new Error('the event store needs a pool opened with a connection string, to migrate its schema');
    await migrateSchema(url, EVENT_STORE_SCHEMA, EVENT_STORE_MIGRATIONS);
    return new PostgresEventStore(pool);
  }

  append(streamId: string, events: readonly EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    assertAppendable(events);
    return this.commits.submit({ streamId, events, expectedRevision }, events.length);
  }

  private async writeBatch(batch: ReadonlyArray<QueuedAppend<PendingAppend>>): Promise<void> {
    if (batch.length === 1) return settle(batch[0]!, () => this.appendAlone(batch[0]!.item));
    // Stream rows locked in one order by every batch, so two batches in flight never deadlock (stable: a stream's appends keep theirs).
    const ordered = [...batch].sort((a, b) => (a.item.streamId < b.item.streamId ? -1 : a.item.streamId > b.item.streamId ? 1 : 0));
    const appends = ordered.map((queued) => queued.item);
    const notifies = this.wakeups.appendStarting();
    let rows: Array<{ next_revision: string | null; last_position: string | null; actual: string | null }>;
    try {
      ({ rows } = await this.pool.query({
        name: 'event_store_append_batch',
        text: `select next_revision, last_position, actual from ${EVENT_STORE_SCHEMA}.append_batch($1, $2, $3, $4::uuid[], $5::text[], $6::jsonb[], $7::jsonb[], $8)`,
        values: [
          appends.map((a) => a.streamId),
          appends.map((a) => expectedOf(a.expectedRevision).toString()),
          appends.map((a) => a.events.length),
          ...eventColumns(appends.flatMap((a) => a.events)),
          notifies,
        ],
      }));
    } catch {
      // One append broke the whole transaction (a duplicate event id, a deadlock): each goes again alone, with its own outcome.
      await Promise.all(batch.map((queued) => settle(queued, () => this.appendAlone(queued.item))));
      return;
    } finally {
      this.wakeups.appendFinished(notifies);
    }
    rows.forEach((row, i) => {
      const { item, resolve, reject } = ordered[i]!;
      if (row.actual === null) resolve({ nextRevision: BigInt(row.next_revision!), position: BigInt(row.last_position!) });
      else reject(this.translate({ code: WRONG_EXPECTED_REVISION_SQLSTATE, message: row.actual }, item.streamId, item.expectedRevision));
    });
  }

  private async appendAlone({ streamId, events, expectedRevision }: PendingAppend): Promise<AppendResult> {
    const notifies = this.wakeups.appendStarting();
    try {
      const { rows } = await this.pool.query<{ next_revision: string; last_position: string }>({
        name: 'event_store_append',
        text: `select next_revision, last_position from ${EVENT_STORE_SCHEMA}.append($1, $2, $3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[], $7)`,
        values: [streamId, expectedOf(expectedRevision).toString(), ...eventColumns(events), notifies],
      });
      const row = rows[0]!;
      return { nextRevision: BigInt(row.next_revision), position: BigInt(row.last_position) };
    } catch (error) {
      throw this.translate(error, streamId, expectedRevision);
    } finally {
      this.wakeups.appendFinished(notifies);
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? BigInt(Number.MAX_SAFE_INTEGER) : 0n);
    const limit = options.maxCount === undefined ? null : pageSize(options.maxCount);
    const { rows } = await this.query<EventRow>(
      `select ${EVENT_COLUMNS} from ${EVENT_STORE_SCHEMA}.events
       where stream_id = $1 and revision ${backwards ? '<=' : '>='} $2
       order by revision ${backwards ? 'desc' : 'asc'} limit $3`,
      [streamId, from.toString(), limit],
      'event_store_read_stream_' + (backwards ? 'backwards' : 'forwards'),
    );
    return rows.map(toRecorded);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const { patterns, types } = filterParams(options.filter);
    const { rows } = await this.query<EventRow>(
      `select ${EVENT_COLUMNS} from ${EVENT_STORE_SCHEMA}.read_all($1, $2, $3::text[], $4::text[])`,
      [(options.after ?? -1n).toString(), pageSize(options.maxCount), patterns, types],
      'event_store_read_all',
    );
    return rows.map(toRecorded);
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    return new PollingSubscription((after) => this.readAll({ after, filter: options.filter }), this.wakeups, options.after);
  }

  async ping(): Promise<void> {
    await this.query('select 1', []);
  }

  async close(): Promise<void> {
    await this.wakeups.close();
  }

  /** Opens a client for callers that must share a transaction with the store (tests, tools). */
  connect(): Promise<PoolClient> {
    return this.pool.connect();
  }

  private async query<R extends object>(text: string, values: unknown[], name?: string) {
    try {
      return await this.pool.query<R>(name ? { name, text, values } : { text, values });
    } catch (error) {
      throw this.translate(error);
    }
  }

  private translate(error: unknown, streamId?: string, expected?: ExpectedRevision): Error {
    const pgError = error as { code?: string; message?: string };
    if (pgError.code === WRONG_EXPECTED_REVISION_SQLSTATE && streamId !== undefined && expected !== undefined) {
      const actual = pgError.message === 'no_stream' || pgError.message === 'unknown' ? pgError.message : BigInt(pgError.message ?? '0');
      return new WrongExpectedRevisionError(streamId, expected, actual);
    }
    if (isConnectionError(pgError.code, pgError.message)) {
      return new EventStoreUnavailableError(`postgres event store unavailable: ${pgError.message}`, { cause: error });
    }
    return error instanceof Error ? error : new Error(String(error));
  }
}

function toRecorded(row: EventRow): RecordedEvent {
  return {
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: BigInt(row.position),
    eventId: row.event_id,
    type: row.event_type,
    data: row.data,
    metadata: row.metadata,
  };
}

function filterParams(filter: EventFilter | undefined): { patterns: string[] | null; types: string[] | null } {
  if (!filter) return { patterns: null, types: null };
  if ('streamNamePrefixes' in filter) {
    return { patterns: filter.streamNamePrefixes.map((p) => p.replace(/[\\%_]/g, (c) => `\\${c}`) + '%'), types: null };
  }
  return { patterns: null, types: [...filter.eventTypes] };
}

/** Class 08 is connection exceptions; 57P0x is admin shutdown / crash; node errors carry no SQLSTATE. */
function isConnectionError(code: string | undefined, message: string | undefined): boolean {
  if (code === undefined) return /ECONNREFUSED|ECONNRESET|EPIPE|terminated|Connection terminated|timeout/i.test(message ?? '');
  return code.startsWith('08') || code.startsWith('57P');
}

interface PendingAppend {
  readonly streamId: string;
  readonly events: readonly EventToAppend[];
  readonly expectedRevision: ExpectedRevision;
}

const expectedOf = (revision: ExpectedRevision): bigint =>
  revision === 'no_stream' ? EXPECTED_NO_STREAM : revision === 'any' ? EXPECTED_ANY : revision;

function eventColumns(events: readonly EventToAppend[]): [string[], string[], string[], string[]] {
  return [
    events.map((e) => e.eventId),
    events.map((e) => e.type),
    events.map((e) => JSON.stringify(e.data)),
    events.map((e) => JSON.stringify(e.metadata ?? {})),
  ];
}

async function settle<T>(queued: { resolve(value: T): void; reject(error: unknown): void }, run: () => Promise<T>): Promise<void> {
  try {
    queued.resolve(await run());
  } catch (error) {
    queued.reject(error);
  }
}
