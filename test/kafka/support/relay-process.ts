import { Pool } from 'pg';
import { PostgresEventStore } from '@loyalty/event-store';
import { KafkaRelay, LOYALTY_TOPIC_MAP, prefixedTopicMap } from '@loyalty/messaging';

/**
 * apps/kafka-relay/src/main.ts with the suite's prefixed topic map, as a real
 * process the fault suite can SIGKILL (no graceful stop, no finally blocks).
 */
async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 5 });
  const store = await PostgresEventStore.open(pool);
  const relay = new KafkaRelay({
    store,
    pool,
    brokers: (process.env.KAFKA_BROKERS ?? '').split(','),
    topicMap: prefixedTopicMap(LOYALTY_TOPIC_MAP, process.env.RELAY_TEST_TOPIC_MAP ?? ''),
    log: (line) => console.log(line),
  });
  relay.start();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
