import { Kafka, Partitioners, Producer } from 'kafkajs';

/** Partitions of a topic a relay creates; topics that exist keep their own. */
export const TOPIC_PARTITIONS_DEFAULT = 6;
/**
 * Bounded so a broker outage surfaces as a failed send (status "failing",
 * restart from the checkpoint with a fresh producer) within seconds, instead
 * of kafkajs retrying forever inside a send that looks healthy.
 */
const SEND_RETRY = { retries: 5, initialRetryTime: 200, maxRetryTime: 4000 };
export const SEND_TIMEOUT_MS = 30_000;

/** The producer every relay publishes with: idempotent, one request in flight, so a retried send never reorders or doubles. */
export async function openRelayProducer(kafka: Kafka): Promise<Producer> {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: SEND_RETRY,
  });
  await producer.connect();
  return producer;
}

/** Creates the topics that are missing and answers which it created, so the first message of a new kind has a home. */
export async function ensureTopics(kafka: Kafka, topics: readonly string[], numPartitions: number): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0) await admin.createTopics({ topics: missing.map((topic) => ({ topic, numPartitions })), waitForLeaders: true });
    return missing;
  } finally {
    await admin.disconnect();
  }
}
