import { relayReport, relaySection } from '../../../bench/sections/relay';
import { measureRelayThroughput } from '../../../bench/sections/relay/throughput';
import { renderSection } from '../../../bench/support/report';
import { describeKafka, testBrokers } from '../../../test/kafka/support/kafka-env';
import { createTestDatabase } from '../../../test/support/postgres';

/**
 * `npm run bench:relay`: the measurement of `npm run bench`'s relay section
 * on the Kafka suites' broker, sized by BENCH_EVENTS_PER_MEMBER (docs/kafka.md).
 */
const MEMBERS = 200;
const EVENTS_PER_MEMBER = Number(process.env.BENCH_EVENTS_PER_MEMBER ?? 100);
const BENCH_TIMEOUT_MS = 600_000;

describeKafka('relay throughput', () => {
  it(
    `publishes about ${MEMBERS * EVENTS_PER_MEMBER} events, raw kafkajs and the relay alternating`,
    async () => {
      const measured = await measureRelayThroughput({
        databaseUrl: await createTestDatabase('bench'),
        brokers: testBrokers(),
        events: MEMBERS * EVENTS_PER_MEMBER,
        members: MEMBERS,
      });
      process.stdout.write(
        `\n${renderSection(relaySection.title, relayReport(measured, `the Kafka suites' broker at ${testBrokers().join(',')}`))}\n`,
      );
    },
    BENCH_TIMEOUT_MS,
  );
});
