/**
 * Read model tables, in plain DDL rather than TypeORM synchronize, so the
 * shape is reviewable and analysts can rely on it. This text and the
 * *.ddl.ts files are the baseline of READ_MODEL_MIGRATIONS (migrations.ts):
 * frozen, a shape change is a new migration there.
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
  enrolled_at timestamptz not null,
  last_birthday_year int,
  requalification_due_at timestamptz,
  birthday_due_at timestamptz
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
  due_at timestamptz,
  primary key (member_id, lot_id)
);

-- When the daily settlement has something to do, as the domain computes it (member/due.ts): the job selects by
-- these alone. Schemas made before them gain the columns empty, and a projections rebuild fills them.
alter table ${schema}.members add column if not exists last_birthday_year int,
  add column if not exists requalification_due_at timestamptz, add column if not exists birthday_due_at timestamptz;
alter table ${schema}.member_lots add column if not exists due_at timestamptz;
-- The inactivity rule a lot was earned under (docs/programs/expiry.md): activity moves its expires_at and due_at.
alter table ${schema}.member_lots add column if not exists inactivity jsonb;
create index if not exists member_lots_inactive on ${schema}.member_lots (member_id) where inactivity is not null and remaining > 0;
create index if not exists members_requalification_due on ${schema}.members (requalification_due_at);
create index if not exists members_birthday_due on ${schema}.members (birthday_due_at) where birthday_due_at is not null;
create index if not exists member_lots_due on ${schema}.member_lots (due_at) where due_at is not null;
drop function if exists ${schema}.birthday_in(int, text);

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
`;

export const READ_MODEL_DDL = readModelDdl(READ_MODEL_SCHEMA);
