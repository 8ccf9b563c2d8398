import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { Pool } from 'pg';
import { EventStore, PostgresEventStore, READ_PAGE_SIZE_MAX, RecordedEvent } from '@loyalty/event-store';
import {
  Chunk,
  chunksOf,
  KafkaRelay,
  LOYALTY_TOPIC_MAP,
  prefixedTopicMap,
  RELAY_CHUNK_BYTES_MAX,
  RELAY_MESSAGE_BYTES_MAX,
  TopicMapDefinition,
  topicMessagesOf,
  topicsOf,
} from '@loyalty/messaging';
import { seedLog } from '../../../apps/cli/src/seed/seed-log';
import { ratio } from '../../support/load';

/** The machine is noisy: raw and relay alternate, and every round is reported. */
const ROUNDS = 2;
/** As the Kafka suites' topics: one broker, so more partitions would only add requests. */
const TOPIC_PARTITIONS = 3;
const RELAY_CATCH_UP_TIMEOUT_MS = 300_000;
/** Short next to a run of a few seconds, so the wait adds little to the relay's time. */
const CATCH_UP_POLL_MS = 5;
const SEED = 1;

export interface RelayRound {
  readonly rawMs: number;
  readonly rawEventsPerSecond: number;
  readonly relayMs: number;
  readonly relayEventsPerSecond: number;
  readonly relayShareOfRaw: number;
}

export interface RelayThroughput {
  /** Records published per pass, raw or relay: every event of the seeded log. */
  readonly events: number;
  readonly members: number;
  readonly bytesPerRecord: number;
  readonly rawProduceRequests: number;
  readonly rounds: readonly RelayRound[];
}

/**
 * Relay throughput (event log -> Kafka, checkpointed) against raw kafkajs
 * sending the same records with the same producer settings and request
 * sizes, on the same broker in the same run. Seeds an empty database with a
 * realistic log, then per round: raw kafkajs producing every record, and a
 * relay publishing the same log from the start to its last checkpoint.
 * Throws rather than report a run that lost records.
 */
export async function measureRelayThroughput(options: {
  readonly databaseUrl: string;
  readonly brokers: string[];
  readonly events: number;
  readonly members: number;
  readonly progress?: (line: string) => void;
}): Promise<RelayThroughput> {
  const progress = options.progress ?? (() => undefined);
  const pool = new Pool({ connectionString: options.databaseUrl, max: 20 });
  // pool.end() resolves before its connections have closed: the server stopped right after this returns (the bench's
  // last section) makes a closing connection report an error, which would otherwise crash the process.
  pool.on('error', () => undefined);
  const store = await PostgresEventStore.open(pool);
  try {
    const seeded = await seedLog(store, { events: options.events, members: options.members, seed: SEED });
    const stored = await wholeLog(store);
    // Every topic under this run's prefix, so the real topics of a shared broker are never written.
    const map = prefixedTopicMap(LOYALTY_TOPIC_MAP, `bench-relay-${randomUUID().slice(0, 8)}`);
    await createTopics(options.brokers, map);
    // Cut from the whole log at once, where the relay cuts per batch it reads: raw gets the fewest requests the limits allow.
    const chunks = chunksOf(stored, map, { chunkBytesMax: RELAY_CHUNK_BYTES_MAX, messageBytesMax: RELAY_MESSAGE_BYTES_MAX });
    const records = chunks.reduce((sum, c) => sum + c.messages.length, 0);
    const bytes = chunks.reduce((sum, c) => sum + c.messages.reduce((s, m) => s + m.bytes, 0), 0);
    progress(`relay: warm-up: raw kafkajs, ${records.toLocaleString('en')} records`);
    // Untimed: otherwise the first raw pass alone pays for a cold JIT and a broker writing its first segments.
    await timeRawProducer(options.brokers, chunks);
    const rounds: RelayRound[] = [];
    for (let r = 1; r <= ROUNDS; r++) {
      progress(`relay: round ${r}/${ROUNDS}: raw kafkajs, then the relay`);
      const rawMs = await timeRawProducer(options.brokers, chunks);
      // A checkpoint of its own per round, so each relay publishes the whole log again, to the same topics.
      const relayMs = await timeRelay(
        store,
        pool,
        options.brokers,
        { ...map, name: `${map.name}-round-${r}` },
        stored.at(-1)!.position,
        records,
      );
      const [rawEventsPerSecond, relayEventsPerSecond] = [perSecond(records, rawMs), perSecond(records, relayMs)];
      rounds.push({
        rawMs: Math.round(rawMs),
        rawEventsPerSecond,
        relayMs: Math.round(relayMs),
        relayEventsPerSecond,
        relayShareOfRaw: ratio(relayEventsPerSecond, rawEventsPerSecond),
      });
    }
    return {
      events: records,
      members: seeded.members,
      bytesPerRecord: Math.round(bytes / records),
      rawProduceRequests: chunks.length,
      rounds,
    };
  } finally {
    await store.close();
    await pool.end();
  }
}

export const perSecond = (events: number, ms: number) => (ms === 0 ? 0 : Math.round((events / ms) * 1000));

async function wholeLog(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (let page = await store.readAll({ maxCount: READ_PAGE_SIZE_MAX }); page.length > 0;) {
    events.push(...page);
    page = await store.readAll({ after: page.at(-1)!.position, maxCount: READ_PAGE_SIZE_MAX });
  }
  return events;
}

/** Up front, so neither the raw producer nor the relay's first round pays for creating them. */
async function createTopics(brokers: string[], map: TopicMapDefinition): Promise<void> {
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: topicsOf(map).map((topic) => ({ topic, numPartitions: TOPIC_PARTITIONS })), waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

/** The relay's producer settings, connected before the clock starts. */
async function timeRawProducer(brokers: string[], chunks: readonly Chunk[]): Promise<number> {
  const producer = new Kafka({ brokers, logLevel: logLevel.NOTHING }).producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    const started = performance.now();
    for (const chunk of chunks) await producer.sendBatch({ topicMessages: topicMessagesOf(chunk.messages), acks: -1 });
    return performance.now() - started;
  } finally {
    await producer.disconnect();
  }
}

/** From start(), so the relay's own lock, producer connect and log reads count; until its checkpoint covers the log. */
async function timeRelay(
  store: EventStore,
  pool: Pool,
  brokers: string[],
  topicMap: TopicMapDefinition,
  lastPosition: bigint,
  records: number,
): Promise<number> {
  const relay = new KafkaRelay({ store, pool, brokers, topicMap });
  const started = performance.now();
  relay.start();
  try {
    while (relay.status().lastPosition !== lastPosition) {
      if (performance.now() - started > RELAY_CATCH_UP_TIMEOUT_MS) {
        throw new Error(
          `the relay did not checkpoint position ${lastPosition} within ${RELAY_CATCH_UP_TIMEOUT_MS} ms (last error: ${relay.status().lastError ?? 'none'})`,
        );
      }
      await sleep(CATCH_UP_POLL_MS);
    }
    const ms = performance.now() - started;
    const { producedEvents, poisonEvents } = relay.status();
    if (producedEvents !== records) throw new Error(`the relay produced ${producedEvents} of ${records} records (${poisonEvents} poison)`);
    return ms;
  } finally {
    await relay.stop();
  }
}
