/** The broker the global setup found or started; suites are skipped (with the reason printed) when there is none. */
export const KAFKA_SKIP_REASON = process.env.KAFKA_TEST_SKIP_REASON;

export function testBrokers(): string[] {
  const brokers = process.env.KAFKA_TEST_BROKERS;
  if (!brokers) throw new Error('KAFKA_TEST_BROKERS is not set: run through npm run test:kafka');
  return brokers.split(',');
}

/** Jars for suites that need a broker of their own (to stop and restart); absent when KAFKA_BROKERS names an external one. */
export const KAFKA_JARS_DIR = process.env.KAFKA_TEST_JARS_DIR;

export function describeKafka(name: string, body: () => void): void {
  if (KAFKA_SKIP_REASON) {
    process.stdout.write(`SKIPPED "${name}": ${KAFKA_SKIP_REASON}\n`);
    // Skipped only when no broker could be found or started and REQUIRE_KAFKA is unset (a developer without Java);
    // CI sets REQUIRE_KAFKA=1, where the global setup fails instead, so CI never skips these suites.
    describe.skip(name, body);
  } else {
    describe(name, body);
  }
}
