-- A read-only role for analysts: SELECT on the analytics views, nothing else.
-- Run after analytics-views.sql, as the owner of the read models:
--   psql "$DATABASE_URL" -f infra/sql/analytics-views.sql -f infra/sql/analyst-role.sql
--   psql "$DATABASE_URL" -c "alter role loyalty_analyst login password '...'"   -- or grant loyalty_analyst to a person's role
-- The views run with their owner's rights, so the role needs (and gets) no access to read_models itself.
begin;
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'loyalty_analyst') then
    create role loyalty_analyst nologin;
  end if;
end $$;
revoke all on schema read_models from loyalty_analyst;
revoke all on all tables in schema read_models from loyalty_analyst;
grant usage on schema analytics to loyalty_analyst;
grant select on all tables in schema analytics to loyalty_analyst;
alter default privileges in schema analytics grant select on tables to loyalty_analyst;
alter role loyalty_analyst set default_transaction_read_only = on;
commit;
