import { EventStore, EventStoreDbEventStore, PostgresEventStore } from '@loyalty/event-store';
import { KafkaRelay, NotificationRelay } from '@loyalty/messaging';
import {
  ConfigError,
  lineLogger,
  loadConfig,
  Logger,
  openPool,
  probeDatabase,
  RunningProcess,
  runProcess,
  stopSteps,
} from '@loyalty/platform';

/** Connections: the two relays' leadership sessions, the store's LISTEN connection, and reads. */
const POOL_CONNECTIONS_MAX = 5;

/**
 * The relay as its own process (production layout). Needs KAFKA_BROKERS and
 * DATABASE_URL (checkpoint, dead letters, leadership; also the event store
 * unless EVENT_STORE points at EventStoreDB). A second replica is a hot
 * standby behind the topic map's advisory lock.
 */
async function main(logger: Logger): Promise<RunningProcess> {
  const config = loadConfig();
  const problems: string[] = [];
  if (!config.kafkaBrokers) problems.push('KAFKA_BROKERS is required for the standalone Kafka relay (host:port,host:port)');
  if (!config.databaseUrl) problems.push('DATABASE_URL is required for the standalone Kafka relay');
  if (!config.kafkaBrokers || !config.databaseUrl) throw new ConfigError(problems);
  await probeDatabase(config.databaseUrl);
  const log = lineLogger(logger, 'kafka-relay');
  const pool = openPool(config.databaseUrl, POOL_CONNECTIONS_MAX, log, 'kafka relay');
  const store: EventStore =
    config.eventStore.kind === 'eventstoredb' ? new EventStoreDbEventStore(config.eventStore.url) : await PostgresEventStore.open(pool);
  const relay = new KafkaRelay({ store, pool, brokers: config.kafkaBrokers, log });
  relay.start();
  const notifications = new NotificationRelay({ pool, brokers: config.kafkaBrokers, log });
  notifications.start();
  logger.info(`kafka relay started for ${config.kafkaBrokers.join(',')} (active or standby, see the advisory lock)`);

  return stopSteps([
    ['kafka relay', () => relay.stop()],
    ['kafka notification relay', () => notifications.stop()],
    ['event-store subscriptions', () => store.close()],
    ['connections', () => pool.end()],
  ]);
}

runProcess(main, { name: 'the kafka relay', stopping: 'stopping after the last acknowledged batch' });
