import { queryRows, RowsQuery } from '@loyalty/platform';
import { OutgoingMessage } from './messages';
import { WEBHOOK_SCHEMA } from './schema';

const S = WEBHOOK_SCHEMA;

export type DeliveryStatus = 'pending' | 'delivered' | 'parked';

/** What a webhook listens to, as the intake needs it. */
export interface Subscription {
  readonly webhookId: string;
  readonly eventTypes: ReadonlySet<string>;
  readonly afterPosition: bigint | null;
}

export async function loadSubscriptions(db: RowsQuery): Promise<Subscription[]> {
  const rows = await queryRows<{ webhook_id: string; event_types: string[]; after_position: string | null }>(
    db,
    `select webhook_id, event_types, after_position from ${S}.endpoints`,
  );
  return rows.map((r) => ({
    webhookId: r.webhook_id,
    eventTypes: new Set(r.event_types),
    afterPosition: r.after_position === null ? null : BigInt(r.after_position),
  }));
}

const subscribes = (s: Subscription, m: OutgoingMessage) =>
  s.eventTypes.has(m.type) && (m.position === null || s.afterPosition === null || m.position > s.afterPosition);

/** One delivery per webhook and message, ever: the primary key makes a second queueing of the same message a no-op. */
export async function queueDeliveries(
  db: RowsQuery,
  subscriptions: readonly Subscription[],
  messages: readonly OutgoingMessage[],
  at: Date,
): Promise<number> {
  const pairs = messages.flatMap((m) => subscriptions.filter((s) => subscribes(s, m)).map((s) => [s.webhookId, m] as const));
  if (pairs.length === 0) return 0;
  const rows = await queryRows<{ queued: number }>(
    db,
    `with queued as (
       insert into ${S}.deliveries (webhook_id, message_id, type, body, next_attempt_at, created_at)
       select w, m::uuid, t, b, $5, $5 from unnest($1::text[], $2::text[], $3::text[], $4::text[]) as x(w, m, t, b)
       on conflict do nothing returning 1)
     select count(*)::int as queued from queued`,
    [pairs.map(([w]) => w), pairs.map(([, m]) => m.id), pairs.map(([, m]) => m.type), pairs.map(([, m]) => m.body), at],
  );
  return rows[0]?.queued ?? 0;
}

/** A claimed attempt: the delivery and the webhook's target and secret as they are now (a replace applies to what is queued). */
export interface ClaimedDelivery {
  readonly webhookId: string;
  readonly messageId: string;
  readonly type: string;
  readonly body: string;
  readonly attempts: number;
  readonly firstAttemptAt: Date | null;
  readonly url: string;
  readonly secret: string;
}

/** Webhooks with something due: the worker fills each one's lane on its own. */
export async function webhooksWithDueDeliveries(db: RowsQuery, now: Date): Promise<string[]> {
  const rows = await queryRows<{ webhook_id: string }>(
    db,
    `select webhook_id from ${S}.endpoints e where exists (
       select 1 from ${S}.deliveries d where d.webhook_id = e.webhook_id and d.status = 'pending' and d.next_attempt_at <= $1
          and (d.lease_until is null or d.lease_until <= $1))`,
    [now],
  );
  return rows.map((r) => r.webhook_id);
}

/**
 * Leases up to `limit` due deliveries of one webhook until `leaseUntil`; a
 * worker that dies mid-attempt leaves the lease to run out, and the delivery
 * is tried again (at least once). SKIP LOCKED lets several processes share the work.
 */
export async function claimDue(db: RowsQuery, webhookId: string, now: Date, leaseUntil: Date, limit: number): Promise<ClaimedDelivery[]> {
  const rows = await queryRows<{
    webhook_id: string;
    message_id: string;
    type: string;
    body: string;
    attempts: number;
    first_attempt_at: Date | null;
    url: string;
    secret: string;
  }>(
    db,
    `with due as (
       select webhook_id, message_id from ${S}.deliveries
        where webhook_id = $1 and status = 'pending' and next_attempt_at <= $2 and (lease_until is null or lease_until <= $2)
        order by next_attempt_at, seq limit $4 for update skip locked),
     leased as (
       update ${S}.deliveries d set lease_until = $3 from due
        where d.webhook_id = due.webhook_id and d.message_id = due.message_id
        returning d.webhook_id, d.message_id, d.type, d.body, d.attempts, d.first_attempt_at)
     select l.*, e.url, e.secret from leased l join ${S}.endpoints e using (webhook_id)`,
    [webhookId, now, leaseUntil, limit],
  );
  return rows.map((r) => ({
    webhookId: r.webhook_id,
    messageId: r.message_id,
    type: r.type,
    body: r.body,
    attempts: r.attempts,
    firstAttemptAt: r.first_attempt_at,
    url: r.url,
    secret: r.secret,
  }));
}

export type AttemptOutcome =
  | { readonly kind: 'delivered'; readonly statusCode: number }
  | { readonly kind: 'failed'; readonly statusCode: number | null; readonly error: string; readonly next: Date | 'park' };

export async function recordAttempt(db: RowsQuery, delivery: ClaimedDelivery, startedAt: Date, endedAt: Date, outcome: AttemptOutcome) {
  const delivered = outcome.kind === 'delivered';
  const parked = !delivered && outcome.next === 'park';
  await db.query(
    `update ${S}.deliveries set
       attempts = attempts + 1, first_attempt_at = coalesce(first_attempt_at, $3), last_attempt_at = $3, lease_until = null,
       last_status_code = $4, last_error = $5, status = $6,
       delivered_at = case when $6 = 'delivered' then $7 else delivered_at end,
       parked_at = case when $6 = 'parked' then $7 else parked_at end,
       next_attempt_at = coalesce($8, next_attempt_at)
     where webhook_id = $1 and message_id = $2 and status = 'pending'`,
    [
      delivery.webhookId,
      delivery.messageId,
      startedAt,
      outcome.statusCode,
      delivered ? null : outcome.error,
      delivered ? 'delivered' : parked ? 'parked' : 'pending',
      endedAt,
      !delivered && outcome.next !== 'park' ? outcome.next : null,
    ],
  );
}

export interface DeliveryView {
  readonly messageId: string;
  readonly type: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly firstAttemptAt: string | null;
  readonly lastAttemptAt: string | null;
  readonly nextAttemptAt: string | null;
  readonly deliveredAt: string | null;
  readonly parkedAt: string | null;
}

/** Newest first; `before` is the opaque cursor of the previous page's last row. */
export async function listDeliveries(
  db: RowsQuery,
  webhookId: string,
  filter: { status?: DeliveryStatus; before?: bigint; limit: number },
): Promise<{ deliveries: DeliveryView[]; next: string | null }> {
  const rows = await queryRows<{
    seq: string;
    message_id: string;
    type: string;
    status: DeliveryStatus;
    attempts: number;
    last_status_code: number | null;
    last_error: string | null;
    created_at: Date;
    first_attempt_at: Date | null;
    last_attempt_at: Date | null;
    next_attempt_at: Date;
    delivered_at: Date | null;
    parked_at: Date | null;
  }>(
    db,
    `select seq, message_id, type, status, attempts, last_status_code, last_error, created_at, first_attempt_at,
            last_attempt_at, next_attempt_at, delivered_at, parked_at
       from ${S}.deliveries
      where webhook_id = $1 and ($2::text is null or status = $2) and ($3::bigint is null or seq < $3)
      order by seq desc limit $4`,
    [webhookId, filter.status ?? null, filter.before?.toString() ?? null, filter.limit + 1],
  );
  const page = rows.slice(0, filter.limit);
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    deliveries: page.map((r) => ({
      messageId: r.message_id,
      type: r.type,
      status: r.status,
      attempts: r.attempts,
      lastStatusCode: r.last_status_code,
      lastError: r.last_error,
      createdAt: r.created_at.toISOString(),
      firstAttemptAt: iso(r.first_attempt_at),
      lastAttemptAt: iso(r.last_attempt_at),
      nextAttemptAt: r.status === 'pending' ? r.next_attempt_at.toISOString() : null,
      deliveredAt: iso(r.delivered_at),
      parkedAt: iso(r.parked_at),
    })),
    next: rows.length > filter.limit ? page[page.length - 1]!.seq : null,
  };
}

/** Parked deliveries back in the queue, due now, with a fresh retry window: what an admin does once the receiver is fixed. */
export async function replayParked(db: RowsQuery, webhookId: string, now: Date): Promise<number> {
  const rows = await queryRows<{ replayed: number }>(
    db,
    `with replayed as (
       update ${S}.deliveries set status = 'pending', attempts = 0, first_attempt_at = null, next_attempt_at = $2,
              lease_until = null, parked_at = null
        where webhook_id = $1 and status = 'parked' returning 1)
     select count(*)::int as replayed from replayed`,
    [webhookId, now],
  );
  return rows[0]?.replayed ?? 0;
}

/** Rows per delete: short transactions however much there is to prune. */
const PRUNE_BATCH_ROWS = 5000;

/** Deletes what was delivered before `before`; pending and parked deliveries are never pruned. */
export async function pruneDelivered(db: RowsQuery, before: Date): Promise<number> {
  let pruned = 0;
  for (;;) {
    const rows = await queryRows<{ pruned: number }>(
      db,
      `with pruned as (
         delete from ${S}.deliveries where (webhook_id, message_id) in (
           select webhook_id, message_id from ${S}.deliveries where status = 'delivered' and delivered_at < $1 limit $2)
         returning 1)
       select count(*)::int as pruned from pruned`,
      [before, PRUNE_BATCH_ROWS],
    );
    const count = rows[0]?.pruned ?? 0;
    pruned += count;
    if (count < PRUNE_BATCH_ROWS) return pruned;
  }
}

export async function countOutstanding(db: RowsQuery): Promise<Array<{ status: DeliveryStatus; count: number }>> {
  return queryRows(db, `select status, count(*)::int as count from ${S}.deliveries where status in ('pending', 'parked') group by status`);
}
