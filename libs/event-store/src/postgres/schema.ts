import { MigrationSet } from '@loyalty/platform';

/**
 * Postgres event store schema.
 *
 * Gap safety: a plain bigserial position lets a reader pass an event whose
 * transaction commits after a later-numbered one. Instead each event's
 * position is `writing transaction id * 2^16 + index in the transaction`,
 * and readers only return positions below the oldest transaction that is
 * still appending. Every event that can still commit then has a higher
 * position than anything already read, so a checkpoint never skips one.
 *
 * "Still appending" rather than Emmett's "oldest running transaction"
 * (pg_snapshot_xmin): the read models live in the same cluster, and their
 * transactions must not hold back the log. An append takes a shared advisory
 * lock before its transaction gets an id; a read first computes the horizon
 * (the oldest in-progress transaction holding that lock, else the snapshot's
 * xmax) in one statement, then reads below it in a later statement, whose
 * snapshot sees every append that finished in between.
 *
 * Readers see other sessions' transaction ids in pg_stat_activity only for
 * their own role (or with pg_read_all_stats): every process of one ledger
 * connects as the same database role.
 *
 * Transaction ids are 64-bit epoch-aware xid8 values; at 2^16 events per
 * transaction, positions stay below 2^53 for 2^37 transactions, so they
 * survive JSON as plain numbers.
 */
export const EVENTS_PER_TRANSACTION_SHIFT = 16n;

export const EVENT_STORE_SCHEMA = 'event_store';

export const NOTIFY_CHANNEL = 'event_store_appended';

/** Custom SQLSTATE raised by the append function on an expected-revision mismatch. */
export const WRONG_EXPECTED_REVISION_SQLSTATE = 'ES409';

/** The advisory lock every appending transaction holds (shared), so readers can tell appenders apart. */
export const APPENDING_LOCK_KEY = 7_310_003;

export const EXPECTED_NO_STREAM = -1n;
export const EXPECTED_ANY = -2n;

export const EVENT_STORE_DDL = `
create schema if not exists ${EVENT_STORE_SCHEMA};

create table if not exists ${EVENT_STORE_SCHEMA}.streams (
  stream_id text primary key,
  revision bigint not null
);

create table if not exists ${EVENT_STORE_SCHEMA}.events (
  position bigint primary key,
  stream_id text not null,
  revision bigint not null,
  event_id uuid not null unique,
  event_type text not null,
  data jsonb not null,
  metadata jsonb not null,
  recorded_at timestamptz not null default now(),
  unique (stream_id, revision)
);

-- The signature before p_notify: left in place, a call with six arguments could mean either.
drop function if exists ${EVENT_STORE_SCHEMA}.append(text, bigint, uuid[], text[], jsonb[], jsonb[]);

-- One round trip per append: check and bump the stream revision under its row
-- lock, insert the events, and with p_notify wake subscribers at commit (the
-- adapter asks for it on one append at a time, see AppendWakeups).
create or replace function ${EVENT_STORE_SCHEMA}.append(
  p_stream text, p_expected bigint, p_ids uuid[], p_types text[], p_data jsonb[], p_metadata jsonb[],
  p_notify boolean default true
) returns table (next_revision bigint, last_position bigint)
language plpgsql as $$
declare
  n bigint := cardinality(p_ids);
  previous bigint;
  base_position bigint;
begin
  -- Before the transaction has an id: a reader that sees the id in progress also sees the lock.
  perform pg_advisory_xact_lock_shared(${APPENDING_LOCK_KEY});
  base_position := (pg_current_xact_id()::text::bigint) << ${EVENTS_PER_TRANSACTION_SHIFT};
  if p_expected = ${EXPECTED_NO_STREAM} then
    insert into ${EVENT_STORE_SCHEMA}.streams (stream_id, revision) values (p_stream, n - 1)
      on conflict (stream_id) do nothing;
    if not found then
      select s.revision into previous from ${EVENT_STORE_SCHEMA}.streams s where s.stream_id = p_stream;
      raise exception using errcode = '${WRONG_EXPECTED_REVISION_SQLSTATE}', message = coalesce(previous::text, 'unknown');
    end if;
    previous := -1;
  elsif p_expected = ${EXPECTED_ANY} then
    insert into ${EVENT_STORE_SCHEMA}.streams as s (stream_id, revision) values (p_stream, n - 1)
      on conflict (stream_id) do update set revision = s.revision + n
      returning s.revision - n into previous;
  else
    update ${EVENT_STORE_SCHEMA}.streams s set revision = s.revision + n
      where s.stream_id = p_stream and s.revision = p_expected
      returning s.revision - n into previous;
    if not found then
      select s.revision into previous from ${EVENT_STORE_SCHEMA}.streams s where s.stream_id = p_stream;
      raise exception using errcode = '${WRONG_EXPECTED_REVISION_SQLSTATE}', message = coalesce(previous::text, 'no_stream');
    end if;
  end if;

  -- Several appends in one transaction continue the transaction's numbering.
  select coalesce(max(e.position) + 1, base_position) into base_position
    from ${EVENT_STORE_SCHEMA}.events e
    where e.position >= base_position and e.position < base_position + (1::bigint << ${EVENTS_PER_TRANSACTION_SHIFT});

  insert into ${EVENT_STORE_SCHEMA}.events (position, stream_id, revision, event_id, event_type, data, metadata)
    select base_position + t.i - 1, p_stream, previous + t.i, t.id, t.type, t.data, t.metadata
    from unnest(p_ids, p_types, p_data, p_metadata) with ordinality as t(id, type, data, metadata, i);

  if p_notify then
    perform pg_notify('${NOTIFY_CHANNEL}', '');
  end if;
  return query select previous + n, base_position + n - 1;
end
$$;

-- Group commit (see GroupCommit): several appends in one transaction, each
-- with its own revision check. A failed check is that append's result, not
-- the batch's: its subtransaction is rolled back and the others go on.
create or replace function ${EVENT_STORE_SCHEMA}.append_batch(
  p_streams text[], p_expected bigint[], p_counts int[],
  p_ids uuid[], p_types text[], p_data jsonb[], p_metadata jsonb[], p_notify boolean
) returns table (next_revision bigint, last_position bigint, actual text)
language plpgsql as $$
declare
  first int := 1;
  last int;
  appended record;
begin
  -- Held by the transaction itself, not by an append's subtransaction that may roll back (see append).
  perform pg_advisory_xact_lock_shared(${APPENDING_LOCK_KEY});
  for i in 1 .. cardinality(p_streams) loop
    last := first + p_counts[i] - 1;
    begin
      select a.next_revision, a.last_position into appended from ${EVENT_STORE_SCHEMA}.append(
        p_streams[i], p_expected[i], p_ids[first:last], p_types[first:last], p_data[first:last], p_metadata[first:last], false
      ) a;
      next_revision := appended.next_revision;
      last_position := appended.last_position;
      actual := null;
    exception when sqlstate '${WRONG_EXPECTED_REVISION_SQLSTATE}' then
      next_revision := null;
      last_position := null;
      actual := sqlerrm;
    end;
    first := last + 1;
    return next;
  end loop;
  if p_notify then
    perform pg_notify('${NOTIFY_CHANNEL}', '');
  end if;
end
$$;

-- The oldest transaction id that may still append events (every event below it is final).
create or replace function ${EVENT_STORE_SCHEMA}.append_horizon() returns bigint
language sql volatile as $$
  with snapshot as (select pg_current_snapshot() as s),
  appenders as (
    select a.backend_xid::text::bigint as xid32
    from pg_locks l join pg_stat_activity a on a.pid = l.pid
    where l.locktype = 'advisory' and l.granted and l.classid = 0 and l.objid = ${APPENDING_LOCK_KEY} and l.objsubid = 1
      and a.backend_xid is not null
  )
  select coalesce(
    (select min(x::text::bigint) from snapshot, pg_snapshot_xip(snapshot.s) as x
      where (x::text::bigint % 4294967296) in (select xid32 from appenders)),
    (select pg_snapshot_xmax(s)::text::bigint from snapshot))
$$;

-- One round trip per page: the horizon and the read are separate statements, so the read's snapshot is the later one.
create or replace function ${EVENT_STORE_SCHEMA}.read_all(
  p_after bigint, p_limit int, p_stream_patterns text[], p_types text[]
) returns setof ${EVENT_STORE_SCHEMA}.events
language plpgsql volatile as $$
declare
  bound bigint := ${EVENT_STORE_SCHEMA}.append_horizon() << ${EVENTS_PER_TRANSACTION_SHIFT};
begin
  return query
    select * from ${EVENT_STORE_SCHEMA}.events e
    where e.position > p_after and e.position < bound
      and (p_stream_patterns is null or e.stream_id like any(p_stream_patterns))
      and (p_types is null or e.event_type = any(p_types))
    order by e.position
    limit p_limit;
end
$$;
`;

/** Serialises the migrations across processes booting at once (the same key the idempotent DDL took before them). */
const EVENT_STORE_MIGRATION_LOCK_KEY = 7_310_001;

/**
 * The event store's schema, change by change (docs/operations.md, "Upgrades").
 * The baseline is EVENT_STORE_DDL as every earlier release applied it at boot,
 * so it upgrades their schemas in place; it is frozen from here on, and a
 * change (a column, a new version of a function) ships as a migration appended below.
 */
export const EVENT_STORE_MIGRATIONS: MigrationSet = {
  lockKey: EVENT_STORE_MIGRATION_LOCK_KEY,
  migrations: [{ name: 'EventStoreBaseline1764633600000', sql: () => EVENT_STORE_DDL }],
};
