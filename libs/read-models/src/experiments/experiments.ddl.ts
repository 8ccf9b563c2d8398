/**
 * Experiment KPIs per member and variant. A member joins an experiment with
 * its first event inside the experiment's window; the variant is the
 * domain's hash assignment, so it equals the one the accruals recorded.
 */
export const experimentsDdl = (s: string) => `
create table if not exists ${s}.experiment_definitions (
  experiment_id text primary key,
  starts_at timestamptz not null,
  ends_at timestamptz,
  variants jsonb not null,
  position bigint not null
);

create table if not exists ${s}.experiment_members (
  experiment_id text not null,
  member_id text not null,
  variant text not null,
  joined_at timestamptz not null,
  purchases bigint not null default 0,
  revenue_minor bigint not null default 0,
  points_issued bigint not null default 0,
  points_redeemed bigint not null default 0,
  primary key (experiment_id, member_id)
);
create index if not exists experiment_members_variant on ${s}.experiment_members (experiment_id, variant);
`;
