import { randomUUID } from 'node:crypto';
import { Kafka, KafkaMessage, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { deterministicEventId, MemberEvent, memberStreamId, TopicConcern } from '@loyalty/domain';
import { EventToAppend, PostgresEventStore } from '@loyalty/event-store';
import { LOYALTY_TOPIC_MAP, prefixedTopicMap, TopicMapDefinition, topicsOf } from '@loyalty/messaging';
import { createTestDatabase } from '../../support/postgres';

export const TEST_PARTITIONS = 3;

export interface TestLog {
  readonly pool: Pool;
  readonly store: PostgresEventStore;
  readonly databaseUrl: string;
  close(): Promise<void>;
}

/** A fresh database with the Postgres event store, like the contract suites. */
export async function openTestLog(label: string): Promise<TestLog> {
  const databaseUrl = await createTestDatabase(label);
  const pool = new Pool({ connectionString: databaseUrl, max: 10 });
  const store = await PostgresEventStore.open(pool);
  return {
    pool,
    store,
    databaseUrl,
    close: async () => {
      await store.close();
      await pool.end();
    },
  };
}

/** The real map with topics under a prefix of their own, so suites sharing a broker never read each other's events. */
export function isolatedTopicMap(label: string): TopicMapDefinition {
  return prefixedTopicMap(LOYALTY_TOPIC_MAP, `${label}-${randomUUID().slice(0, 8)}`);
}

export const topicOf = (map: TopicMapDefinition, concern: TopicConcern): string => map.topics[concern];

/** Creates the map's topics up front so readers can subscribe before the relay's first send. */
export async function createTopics(
  brokers: string[],
  map: TopicMapDefinition,
  configEntries: Array<{ name: string; value: string }> = [],
): Promise<void> {
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: topicsOf(map).map((topic) => ({ topic, numPartitions: TEST_PARTITIONS, configEntries })),
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
}

/** Member events as the ledger writes them: deterministic ids, one append per command. */
export function appendMemberEvents(log: TestLog, memberId: string, events: readonly MemberEvent[], commandKey: string): Promise<void> {
  return appendDecided(log, memberStreamId(memberId), events, commandKey);
}

/** Events a decider returned, appended to their stream as the write path does. */
export async function appendDecided(
  log: TestLog,
  streamId: string,
  events: ReadonlyArray<{ readonly type: string; readonly data: object }>,
  commandKey = 'history',
): Promise<void> {
  const toAppend: EventToAppend[] = events.map((e, i) => ({
    eventId: deterministicEventId(streamId, commandKey, i),
    type: e.type,
    data: { ...e.data },
  }));
  await log.store.append(streamId, toAppend, 'any');
}

export interface ReceivedMessage {
  readonly topic: string;
  readonly partition: number;
  readonly key: string;
  readonly headers: Record<string, string>;
  readonly value: Record<string, unknown>;
}

/** Everything on some topics from the beginning, as a consumer group of its own sees it. */
export class TopicReader {
  readonly messages: ReceivedMessage[] = [];
  private constructor(private readonly consumer: ReturnType<Kafka['consumer']>) {}

  static async start(brokers: string[], topics: string[]): Promise<TopicReader> {
    const consumer = new Kafka({ brokers, logLevel: logLevel.NOTHING }).consumer({
      groupId: `reader-${randomUUID()}`,
      retry: { retries: 20 },
    });
    const reader = new TopicReader(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ topic, partition, message }) => {
        reader.messages.push(received(topic, partition, message));
        return Promise.resolve();
      },
    });
    return reader;
  }

  async waitFor(predicate: (messages: readonly ReceivedMessage[]) => boolean, timeoutMs = 60_000): Promise<void> {
    await eventually(
      () => predicate(this.messages),
      timeoutMs,
      () => `${this.messages.length} messages received`,
    );
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }
}

function received(topic: string, partition: number, message: KafkaMessage): ReceivedMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) headers[name] = String(value);
  return {
    topic,
    partition,
    key: message.key?.toString() ?? '',
    headers,
    value: JSON.parse(message.value?.toString() ?? 'null') as Record<string, unknown>,
  };
}

const POLL_MS = 100;

export async function eventually(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  describe: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms (${describe()})`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
