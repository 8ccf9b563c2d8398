import { getPostgreSQLEventStore, PostgreSQLEventStoreDefaultStreamVersion } from '@event-driven-io/emmett-postgresql';
import { Pool, types } from 'pg';
import { EVENT_STORE_SCHEMA, EventToAppend, PostgresEventStore } from '@loyalty/event-store';

/** Room for 64 writers; every contender gets a pool of this size. */
const POOL_CONNECTIONS_MAX = 70;

/**
 * One store under test. Each measurement opens its own pool and closes it
 * after: three pools of 70 kept open together would pass the server's
 * default limit of 100 connections.
 */
export interface Contender {
  /** Its key in bench-results.json. */
  readonly id: string;
  readonly name: string;
  /** Opens a pool with `writers` connections already made, as a running app's pool would have. */
  open(writers: number): Promise<OpenContender>;
  /** Events its table holds, to check that every acknowledged append was stored. */
  storedEvents(): Promise<number>;
}

export interface OpenContender {
  /** `appendIndex`: how many appends of `events.length` the stream already has. */
  append(streamId: string, events: readonly EventToAppend[], appendIndex: number): Promise<unknown>;
  close(): Promise<void>;
}

const newPool = (url: string) => new Pool({ connectionString: url, max: POOL_CONNECTIONS_MAX });

async function connectedPool(url: string, connections: number): Promise<Pool> {
  const pool = newPool(url);
  const clients = await Promise.all(Array.from({ length: connections }, () => pool.connect()));
  for (const client of clients) client.release();
  return pool;
}

async function countRows(url: string, table: string): Promise<number> {
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    const { rows } = await pool.query<{ n: string }>(`select count(*)::text as n from ${table}`);
    return Number(rows[0]!.n);
  } finally {
    await pool.end();
  }
}

export function ourStore(url: string): Contender {
  return {
    id: 'ours',
    name: 'ours',
    async open(writers) {
      const pool = await connectedPool(url, writers);
      const store = await PostgresEventStore.open(pool);
      return {
        append: (streamId, events, appendIndex) =>
          store.append(streamId, events, appendIndex === 0 ? 'no_stream' : BigInt(appendIndex * events.length - 1)),
        close: async () => {
          await store.close();
          await pool.end();
        },
      };
    },
    storedEvents: () => countRows(url, `${EVENT_STORE_SCHEMA}.events`),
  };
}

/** The pg type parsers Emmett's driver (dumbo) replaces process-wide: int8, json, jsonb. */
const EMMETT_PARSED_TYPE_IDS = [20, 114, 3802] as const;
type TypeParsers = ReadonlyMap<number, (value: string) => unknown>;
const typeParsers = (): TypeParsers =>
  new Map(EMMETT_PARSED_TYPE_IDS.map((id) => [id, types.getTypeParser(id) as (value: string) => unknown]));
const useTypeParsers = (parsers: TypeParsers) => parsers.forEach((parse, id) => types.setTypeParser(id, parse));

/**
 * Emmett's store on a pg Pool of the same size as ours (its default pool
 * would hold 10). Its schema is migrated once here, so no measurement pays
 * for it; the stores opened per measurement then skip the check, as
 * Emmett's own sessions do.
 *
 * Its driver installs process-wide pg type parsers (int8 as BigInt, its own
 * JSON parser) the first time it opens. They are in force only while Emmett
 * is measured, so ours and later bench sections parse rows as they do in
 * production.
 */
export async function emmettStore(url: string): Promise<Contender> {
  const ours = typeParsers();
  const pool = newPool(url);
  try {
    await getPostgreSQLEventStore(url, { connectionOptions: { pool } }).schema.migrate();
  } finally {
    await pool.end();
  }
  const emmett = typeParsers();
  useTypeParsers(ours);
  return {
    id: 'emmett',
    name: 'Emmett',
    async open(writers) {
      const pool = await connectedPool(url, writers);
      const store = getPostgreSQLEventStore(url, { connectionOptions: { pool }, schema: { autoMigration: 'None' } });
      useTypeParsers(emmett);
      return {
        append: (streamId, events, appendIndex) =>
          store.appendToStream(
            streamId,
            events.map((e) => ({ type: e.type, data: e.data, metadata: { ...e.metadata, messageId: e.eventId } })),
            { expectedStreamVersion: appendIndex === 0 ? PostgreSQLEventStoreDefaultStreamVersion : BigInt(appendIndex * events.length) },
          ),
        close: async () => {
          useTypeParsers(ours);
          await store.close();
          await pool.end();
        },
      };
    },
    storedEvents: () => countRows(url, 'emt_messages'),
  };
}

const RAW_COLUMNS = ['stream_id', 'revision', 'event_id', 'event_type', 'data', 'metadata'];

/**
 * The ceiling: what the server does for plain autocommit INSERTs of the same
 * rows into a table with the same columns and only a primary key, with no
 * revision check, no gap safety and no idempotency. One statement per append:
 * one row, or one multi-row INSERT for a batch.
 */
export async function rawInserts(url: string): Promise<Contender> {
  const setup = new Pool({ connectionString: url, max: 1 });
  try {
    await setup.query(`
      create table if not exists raw_events (
        position bigint generated always as identity primary key,
        stream_id text not null,
        revision bigint not null,
        event_id uuid not null,
        event_type text not null,
        data jsonb not null,
        metadata jsonb not null,
        recorded_at timestamptz not null default now()
      )`);
  } finally {
    await setup.end();
  }
  return {
    id: 'raw',
    name: 'raw INSERT',
    async open(writers) {
      const pool = await connectedPool(url, writers);
      return {
        append: (streamId, events, appendIndex) =>
          pool.query({
            name: `raw_insert_${events.length}`,
            text: insertStatement(events.length),
            values: events.flatMap((e, i) => [
              streamId,
              appendIndex * events.length + i,
              e.eventId,
              e.type,
              JSON.stringify(e.data),
              JSON.stringify(e.metadata ?? {}),
            ]),
          }),
        close: () => pool.end(),
      };
    },
    storedEvents: () => countRows(url, 'raw_events'),
  };
}

function insertStatement(rows: number): string {
  const tuples = Array.from({ length: rows }, (_, r) => `(${RAW_COLUMNS.map((_, c) => `$${r * RAW_COLUMNS.length + c + 1}`).join(', ')})`);
  return `insert into raw_events (${RAW_COLUMNS.join(', ')}) values ${tuples.join(', ')}`;
}
