import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { READ_PAGE_SIZE_MAX, RecordedEvent } from '@loyalty/event-store';
import { chunksOf, KafkaRelay, RELAY_CHUNK_BYTES_MAX, RELAY_MESSAGE_BYTES_MAX, topicMessagesOf } from '@loyalty/messaging';
import { describeKafka, testBrokers } from '../../../test/kafka/support/kafka-env';
import { createTopics, eventually, isolatedTopicMap, openTestLog, TestLog } from '../../../test/kafka/support/fixtures';
import { accrual } from '../../../test/kafka/support/events';

/**
 * Relay throughput (event log -> Kafka, checkpointed) against raw kafkajs
 * sending the same messages with the same producer settings and request
 * sizes, on the same broker in the same run. `npm run bench:relay`.
 */
const MEMBERS = 200;
const EVENTS_PER_MEMBER = Number(process.env.BENCH_EVENTS_PER_MEMBER ?? 100);
const EVENTS = MEMBERS * EVENTS_PER_MEMBER;
const RELAY_TIMEOUT_MS = 300_000;

describeKafka('relay throughput', () => {
  let log: TestLog;
  beforeAll(async () => {
    log = await openTestLog('bench');
    for (let m = 0; m < MEMBERS; m++) {
      const events = Array.from({ length: EVENTS_PER_MEMBER }, (_, i) => accrual(`b${m}`, `l${i}`, (i % 50) + 1));
      await log.store.append(`member-b${m}`, events, 'no_stream');
    }
  });
  afterAll(() => log.close());

  it(`publishes ${EVENTS} events`, async () => {
    const stored: RecordedEvent[] = [];
    for (let page = await log.store.readAll({ maxCount: READ_PAGE_SIZE_MAX }); page.length > 0; ) {
      stored.push(...page);
      page = await log.store.readAll({ after: page.at(-1)!.position, maxCount: READ_PAGE_SIZE_MAX });
    }
    expect(stored).toHaveLength(EVENTS);

    const rawMap = isolatedTopicMap('bench-raw');
    await createTopics(testBrokers(), rawMap);
    const chunks = chunksOf(stored, rawMap, { chunkBytesMax: RELAY_CHUNK_BYTES_MAX, messageBytesMax: RELAY_MESSAGE_BYTES_MAX });
    const producer = new Kafka({ brokers: testBrokers(), logLevel: logLevel.NOTHING }).producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const rawStart = performance.now();
    for (const chunk of chunks) await producer.sendBatch({ topicMessages: topicMessagesOf(chunk.messages), acks: -1 });
    const rawMs = performance.now() - rawStart;
    await producer.disconnect();

    const relayMap = isolatedTopicMap('bench-relay');
    await createTopics(testBrokers(), relayMap);
    const relay = new KafkaRelay({ store: log.store, pool: log.pool, brokers: testBrokers(), topicMap: relayMap });
    const relayStart = performance.now();
    relay.start();
    await eventually(() => relay.status().lastPosition === stored.at(-1)!.position, RELAY_TIMEOUT_MS);
    const relayMs = performance.now() - relayStart;
    const status = relay.status();
    await relay.stop();
    expect(status.producedEvents).toBe(EVENTS);

    const bytes = chunks.reduce((sum, c) => sum + c.messages.reduce((s, m) => s + m.bytes, 0), 0);
    const rate = (ms: number) => Math.round((EVENTS / ms) * 1000);
    process.stdout.write(
      [
        '',
        `relay bench: ${EVENTS} events (${MEMBERS} members, ~${Math.round(bytes / EVENTS)} B/record, ${chunks.length} produce requests of <= ${RELAY_CHUNK_BYTES_MAX / 1024} KiB)`,
        `  raw kafkajs sendBatch (idempotent, acks=all): ${rawMs.toFixed(0)} ms  ${rate(rawMs)} events/s`,
        `  relay (read log + send + checkpoint, from start() to last checkpoint): ${relayMs.toFixed(0)} ms  ${rate(relayMs)} events/s`,
        `  relay / raw: ${((rate(relayMs) / rate(rawMs)) * 100).toFixed(0)}%`,
        '',
      ].join('\n'),
    );
  });
});
