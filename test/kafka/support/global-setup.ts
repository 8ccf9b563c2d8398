import { kafkaForRun, LocalBroker } from './broker';

/**
 * The root setup (embedded Postgres), then one Kafka broker for the run: the
 * one KAFKA_BROKERS names, or a local KRaft broker from the cached jars.
 * Without REQUIRE_KAFKA=1 a broker that cannot be had skips the Kafka suites
 * with the reason printed; with it, the run fails.
 */
export default async function kafkaGlobalSetup(): Promise<void> {
  const { default: postgresSetup } = await import('../../support/global-setup.mjs');
  await postgresSetup();
  try {
    const kafka = await kafkaForRun();
    process.env.KAFKA_TEST_BROKERS = kafka.brokers.join(',');
    if (kafka.local) {
      (globalThis as { __LOYALTY_TEST_KAFKA__?: LocalBroker }).__LOYALTY_TEST_KAFKA__ = kafka.local;
      process.env.KAFKA_TEST_JARS_DIR = kafka.local.jarsDir;
    } else {
      process.env.KAFKA_TEST_EXTERNAL = '1';
    }
    process.stdout.write(`\nKafka suites use ${kafka.description}\n`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (process.env.REQUIRE_KAFKA === '1')
      throw new Error(`REQUIRE_KAFKA=1 but no Kafka broker could be started: ${reason}`, { cause: error });
    process.env.KAFKA_TEST_SKIP_REASON = reason;
    process.stdout.write(`\nSKIPPING Kafka suites (set REQUIRE_KAFKA=1 to make this a failure): ${reason}\n`);
  }
}
