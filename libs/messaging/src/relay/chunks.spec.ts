import { RecordedEvent } from '@loyalty/event-store';
import { LOYALTY_TOPIC_MAP } from '../topics/topic-map';
import { chunksOf } from './chunks';
import { poisonErrorType } from './poison';

let position = 100n;
const event = (streamId: string, type: string, data: Record<string, unknown> = {}): RecordedEvent => ({
  streamId,
  revision: 0n,
  position: position++,
  eventId: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
  type,
  data,
  metadata: {},
});

describe('relay chunks', () => {
  it('splits by request bytes, keeps order, and moves each chunk to its last event', () => {
    const batch = Array.from({ length: 10 }, (_, i) => event(`member-m${i}`, 'PointsAccrued', { pad: 'x'.repeat(300) }));
    const chunks = chunksOf(batch, LOYALTY_TOPIC_MAP, { chunkBytesMax: 1500, messageBytesMax: 10_000 });
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.flatMap((c) => c.messages.map((m) => m.event.eventId))).toEqual(batch.map((e) => e.eventId));
    for (const chunk of chunks) {
      expect(chunk.lastPosition).toBe(chunk.messages.at(-1)!.event.position);
      expect(chunk.messages.reduce((sum, m) => sum + m.bytes, 0)).toBeLessThanOrEqual(1500);
    }
  });

  it('dead-letters an oversized record locally and counts claim events without sending them', () => {
    const batch = [
      event('purchase-t1', 'ClientIdClaimed'),
      event('member-m1', 'PointsAdjusted', { reason: 'x'.repeat(5000) }),
      event('member-m1', 'PointsAccrued'),
    ];
    const [chunk] = chunksOf(batch, LOYALTY_TOPIC_MAP, { chunkBytesMax: 100_000, messageBytesMax: 4096 });
    expect(chunk!.internalEvents).toBe(1);
    expect(chunk!.deadLetters.map((d) => [d.event.type, d.topic])).toEqual([['PointsAdjusted', 'loyalty.points']]);
    expect(chunk!.deadLetters[0]!.error).toMatch(/^MESSAGE_TOO_LARGE: \d+ bytes exceeds messageBytesMax=4096$/);
    expect(chunk!.messages.map((m) => m.event.type)).toEqual(['PointsAccrued']);
    expect(chunk!.lastPosition).toBe(batch[2]!.position);
  });

  it('tells a condemned record from a broker outage through kafkajs error wrappers', () => {
    const tooLarge = Object.assign(new Error('larger than the max message size'), { type: 'MESSAGE_TOO_LARGE' });
    expect(poisonErrorType(Object.assign(new Error('non-retriable'), { cause: tooLarge }))).toBe('MESSAGE_TOO_LARGE');
    expect(poisonErrorType(Object.assign(new Error('Connection error: ECONNREFUSED'), { name: 'KafkaJSConnectionError' }))).toBeUndefined();
    expect(poisonErrorType(Object.assign(new Error('denied'), { type: 'TOPIC_AUTHORIZATION_FAILED' }))).toBeUndefined();
  });
});
