/**
 * What a member's tier progress and status end are computed from, by the
 * domain's own functions (tiers/qualification.ts): where the tier stands, and
 * each purchase as qualification counts it.
 */
export const tierStandingDdl = (s: string) => `
create table if not exists ${s}.member_tier_standing (
  member_id text primary key,
  tier text,
  tier_qualified_at timestamptz,
  tier_reached_at timestamptz,
  held boolean not null,
  held_until timestamptz
);
-- The daily job finds status ends by these (tiers/qualification.ts statusEndDue).
create index if not exists member_tier_standing_held on ${s}.member_tier_standing (held_until) where held;
create index if not exists member_tier_standing_qualified on ${s}.member_tier_standing (tier_qualified_at) where not held;
create index if not exists member_tier_standing_reached on ${s}.member_tier_standing (tier_reached_at) where not held;

create table if not exists ${s}.member_tier_purchases (
  member_id text not null,
  transaction_id text not null,
  occurred_at timestamptz not null,
  amount_minor bigint not null,
  refunded_minor bigint not null,
  points_accrued bigint not null,
  points_clawed_back bigint not null,
  primary key (member_id, transaction_id)
);
`;
