/**
 * Segment read models. Facts (one row per member, one per purchase) are what
 * the criteria read; memberships keep history (a member may enter and leave
 * many times); segment_changes is the outbox of SegmentEntered/SegmentLeft
 * records, keyed by the log position that caused them, for a relay to publish.
 */
export const segmentsDdl = (s: string) => `
create table if not exists ${s}.segment_clock (
  id int primary key check (id = 1),
  as_of timestamptz not null,
  day date not null,
  position bigint not null
);

create table if not exists ${s}.segment_definitions (
  name text primary key,
  kind text not null,
  description text not null,
  criteria jsonb not null,
  defined_at timestamptz not null,
  position bigint not null
);

create table if not exists ${s}.segment_settings (
  id int primary key check (id = 1),
  thresholds jsonb not null
);

create table if not exists ${s}.segment_members (
  member_id text primary key,
  member_type text not null,
  enrolled_at timestamptz not null,
  birth_date date,
  tier text,
  last_redemption_at timestamptz
);

create table if not exists ${s}.segment_purchases (
  member_id text not null,
  transaction_id text not null,
  occurred_at timestamptz not null,
  amount_minor bigint not null,
  refunded_minor bigint not null default 0,
  store_id text,
  skus text[] not null,
  categories text[] not null,
  primary key (member_id, transaction_id)
);
create index if not exists segment_purchases_member_time on ${s}.segment_purchases (member_id, occurred_at);

create table if not exists ${s}.segment_memberships (
  segment text not null,
  member_id text not null,
  entered_at timestamptz not null,
  entered_position bigint not null,
  left_at timestamptz,
  left_position bigint,
  primary key (segment, member_id, entered_position)
);
create unique index if not exists segment_memberships_current on ${s}.segment_memberships (segment, member_id) where left_at is null;
create index if not exists segment_memberships_member on ${s}.segment_memberships (member_id) where left_at is null;

create table if not exists ${s}.segment_changes (
  position bigint not null,
  segment text not null,
  member_id text not null,
  change text not null check (change in ('SegmentEntered', 'SegmentLeft')),
  occurred_at timestamptz not null,
  primary key (position, segment, member_id)
);
`;
