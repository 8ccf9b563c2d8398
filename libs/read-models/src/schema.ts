/**
 * Read model tables. Created with plain DDL at boot (idempotent) rather than
 * TypeORM synchronize, so the shape is reviewable and analysts can rely on it.
 */
export const READ_MODEL_SCHEMA = 'read_models';

/** The tables in a given schema: the live one, or a fresh one a rebuild fills before it is swapped in. */
export const readModelDdl = (schema: string) => `
create schema if not exists ${schema};

create table if not exists ${schema}.checkpoints (
  projection text primary key,
  position bigint not null
);

create table if not exists ${schema}.members (
  member_id text primary key,
  member_type text not null,
  name text,
  email text,
  birth_date text,
  referred_by text,
  tier text,
  tier_qualified_at timestamptz not null,
  enrolled_at timestamptz not null
);

create table if not exists ${schema}.member_balances (
  member_id text primary key,
  available bigint not null default 0,
  pending bigint not null default 0,
  lifetime_earned bigint not null default 0,
  redeemed bigint not null default 0,
  expired bigint not null default 0,
  clawed_back bigint not null default 0,
  adjusted bigint not null default 0,
  transferred_in bigint not null default 0,
  transferred_out bigint not null default 0,
  debt bigint not null default 0,
  last_position bigint not null
);

create table if not exists ${schema}.member_lots (
  member_id text not null,
  lot_id text not null,
  points bigint not null,
  remaining bigint not null,
  status text not null,
  source text not null,
  pending_until timestamptz,
  expires_at timestamptz,
  primary key (member_id, lot_id)
);

create table if not exists ${schema}.ledger_entries (
  entry_id uuid primary key,
  member_id text not null,
  position bigint not null,
  type text not null,
  points bigint not null,
  occurred_at timestamptz not null,
  reference text not null,
  detail jsonb not null
);
create index if not exists ledger_entries_member_position on ${schema}.ledger_entries (member_id, position desc);

-- A birthday in a given year; 29 February falls on 28 February outside leap years, as in the domain.
create or replace function ${schema}.birthday_in(year int, birth_date text) returns date language sql immutable as $$
  select make_date(year, substr(birth_date, 6, 2)::int,
    least(substr(birth_date, 9, 2)::int,
          extract(day from (make_date(year, substr(birth_date, 6, 2)::int, 1) + interval '1 month - 1 day'))::int))
$$;
`;

export const READ_MODEL_DDL = readModelDdl(READ_MODEL_SCHEMA);
