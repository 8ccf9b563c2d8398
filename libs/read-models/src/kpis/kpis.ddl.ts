/**
 * Program KPIs per UTC day of the events' occurredAt. Per-member days make
 * distinct counts (active members, repeat buyers) exact for any bucket size;
 * point values are kept by their configuration time to value the liability.
 */
export const kpisDdl = (s: string) => `
create table if not exists ${s}.kpi_days (
  day date primary key,
  enrolments bigint not null default 0,
  purchases bigint not null default 0,
  revenue_minor bigint not null default 0,
  refunds_minor bigint not null default 0,
  points_issued bigint not null default 0,
  points_redeemed bigint not null default 0,
  points_expired bigint not null default 0,
  points_clawed_back bigint not null default 0,
  points_adjusted bigint not null default 0,
  points_transferred_in bigint not null default 0,
  points_transferred_out bigint not null default 0
);

create table if not exists ${s}.kpi_member_days (
  day date not null,
  member_id text not null,
  purchases bigint not null default 0,
  revenue_minor bigint not null default 0,
  redemptions bigint not null default 0,
  primary key (day, member_id)
);
create index if not exists kpi_member_days_member on ${s}.kpi_member_days (member_id);

create table if not exists ${s}.kpi_point_values (
  position bigint primary key,
  effective_at timestamptz not null,
  point_value_minor bigint not null,
  currency text not null
);

-- One row per coupon: issues and uses per bucket, and the time from issue to use (docs/analytics.md).
create table if not exists ${s}.kpi_coupons (
  member_id text not null,
  code text not null,
  issued_at timestamptz not null,
  issued_day date not null,
  used_at timestamptz,
  used_day date,
  primary key (member_id, code)
);
create index if not exists kpi_coupons_issued_day on ${s}.kpi_coupons (issued_day);
create index if not exists kpi_coupons_used_day on ${s}.kpi_coupons (used_day) where used_day is not null;
`;
