import { queryRows, RowsQuery } from '@loyalty/platform';
import { WEBHOOK_SCHEMA } from './schema';

const S = WEBHOOK_SCHEMA;

export interface WebhookRegistration {
  readonly webhookId: string;
  readonly url: string;
  readonly eventTypes: readonly string[];
  readonly secret: string;
}

/** A webhook as it is shown: never its secret. */
export interface WebhookView {
  readonly webhookId: string;
  readonly url: string;
  readonly eventTypes: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

interface EndpointRow {
  webhook_id: string;
  url: string;
  event_types: string[];
  created_at: Date;
  updated_at: Date;
}

const viewOf = (r: EndpointRow): WebhookView => ({
  webhookId: r.webhook_id,
  url: r.url,
  eventTypes: r.event_types,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/**
 * Creates or replaces. A new webhook hears events after `afterPosition` (the
 * log's head when it was registered); a replace keeps the original one, so
 * it neither re-sends history nor skips what was written in between.
 */
export async function putWebhook(
  db: RowsQuery,
  registration: WebhookRegistration,
  afterPosition: bigint | null,
  at: Date,
): Promise<WebhookView> {
  const rows = await queryRows<EndpointRow>(
    db,
    `insert into ${S}.endpoints (webhook_id, url, event_types, secret, after_position, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $6)
     on conflict (webhook_id) do update set url = excluded.url, event_types = excluded.event_types, secret = excluded.secret,
       updated_at = excluded.updated_at
     returning webhook_id, url, event_types, created_at, updated_at`,
    [registration.webhookId, registration.url, registration.eventTypes, registration.secret, afterPosition?.toString() ?? null, at],
  );
  return viewOf(rows[0]!);
}

export async function listWebhooks(db: RowsQuery): Promise<WebhookView[]> {
  const rows = await queryRows<EndpointRow>(
    db,
    `select webhook_id, url, event_types, created_at, updated_at from ${S}.endpoints order by webhook_id`,
  );
  return rows.map(viewOf);
}

export async function webhookExists(db: RowsQuery, webhookId: string): Promise<boolean> {
  const rows = await queryRows<{ found: number }>(db, `select 1 as found from ${S}.endpoints where webhook_id = $1`, [webhookId]);
  return rows.length > 0;
}

/** Its queued and past deliveries go with it: nothing is sent to a webhook once deleted. */
export async function deleteWebhook(db: RowsQuery, webhookId: string): Promise<boolean> {
  const rows = await queryRows<{ deleted: number }>(
    db,
    `with deleted as (delete from ${S}.endpoints where webhook_id = $1 returning 1) select count(*)::int as deleted from deleted`,
    [webhookId],
  );
  return rows[0]?.deleted === 1;
}
