/** Each coupon as its events left it (docs/programs/coupons.md), by its code: what GET /v1/coupons/{code} and the daily job read. */
export const couponsDdl = (s: string) => `
create table if not exists ${s}.coupons (
  code text primary key,
  member_id text not null,
  coupon_id text not null,
  reward_id text not null,
  kind text not null,
  value_minor bigint,
  percent integer,
  sku text,
  origin text not null,
  reference text not null,
  issued_at timestamptz not null,
  expires_at timestamptz not null,
  status text not null,
  used_by text,
  changed_at timestamptz not null
);
-- The daily job finds expiries by this (coupons/decisions.ts couponExpiries).
create index if not exists coupons_due on ${s}.coupons (expires_at) where status = 'active';
create index if not exists coupons_member on ${s}.coupons (member_id);
`;
