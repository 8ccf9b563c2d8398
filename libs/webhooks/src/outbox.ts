import { migrateSchema, MigrationSet, queryRows, RowsQuery } from '@loyalty/platform';
import type { NotificationMessage } from './messages';

/**
 * Every notification, derived once, written once per occasion: the webhook
 * queue is filled in the same transaction, and the Kafka relay reads it in
 * `seq` order from a checkpoint of its own. Writers hold one transaction lock
 * while they append, so rows commit in `seq` order and a reader past a `seq`
 * never misses a row committed later below it.
 */
export const NOTIFICATION_SCHEMA = 'notifications';

const S = NOTIFICATION_SCHEMA;

/** Serialises writers of the outbox (the intake's batches, every process's sweeps) until they commit. */
const OUTBOX_WRITE_LOCK_KEY = 7_020_162;

/** The webhook worker and the Kafka relay may both start first: one migrates the outbox at a time (the key its idempotent DDL took before). */
const OUTBOX_MIGRATION_LOCK_KEY = 7_020_163;

const NOTIFICATION_OUTBOX_DDL = `
create schema if not exists ${S};

create table if not exists ${S}.outbox (
  seq bigserial primary key,
  message_id uuid not null unique,
  type text not null,
  member_id text not null,
  -- The delivery body as webhooks get it: id, type, occurredAt, memberId and data.
  body text not null,
  created_at timestamptz not null
);
create index if not exists outbox_created on ${S}.outbox (created_at);
`;

/** The notification schema, change by change (docs/operations.md, "Upgrades"): the outbox's DDL is the frozen baseline. */
export const NOTIFICATION_MIGRATIONS: MigrationSet = {
  lockKey: OUTBOX_MIGRATION_LOCK_KEY,
  migrations: [{ name: 'NotificationsBaseline1764633600000', sql: () => NOTIFICATION_OUTBOX_DDL }],
};

/** Brings the outbox to the current shape: once across processes, an earlier release's rows kept. */
export async function migrateNotificationOutbox(databaseUrl: string): Promise<void> {
  await migrateSchema(databaseUrl, NOTIFICATION_SCHEMA, NOTIFICATION_MIGRATIONS);
}

/** Call inside the transaction that writes them: the occasions not recorded before are appended, the rest are no-ops. */
export async function recordNotifications(db: RowsQuery, messages: readonly NotificationMessage[], at: Date): Promise<number> {
  if (messages.length === 0) return 0;
  await db.query('select pg_advisory_xact_lock($1)', [OUTBOX_WRITE_LOCK_KEY]);
  const rows = await queryRows<{ recorded: number }>(
    db,
    `with recorded as (
       insert into ${S}.outbox (message_id, type, member_id, body, created_at)
       select m::uuid, t, mb, b, $5 from unnest($1::text[], $2::text[], $3::text[], $4::text[]) with ordinality as x(m, t, mb, b, n)
        order by n
       on conflict (message_id) do nothing returning 1)
     select count(*)::int as recorded from recorded`,
    [messages.map((m) => m.id), messages.map((m) => m.type), messages.map((m) => m.memberId), messages.map((m) => m.body), at],
  );
  return rows[0]?.recorded ?? 0;
}

export interface RecordedNotification {
  readonly seq: bigint;
  readonly messageId: string;
  readonly type: string;
  readonly memberId: string;
  /** As stored: the value a Kafka consumer gets is its `data`. */
  readonly body: string;
}

/** Oldest first, strictly after `afterSeq` (undefined: from the start). */
export async function readNotifications(db: RowsQuery, afterSeq: bigint | undefined, limit: number): Promise<RecordedNotification[]> {
  const rows = await queryRows<{ seq: string; message_id: string; type: string; member_id: string; body: string }>(
    db,
    `select seq, message_id, type, member_id, body from ${S}.outbox where seq > $1 order by seq limit $2`,
    [(afterSeq ?? 0n).toString(), limit],
  );
  return rows.map((r) => ({ seq: BigInt(r.seq), messageId: r.message_id, type: r.type, memberId: r.member_id, body: r.body }));
}

/** Rows per delete: short transactions however much there is to prune. */
const PRUNE_BATCH_ROWS = 5000;

/**
 * Forgets occasions recorded before `before`: past both expiring-soon
 * windows, none of them is derived again. `relayedThrough`: the outbox seq
 * every Kafka notification relay has published up to; rows past it are kept
 * whatever their age, so a relay stopped for longer than the retention still
 * publishes them when it comes back. Undefined: no relay to wait for.
 */
export async function pruneNotifications(db: RowsQuery, before: Date, relayedThrough?: bigint): Promise<number> {
  let pruned = 0;
  for (;;) {
    const rows = await queryRows<{ pruned: number }>(
      db,
      `with pruned as (
         delete from ${S}.outbox where seq in (
           select seq from ${S}.outbox where created_at < $1 and ($3::bigint is null or seq <= $3::bigint) order by seq limit $2)
         returning 1)
       select count(*)::int as pruned from pruned`,
      [before, PRUNE_BATCH_ROWS, relayedThrough === undefined ? null : relayedThrough.toString()],
    );
    const count = rows[0]?.pruned ?? 0;
    pruned += count;
    if (count < PRUNE_BATCH_ROWS) return pruned;
  }
}
