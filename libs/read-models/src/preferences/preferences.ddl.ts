/**
 * What each member buys, per category and per product (SKU), from the
 * basket lines of its purchases: what GET /v1/me and GET /v1/members/{id}
 * rank as the member's preferences, for personalised offers and messages.
 */
export const preferencesDdl = (s: string) => `
create table if not exists ${s}.member_preferences (
  member_id text not null,
  kind text not null,
  name text not null,
  spend_minor bigint not null,
  purchases bigint not null,
  units bigint not null,
  last_purchased_at timestamptz not null,
  primary key (member_id, kind, name)
);
`;
