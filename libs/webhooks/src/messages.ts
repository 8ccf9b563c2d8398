import { deterministicEventId, isPublicStream, parseStreamId, PUBLISHABLE_EVENT_TYPES } from '@loyalty/domain';
import type { RecordedEvent } from '@loyalty/event-store';

/** Derived from the log for receivers, not events of it: each has a schema in libs/webhooks/schemas. */
export const NOTIFICATION_TYPES = ['PointsExpiringSoon', 'RewardAffordable', 'CouponExpiringSoon'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** What a webhook may subscribe to: every event that leaves the ledger, and the notifications. */
export const WEBHOOK_EVENT_TYPES: readonly string[] = [...new Set([...PUBLISHABLE_EVENT_TYPES.map((e) => e.type), ...NOTIFICATION_TYPES])];

/** One thing to tell receivers: the delivery body, and the log position it stems from (null: the clock, not an event). */
export interface OutgoingMessage {
  readonly id: string;
  readonly type: string;
  readonly memberId: string | null;
  readonly position: bigint | null;
  readonly body: string;
}

/** A notification is always about one member: its key on Kafka. */
export type NotificationMessage = OutgoingMessage & { readonly memberId: string };

interface Body {
  readonly id: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly memberId: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}

const messageOf = (body: Body, position: bigint | null): OutgoingMessage => ({
  id: body.id,
  type: body.type,
  memberId: body.memberId,
  position,
  body: JSON.stringify(body),
});

/** An event of a public stream as receivers get it, keyed by its own event id; internal bookkeeping never leaves. */
export function eventMessage(event: RecordedEvent): OutgoingMessage | undefined {
  const stream = parseStreamId(event.streamId);
  if (!stream || !isPublicStream(stream.kind)) return undefined;
  const memberId = typeof event.data.memberId === 'string' ? event.data.memberId : null;
  const occurredAt = typeof event.data.occurredAt === 'string' ? event.data.occurredAt : '';
  return messageOf({ id: event.eventId, type: event.type, occurredAt, memberId, data: event.data }, event.position);
}

/**
 * A notification's id is a name-based UUID of its occasion, so however often
 * it is derived again (a re-read log, the next scan) it is the same message
 * and reaches each webhook once.
 */
export function notificationMessage(
  type: NotificationType,
  occasion: string,
  occurredAt: string,
  memberId: string,
  data: Readonly<Record<string, unknown>>,
  position: bigint | null,
): NotificationMessage {
  const id = deterministicEventId('notifications', `${type}:${occasion}`, 0);
  return { ...messageOf({ id, type, occurredAt, memberId, data }, position), memberId };
}
