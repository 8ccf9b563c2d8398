import { fetchKafkaJars, javaVersion, LocalBroker, waitForBroker } from './local-broker';

/** An external broker (KAFKA_BROKERS) must answer sooner than a local JVM needs to boot. */
const EXTERNAL_BROKER_TIMEOUT_MS = 15_000;

export interface KafkaForRun {
  readonly brokers: string[];
  /** Which broker, for the run's output. */
  readonly description: string;
  /** Started for this run, so the caller destroys it at the end; absent for KAFKA_BROKERS. */
  readonly local?: LocalBroker;
}

/**
 * One broker for a run of the Kafka suites or of the relay benchmark: the one
 * KAFKA_BROKERS names, or else a single-node KRaft broker from the cached
 * jars (the first fetch, with Maven, takes minutes). Throws why neither could
 * be had, so callers can say it instead of measuring nothing in silence.
 */
export async function kafkaForRun(): Promise<KafkaForRun> {
  const external = process.env.KAFKA_BROKERS?.split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (external && external.length > 0) {
    await waitForBroker(external, EXTERNAL_BROKER_TIMEOUT_MS);
    return { brokers: external, description: `the broker at KAFKA_BROKERS=${external.join(',')}` };
  }
  const java = javaVersion();
  const broker = await LocalBroker.create(fetchKafkaJars());
  try {
    await broker.start();
  } catch (error) {
    await broker.destroy();
    throw error;
  }
  return {
    brokers: broker.brokers,
    description: `a local KRaft broker at ${broker.brokers.join(',')} (${java}; ${broker.dir})`,
    local: broker,
  };
}
