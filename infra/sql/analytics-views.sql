-- Analyst views over the read models (docs/analytics.md describes every column).
-- Idempotent: the projections rebuild (npm run projections:rebuild) re-runs
-- this file after swapping schemas, because views are bound to the tables they
-- were created on. No personal data: no name, email or birth date; age is a band.
begin;
create schema if not exists analytics;

create or replace view analytics.members as
select m.member_id, m.member_type, m.tier, m.enrolled_at,
       case when s.birth_date is null or c.as_of is null then null
            else (select d.name from read_models.segment_definitions d
                  join read_models.segment_memberships sm on sm.segment = d.name and sm.member_id = m.member_id and sm.left_at is null
                  where d.kind = 'builtin' and d.name like 'age-%' limit 1)
       end as age_band
from read_models.members m
left join read_models.segment_members s on s.member_id = m.member_id
left join read_models.segment_clock c on c.id = 1;

create or replace view analytics.member_balances as
select member_id, available, pending, lifetime_earned, redeemed, expired, clawed_back, adjusted,
       transferred_in, transferred_out, debt, last_position
from read_models.member_balances;

create or replace view analytics.ledger_entries as
select entry_id, member_id, position, type, points, occurred_at, reference
from read_models.ledger_entries;

create or replace view analytics.segments as
select d.name as segment, d.kind, d.description, d.criteria, d.defined_at,
       (select count(*) from read_models.segment_memberships m where m.segment = d.name and m.left_at is null) as members,
       (select as_of from read_models.segment_clock where id = 1) as evaluated_as_of
from read_models.segment_definitions d;

create or replace view analytics.segment_memberships as
select segment, member_id, entered_at, left_at, left_at is null as current
from read_models.segment_memberships;

create or replace view analytics.segment_changes as
select position, segment, member_id, change, occurred_at
from read_models.segment_changes;

create or replace view analytics.kpi_daily as
select day, enrolments, purchases, revenue_minor, refunds_minor,
       case when purchases = 0 then 0 else revenue_minor / purchases end as average_basket_minor,
       points_issued, points_redeemed, points_expired, points_clawed_back, points_adjusted,
       points_transferred_in - points_transferred_out as points_transferred_net,
       sum(points_issued - points_redeemed - points_expired - points_clawed_back + points_adjusted
           + points_transferred_in - points_transferred_out) over (order by day) as outstanding_points
from read_models.kpi_days;

create or replace view analytics.member_activity_daily as
select day, member_id, purchases, revenue_minor, redemptions
from read_models.kpi_member_days;

create or replace view analytics.experiment_members as
select experiment_id, member_id, variant, joined_at, purchases, revenue_minor, points_issued, points_redeemed
from read_models.experiment_members;

create or replace view analytics.offer_awards as
select offer_id, transaction_id, member_id, points, occurred_at
from read_models.offer_awards;

-- Grants survive "create or replace view" but not a schema swap's re-creation; repeat them if the role exists.
do $$
begin
  if exists (select 1 from pg_roles where rolname = 'loyalty_analyst') then
    grant usage on schema analytics to loyalty_analyst;
    grant select on all tables in schema analytics to loyalty_analyst;
  end if;
end $$;
commit;
