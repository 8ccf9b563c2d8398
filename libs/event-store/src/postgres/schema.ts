/**
 * Postgres event store schema.
 *
 * Gap safety: a plain bigserial position lets a reader pass an event whose
 * transaction commits after a later-numbered one. Instead each event's
 * position is `writing transaction id * 2^16 + index in the append`, and
 * readers only return positions below the oldest transaction still running
 * (`pg_snapshot_xmin`). Every event that can still commit then has a higher
 * position than anything already read, so a checkpoint never skips one.
 * Transaction ids are 64-bit epoch-aware xid8 values; at 2^16 events per
 * transaction, positions stay below 2^53 for 2^37 transactions, so they
 * survive JSON as plain numbers.
 */
export const EVENTS_PER_TRANSACTION_SHIFT = 16n;

export const EVENT_STORE_SCHEMA = 'event_store';

export const NOTIFY_CHANNEL = 'event_store_appended';

/** Custom SQLSTATE raised by the append function on an expected-revision mismatch. */
export const WRONG_EXPECTED_REVISION_SQLSTATE = 'ES409';

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

-- One round trip per append: check and bump the stream revision under its row
-- lock, insert the events, wake subscribers at commit.
create or replace function ${EVENT_STORE_SCHEMA}.append(
  p_stream text, p_expected bigint, p_ids uuid[], p_types text[], p_data jsonb[], p_metadata jsonb[]
) returns table (next_revision bigint, last_position bigint)
language plpgsql as $$
declare
  n bigint := cardinality(p_ids);
  previous bigint;
  base_position bigint := (pg_current_xact_id()::text::bigint) << ${EVENTS_PER_TRANSACTION_SHIFT};
begin
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

  perform pg_notify('${NOTIFY_CHANNEL}', '');
  return query select previous + n, base_position + n - 1;
end
$$;
`;

/** Positions below this bound belong to finished transactions only. */
export const VISIBLE_BOUND_SQL = `((pg_snapshot_xmin(pg_current_snapshot())::text::bigint) << ${EVENTS_PER_TRANSACTION_SHIFT})`;
