/** Points each offer awarded, one row per purchase it applied to; budgets are checked against their sum. */
export const offersDdl = (s: string) => `
create table if not exists ${s}.offer_awards (
  offer_id text not null,
  transaction_id text not null,
  member_id text not null,
  points bigint not null,
  occurred_at timestamptz not null,
  position bigint not null,
  primary key (offer_id, transaction_id)
);
`;
