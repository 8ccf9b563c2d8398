/** Each paid membership as its events left it (docs/programs/memberships.md): what the daily job finds lapses by, and what the member's profile shows. */
export const membershipsDdl = (s: string) => `
create table if not exists ${s}.member_memberships (
  member_id text not null,
  membership_id text not null,
  plan_id text not null,
  period_end timestamptz not null,
  cancelled boolean not null,
  lapsed boolean not null,
  primary key (member_id, membership_id)
);
-- What GET /v1/members/{id} reports of each membership and its benefits (memberships/benefits.ts).
alter table ${s}.member_memberships add column if not exists started_at timestamptz,
  add column if not exists trial_ends_at timestamptz, add column if not exists multiplier_bp int,
  add column if not exists tier text;
-- The daily job finds lapses by this (memberships/decisions.ts membershipLapses).
create index if not exists member_memberships_due on ${s}.member_memberships (period_end) where not lapsed;
`;
