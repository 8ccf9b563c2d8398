import { Pool, PoolClient } from 'pg';
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
import {
  EVENT_STORE_DDL,
  EVENT_STORE_SCHEMA,
  EXPECTED_ANY,
  EXPECTED_NO_STREAM,
  WRONG_EXPECTED_REVISION_SQLSTATE,
} from './schema';
import { AppendWakeups } from './append-wakeups';
import { PollingSubscription } from './polling-subscription';

/** Serialises schema creation across processes booting at once. */
const MIGRATION_LOCK_KEY = 7_310_001;

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

  private constructor(private readonly pool: Pool) {
    this.wakeups = new AppendWakeups(pool);
  }

  /** Creates the schema if needed. The pool stays owned by the caller only if `ownsPool` is false. */
  static async open(pool: Pool): Promise<PostgresEventStore> {
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await client.query(EVENT_STORE_DDL);
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    return new PostgresEventStore(pool);
  }

  async append(
    streamId: string,
    events: readonly EventToAppend[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    assertAppendable(events);
    const expected =
      expectedRevision === 'no_stream' ? EXPECTED_NO_STREAM : expectedRevision === 'any' ? EXPECTED_ANY : expectedRevision;
    const notifies = this.wakeups.appendStarting();
    try {
      const { rows } = await this.pool.query<{ next_revision: string; last_position: string }>({
        name: 'event_store_append',
        text: `select next_revision, last_position from ${EVENT_STORE_SCHEMA}.append($1, $2, $3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[], $7)`,
        values: [
          streamId,
          expected.toString(),
          events.map((e) => e.eventId),
          events.map((e) => e.type),
          events.map((e) => JSON.stringify(e.data)),
          events.map((e) => JSON.stringify(e.metadata ?? {})),
          notifies,
        ],
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
      return new WrongExpectedRevisionError(streamId, expected, actual as bigint | 'no_stream' | 'unknown');
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
