import { RecordedEvent } from '@loyalty/event-store';
import { Message } from 'kafkajs';

/** Header names consumers rely on (docs/kafka.md); renaming one breaks them. */
export const HEADERS = {
  eventType: 'event-type',
  eventId: 'event-id',
  schemaVersion: 'schema-version',
  position: 'position',
  streamId: 'stream-id',
  revision: 'revision',
  contentType: 'content-type',
} as const;

/** Record framing the broker counts against max.message.bytes besides key, value and headers (upper bound). */
const RECORD_OVERHEAD_BYTES = 128;

export interface OutgoingMessage {
  readonly topic: string;
  readonly message: Message;
  /** What the record weighs on the broker, near enough to stay under its limits. */
  readonly bytes: number;
  readonly event: RecordedEvent;
}

/**
 * The value is the event's data as stored; metadata stays internal (it may
 * carry request details that are not part of the contract).
 */
export function toOutgoingMessage(event: RecordedEvent, topic: string, key: string): OutgoingMessage {
  const value = Buffer.from(JSON.stringify(event.data));
  const headers: Record<string, string> = {
    [HEADERS.eventType]: event.type,
    [HEADERS.eventId]: event.eventId,
    [HEADERS.schemaVersion]: String(schemaVersionOf(event)),
    [HEADERS.position]: event.position.toString(),
    [HEADERS.streamId]: event.streamId,
    [HEADERS.revision]: event.revision.toString(),
    [HEADERS.contentType]: 'application/json',
  };
  let bytes = RECORD_OVERHEAD_BYTES + value.length + Buffer.byteLength(key) + Buffer.byteLength(topic);
  for (const [name, text] of Object.entries(headers)) bytes += Buffer.byteLength(name) + Buffer.byteLength(text);
  return { topic, message: { key, value, headers }, bytes, event };
}

/** Events from before versioning carried no schemaVersion; they are version 1 by definition. */
function schemaVersionOf(event: RecordedEvent): number {
  const version = event.data.schemaVersion;
  return typeof version === 'number' && Number.isInteger(version) && version > 0 ? version : 1;
}

/** Consecutive messages grouped per topic for one sendBatch, keeping each topic's order. */
export function topicMessagesOf(messages: readonly OutgoingMessage[]): Array<{ topic: string; messages: Message[] }> {
  const byTopic = new Map<string, Message[]>();
  for (const { topic, message } of messages) {
    const list = byTopic.get(topic);
    if (list) list.push(message);
    else byTopic.set(topic, [message]);
  }
  return [...byTopic].map(([topic, list]) => ({ topic, messages: list }));
}
