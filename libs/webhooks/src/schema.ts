import { MigrationSet } from '@loyalty/platform';

/**
 * Webhook state, in a schema of its own: unlike the read models it cannot be
 * rebuilt from the log (registrations, secrets, what each receiver has
 * acknowledged), so a restore that drops `read_models` keeps it, and the
 * deliveries' primary key keeps a re-read log from sending anything twice.
 */
export const WEBHOOK_SCHEMA = 'webhooks';

export const WEBHOOK_DDL = `
create schema if not exists ${WEBHOOK_SCHEMA};

create table if not exists ${WEBHOOK_SCHEMA}.endpoints (
  webhook_id text primary key,
  url text not null,
  event_types text[] not null,
  secret text not null,
  -- Events at or before this log position predate the registration and are not sent (null: none had been read yet).
  after_position bigint,
  created_at timestamptz not null,
  updated_at timestamptz not null
);

create table if not exists ${WEBHOOK_SCHEMA}.deliveries (
  webhook_id text not null references ${WEBHOOK_SCHEMA}.endpoints on delete cascade,
  message_id uuid not null,
  seq bigserial not null,
  type text not null,
  body text not null,
  status text not null default 'pending',
  attempts int not null default 0,
  first_attempt_at timestamptz,
  last_attempt_at timestamptz,
  next_attempt_at timestamptz not null,
  lease_until timestamptz,
  last_status_code int,
  last_error text,
  delivered_at timestamptz,
  parked_at timestamptz,
  created_at timestamptz not null,
  primary key (webhook_id, message_id)
);
create index if not exists deliveries_due on ${WEBHOOK_SCHEMA}.deliveries (webhook_id, next_attempt_at) where status = 'pending';
create index if not exists deliveries_parked on ${WEBHOOK_SCHEMA}.deliveries (webhook_id) where status = 'parked';
create index if not exists deliveries_delivered on ${WEBHOOK_SCHEMA}.deliveries (delivered_at) where status = 'delivered';
create index if not exists deliveries_listed on ${WEBHOOK_SCHEMA}.deliveries (webhook_id, seq desc);
`;

/** Serialises the migrations across processes booting at once (the key the idempotent DDL took before them). */
const WEBHOOK_MIGRATION_LOCK_KEY = 7_020_161;

/** The webhook schema, change by change (docs/operations.md, "Upgrades"): WEBHOOK_DDL is the frozen baseline. */
export const WEBHOOK_MIGRATIONS: MigrationSet = {
  lockKey: WEBHOOK_MIGRATION_LOCK_KEY,
  migrations: [{ name: 'WebhooksBaseline1764633600000', sql: () => WEBHOOK_DDL }],
};
