import { fetchKafkaJars, javaVersion, LocalBroker, waitForBroker } from './broker';

/** An external broker (KAFKA_BROKERS) must answer sooner than a local JVM needs to boot. */
const EXTERNAL_BROKER_TIMEOUT_MS = 15_000;

/**
 * The root setup (embedded Postgres), then one Kafka broker for the run: the
 * one KAFKA_BROKERS names, or a local KRaft broker from the cached jars.
 * Without REQUIRE_KAFKA=1 a broker that cannot be had skips the Kafka suites
 * with the reason printed; with it, the run fails.
 */
export default async function kafkaGlobalSetup(): Promise<void> {
  const { default: postgresSetup } = (await import('../../support/global-setup.mjs' as string)) as { default: () => Promise<void> };
  await postgresSetup();
  try {
    const external = process.env.KAFKA_BROKERS?.split(',').map((b) => b.trim()).filter(Boolean);
    if (external && external.length > 0) {
      await waitForBroker(external, EXTERNAL_BROKER_TIMEOUT_MS);
      process.env.KAFKA_TEST_BROKERS = external.join(',');
      process.env.KAFKA_TEST_EXTERNAL = '1';
      process.stdout.write(`\nKafka suites use the broker at KAFKA_BROKERS=${external.join(',')}\n`);
      return;
    }
    const java = javaVersion();
    const jarsDir = fetchKafkaJars();
    const broker = await LocalBroker.create(jarsDir);
    (globalThis as { __LOYALTY_TEST_KAFKA__?: LocalBroker }).__LOYALTY_TEST_KAFKA__ = broker;
    await broker.start();
    process.env.KAFKA_TEST_BROKERS = broker.brokers.join(',');
    process.env.KAFKA_TEST_JARS_DIR = jarsDir;
    process.stdout.write(`\nKafka suites use a local KRaft broker at ${broker.brokers.join(',')} (${java}; ${broker.dir})\n`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (process.env.REQUIRE_KAFKA === '1') throw new Error(`REQUIRE_KAFKA=1 but no Kafka broker could be started: ${reason}`);
    process.env.KAFKA_TEST_SKIP_REASON = reason;
    process.stdout.write(`\nSKIPPING Kafka suites (set REQUIRE_KAFKA=1 to make this a failure): ${reason}\n`);
  }
}
