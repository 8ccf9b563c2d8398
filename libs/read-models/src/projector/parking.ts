import { EntityManager } from 'typeorm';
import { RecordedEvent } from '@loyalty/event-store';
import { READ_MODEL_SCHEMA } from '../schema';

/**
 * Parked streams and their dead letters, per consumer (the ledger
 * projector, the reactions). A stream is parked at the first event a
 * projection could not apply; that event and every later one of the stream
 * wait here, in order, until an admin retries them, while every other
 * stream keeps moving. They live beside the read models they hold back, so
 * a rebuild's fresh schema carries them over in the same swap.
 */
export const parkingDdl = (schema: string) => `
create table if not exists ${schema}.parked_streams (
  consumer text not null,
  stream_id text not null,
  first_position bigint not null,
  event_type text not null,
  projection text not null,
  error text not null,
  parked_at timestamptz not null default now(),
  retried_at timestamptz,
  primary key (consumer, stream_id)
);

create table if not exists ${schema}.dead_letters (
  consumer text not null,
  position bigint not null,
  stream_id text not null,
  revision bigint not null,
  event_id uuid not null,
  event_type text not null,
  -- The event's JSON as text: jsonb cannot hold every event (a NUL character), and text still sorts and compares.
  data text not null,
  metadata text not null,
  -- The projection and error that parked the stream; null for the stream's later events, held back behind it.
  projection text,
  error text,
  parked_at timestamptz not null default now(),
  primary key (consumer, position)
);
create index if not exists dead_letters_stream on ${schema}.dead_letters (consumer, stream_id, position);
`;

/** Longest error text kept: a parked stream's reason must fit a health report and a log line. */
export const PARKED_ERROR_LENGTH_MAX = 2000;

/** Failures of the database or the network, not of the event: retrying the batch is right, parking would be wrong. */
const TRANSIENT_SQLSTATE_CLASSES = new Set(['08', '40', '53', '57', '58']);
const TRANSIENT_SQLSTATES = new Set(['55P03', '25P02']);
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH']);
const TRANSIENT_NAMES = new Set(['EventStoreUnavailableError', 'CheckpointMovedError', 'QueryRunnerAlreadyReleasedError']);

export function isTransientFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (TRANSIENT_NAMES.has(error.name)) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (TRANSIENT_NODE_CODES.has(code) || TRANSIENT_SQLSTATES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && TRANSIENT_SQLSTATE_CLASSES.has(code.slice(0, 2))) return true;
  }
  // node-postgres reports a dropped connection as a plain Error without a code.
  return /connection (terminated|ended|closed)|not queryable|timeout exceeded/i.test(error.message);
}

export interface ParkedStream {
  readonly consumer: string;
  readonly streamId: string;
  readonly firstPosition: string;
  readonly eventType: string;
  readonly projection: string;
  readonly error: string;
  readonly parkedAt: string;
  readonly retriedAt: string | null;
  readonly events: number;
}

export async function parkedStreamIds(manager: EntityManager, consumer: string, schema = READ_MODEL_SCHEMA): Promise<Set<string>> {
  const rows: Array<{ stream_id: string }> = await manager.query(`select stream_id from ${schema}.parked_streams where consumer = $1`, [
    consumer,
  ]);
  return new Set(rows.map((r) => r.stream_id));
}

/** The event that parks its stream, with the projection that refused it and why. */
export async function parkStream(
  manager: EntityManager,
  consumer: string,
  event: RecordedEvent,
  projection: string,
  error: unknown,
  schema = READ_MODEL_SCHEMA,
): Promise<void> {
  const reason = describe(error);
  await manager.query(
    `insert into ${schema}.parked_streams (consumer, stream_id, first_position, event_type, projection, error) values ($1, $2, $3, $4, $5, $6)`,
    [consumer, event.streamId, event.position.toString(), event.type, projection, reason],
  );
  await holdBack(manager, consumer, [event], schema, { projection, error: reason });
}

/** Events of parked streams, kept in order behind the event that parked them. */
export async function holdBack(
  manager: EntityManager,
  consumer: string,
  events: readonly RecordedEvent[],
  schema = READ_MODEL_SCHEMA,
  cause?: { projection: string; error: string },
): Promise<void> {
  if (events.length === 0) return;
  await manager.query(
    `insert into ${schema}.dead_letters (consumer, position, stream_id, revision, event_id, event_type, data, metadata, projection, error)
     select $1, * from unnest($2::bigint[], $3::text[], $4::bigint[], $5::uuid[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])`,
    [
      consumer,
      events.map((e) => e.position.toString()),
      events.map((e) => e.streamId),
      events.map((e) => e.revision.toString()),
      events.map((e) => e.eventId),
      events.map((e) => e.type),
      events.map((e) => JSON.stringify(e.data)),
      events.map((e) => JSON.stringify(e.metadata)),
      events.map(() => cause?.projection ?? null),
      events.map(() => cause?.error ?? null),
    ],
  );
}

export async function listParkedStreams(manager: EntityManager, limit: number, schema = READ_MODEL_SCHEMA): Promise<ParkedStream[]> {
  const rows: Array<Record<string, string | null>> = await manager.query(
    `select p.consumer, p.stream_id, p.first_position::text, p.event_type, p.projection, p.error, p.parked_at, p.retried_at,
            (select count(*) from ${schema}.dead_letters d where d.consumer = p.consumer and d.stream_id = p.stream_id)::int as events
       from ${schema}.parked_streams p order by p.parked_at, p.consumer, p.stream_id limit $1`,
    [limit],
  );
  return rows.map((r) => ({
    consumer: String(r.consumer),
    streamId: String(r.stream_id),
    firstPosition: String(r.first_position),
    eventType: String(r.event_type),
    projection: String(r.projection),
    error: String(r.error),
    parkedAt: new Date(String(r.parked_at)).toISOString(),
    retriedAt: r.retried_at === null ? null : new Date(String(r.retried_at)).toISOString(),
    events: Number(r.events),
  }));
}

/** Parked streams per consumer, for readiness and metrics. */
export async function parkedStreamCounts(manager: EntityManager, schema = READ_MODEL_SCHEMA): Promise<Map<string, number>> {
  const rows: Array<{ consumer: string; parked: number }> = await manager.query(
    `select consumer, count(*)::int as parked from ${schema}.parked_streams group by consumer`,
  );
  return new Map(rows.map((r) => [r.consumer, r.parked]));
}

export async function isStreamParked(manager: EntityManager, consumer: string, streamId: string, schema = READ_MODEL_SCHEMA) {
  const rows: unknown[] = await manager.query(`select 1 from ${schema}.parked_streams where consumer = $1 and stream_id = $2`, [
    consumer,
    streamId,
  ]);
  return rows.length > 0;
}

export function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, PARKED_ERROR_LENGTH_MAX);
}
