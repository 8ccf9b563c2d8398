import {
  EVENT_STORE_SCHEMA,
  EventStore,
  EventStoreUnavailableError,
  InstrumentedEventStore,
  pageSize,
  PostgresEventStore,
  RecordedEvent,
} from '@loyalty/event-store';
import type { PoolClient } from 'pg';
import { MEMBER_AND_INSTANT_ONLY_TYPES } from './member-position';

/** What the audit reads of a recorded event: its place, stream, type and payload; never its id, revision or metadata. */
export type AuditEvent = Pick<RecordedEvent, 'position' | 'streamId' | 'type' | 'data'>;

/** The log in pages of global order, restricted to some stream kinds. */
export interface LogPages {
  /** The page after `after` (the start when undefined); an empty page is the end of the log. */
  read(after: bigint | undefined): Promise<AuditEvent[]>;
  release(): void;
}

export interface LogPagesOptions {
  readonly streamPrefixes: readonly string[];
  readonly pageSize: number;
  /**
   * Whether a reader other than the liability fold sees the events: when
   * none does, events the fold reads only for their member and instant
   * arrive with only those two fields (the fold of them is the same).
   */
  readonly wholePayloads: boolean;
}

/**
 * Pages through the EventStore port, or, on the Postgres adapter, through
 * the adapter's own `read_all` function selecting only what the audit reads.
 * The audit's cost per event is the client decoding rows: every column
 * costs a string and a parse, and `metadata`, `event_id` and `revision` were
 * three of seven that nothing read; a purchase's payload (basket lines and
 * all) is the largest in the log and the fold needs two of its fields. Same
 * events, same order, same page bounds and horizon (in-flight appends are
 * never read past) as `readAll`.
 */
export async function logPagesOf(store: EventStore, options: LogPagesOptions): Promise<LogPages> {
  const adapter = store instanceof InstrumentedEventStore ? store.adapter : store;
  if (!(adapter instanceof PostgresEventStore)) return portPages(store, options);
  const limit = pageSize(options.pageSize);
  return postgresPages(await adapter.connect(), limit, options);
}

function portPages(store: EventStore, options: LogPagesOptions): LogPages {
  const filter = { streamNamePrefixes: options.streamPrefixes };
  return {
    read: (after) => store.readAll({ after, maxCount: options.pageSize, filter }),
    release: () => undefined,
  };
}

interface AuditRow {
  position: string;
  stream_id: string;
  event_type: string;
  data: Record<string, unknown>;
}

/** The events of MEMBER_AND_INSTANT_ONLY_TYPES arrive as `{ memberId, occurredAt }` unless `$4` is empty. */
const READ_PAGE_SQL = `select e.position, e.stream_id, e.event_type,
    case when e.event_type = any($4::text[])
      then jsonb_build_object('memberId', e.data->'memberId', 'occurredAt', e.data->'occurredAt')
      else e.data end as data
  from ${EVENT_STORE_SCHEMA}.read_all($1, $2, $3::text[], null) e`;

function postgresPages(client: PoolClient, limit: number, options: LogPagesOptions): LogPages {
  const patterns = options.streamPrefixes.map((prefix) => prefix.replace(/[\\%_]/g, (c) => `\\${c}`) + '%');
  const trimmed = options.wholePayloads ? [] : [...MEMBER_AND_INSTANT_ONLY_TYPES];
  let broken = false;
  return {
    async read(after) {
      try {
        const rows = await pageQuery(client, [(after ?? -1n).toString(), limit, patterns, trimmed]);
        return rows.map((row) => ({ position: BigInt(row.position), streamId: row.stream_id, type: row.event_type, data: row.data }));
      } catch (error) {
        broken = true;
        throw new EventStoreUnavailableError(`postgres event store unavailable to the audit: ${(error as Error).message}`, {
          cause: error,
        });
      }
    },
    // A connection that failed a read is closed, not handed back to the store's pool.
    release: () => client.release(broken),
  };
}

/**
 * With a callback: on a client of its own, pg's promise form of the same
 * query cost the fold about a fifth more CPU per event and tripled its peak
 * heap (measured over the 1M-event bench log, BENCHMARKS.md).
 */
function pageQuery(client: PoolClient, values: unknown[]): Promise<AuditRow[]> {
  return new Promise((resolve, reject) => {
    client.query<AuditRow>({ name: 'audit_read_page', text: READ_PAGE_SQL, values }, (error, result) =>
      error ? reject(error) : resolve(result.rows),
    );
  });
}
