import { RELAY_CHUNK_BYTES_MAX } from '@loyalty/messaging';
import { KafkaForRun, kafkaForRun } from '../../libs/messaging/src/testing/kafka-for-run';
import { BenchSection, SectionResult } from '../support/harness';
import { ratio } from '../support/load';
import { measureRelayThroughput, perSecond, RelayThroughput } from './relay/throughput';

const LOG_SIZE = { full: { events: 20_000, members: 200 }, quick: { events: 5_000, members: 50 } };

/**
 * Relay events/s against raw kafkajs, on the broker KAFKA_BROKERS names or
 * else a local KRaft broker started (and stopped) here. Without either, the
 * section says why and reports no figures. `npm run bench:relay` runs the
 * same measurement on the Kafka suites' broker.
 */
export const relaySection: BenchSection = {
  id: 'relay',
  title: 'Kafka relay',
  async run(ctx): Promise<SectionResult> {
    ctx.progress('relay: finding a broker (KAFKA_BROKERS, else a local KRaft broker; its first start fetches the jars with Maven)');
    let kafka: KafkaForRun;
    try {
      kafka = await kafkaForRun();
    } catch (error) {
      return notMeasured(error instanceof Error ? error.message : String(error));
    }
    try {
      ctx.progress(`relay: using ${kafka.description}`);
      const measured = await measureRelayThroughput({
        databaseUrl: await ctx.createDatabase('bench_relay'),
        brokers: kafka.brokers,
        ...(ctx.quick ? LOG_SIZE.quick : LOG_SIZE.full),
        progress: (line) => ctx.progress(line),
      });
      return relayReport(measured, kafka.description);
    } finally {
      await kafka.local?.destroy();
    }
  },
};

export function relayReport(measured: RelayThroughput, broker: string): SectionResult {
  const rawMs = measured.rounds.reduce((sum, r) => sum + r.rawMs, 0);
  const relayMs = measured.rounds.reduce((sum, r) => sum + r.relayMs, 0);
  const records = measured.events * measured.rounds.length;
  const overall = { rawEventsPerSecond: perSecond(records, rawMs), relayEventsPerSecond: perSecond(records, relayMs) };
  const relayShareOfRaw = ratio(overall.relayEventsPerSecond, overall.rawEventsPerSecond);
  return {
    tables: [
      {
        title: `Relay vs raw kafkajs, ${measured.events.toLocaleString('en')} events (${measured.members} members), same broker`,
        columns: ['round', 'raw kafkajs (events/s)', 'raw ms', 'relay (events/s)', 'relay ms', 'relay / raw'],
        rows: [
          ...measured.rounds.map((r, i) => [
            String(i + 1),
            r.rawEventsPerSecond,
            r.rawMs,
            r.relayEventsPerSecond,
            r.relayMs,
            r.relayShareOfRaw,
          ]),
          ['all rounds', overall.rawEventsPerSecond, rawMs, overall.relayEventsPerSecond, relayMs, relayShareOfRaw],
        ],
      },
    ],
    figures: { measured: true, broker, ...measured, overall: { ...overall, relayShareOfRaw } },
    // Issue #7 asks for the relay's rate against raw kafkajs, not for a threshold.
    targets: [],
    notes: [
      `Broker: ${broker}. The log is seeded through the pure domain (member histories, two program versions): about ${measured.bytesPerRecord} B per record, which raw sends in ${measured.rawProduceRequests} produce requests of at most ${RELAY_CHUNK_BYTES_MAX / 1024} KiB.`,
      'Raw: a connected idempotent kafkajs producer (acks=all, one request in flight) sending the chunks the relay code cuts. Relay: KafkaRelay from start() to its last checkpoint, so it also pays for its lock, producer connect, reading the log from Postgres and a checkpoint after every acknowledged chunk.',
      'One untimed raw pass warms up first; then each round runs raw and the relay back to back, because the machine is noisy.',
    ],
  };
}

function notMeasured(reason: string): SectionResult {
  return {
    tables: [{ title: 'Relay vs raw kafkajs: NOT MEASURED (no Kafka broker)', columns: ['why'], rows: [[reason.split('\n')[0]!]] }],
    figures: { measured: false, reason },
    targets: [],
    notes: [
      'The relay was not measured, so no figures are reported. Set KAFKA_BROKERS to a reachable broker (host:port), or put Java 17+ on PATH (and Maven, for the first fetch of the broker jars by infra/kafka/fetch.sh).',
    ],
  };
}
