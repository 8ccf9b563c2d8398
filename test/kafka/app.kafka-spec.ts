import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { memberStreamId } from '@loyalty/domain';
import { HEADERS, LOYALTY_TOPICS } from '@loyalty/messaging';
import { describeKafka, KAFKA_JARS_DIR, testBrokers } from './support/kafka-env';
import { eventually, openTestLog, TopicReader } from './support/fixtures';
import { enrolment } from './support/events';
import { PROGRAM, startTestLedger } from '../support/ledger';

const REPO = resolve(__dirname, '../..');

describeKafka('apps/kafka-relay', () => {
  // It publishes to the real topic names, which on a shared external broker may hold other runs' events.
  const localIt = KAFKA_JARS_DIR ? it : it.skip;
  if (!KAFKA_JARS_DIR)
    process.stdout.write('SKIPPED apps/kafka-relay boot test: it writes the real loyalty.* topics, not done on an external broker\n');

  localIt('boots from the environment, publishes to the real topics, and stops cleanly on SIGTERM', async () => {
    const log = await openTestLog('app');
    const memberId = `app-${randomUUID().slice(0, 8)}`;
    await log.store.append(memberStreamId(memberId), [enrolment(memberId)], 'no_stream');
    const output: string[] = [];
    const child = spawn(process.execPath, [resolve(REPO, 'test/kafka/support/run-ts.js'), 'apps/kafka-relay/src/main.ts'], {
      cwd: REPO,
      env: { ...process.env, DATABASE_URL: log.databaseUrl, KAFKA_BROKERS: testBrokers().join(','), EVENT_STORE: 'postgres' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    let reader: TopicReader | undefined;
    try {
      await eventually(
        () => output.join('').includes('created topics'),
        60_000,
        () => output.join(''),
      );
      reader = await TopicReader.start(testBrokers(), [LOYALTY_TOPICS.member]);
      await reader.waitFor((messages) => messages.some((m) => m.key === memberId));
      expect(reader.messages.find((m) => m.key === memberId)!.headers[HEADERS.eventType]).toBe('MemberEnrolled');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await reader?.stop();
      await log.close();
    }
  });
});

describeKafka('the ledger API hosting the relay (KAFKA_BROKERS set)', () => {
  // Skipped (with the printed reason) only on an external broker given by KAFKA_BROKERS; CI starts its own.
  const localIt = KAFKA_JARS_DIR ? it : it.skip;
  if (!KAFKA_JARS_DIR)
    process.stdout.write('SKIPPED hosted relay test: it writes the real loyalty.* topics, not done on an external broker\n');

  localIt(
    'publishes what the API writes and reports the relay in /health/ready',
    async () => {
      const t = await startTestLedger('kafka_hosted', { KAFKA_BROKERS: testBrokers().join(',') });
      const memberId = `hosted-${randomUUID().slice(0, 8)}`;
      let reader: TopicReader | undefined;
      try {
        expect((await t.call('PUT', '/v1/program', PROGRAM)).status).toBe(201);
        expect((await t.call('POST', '/v1/members', { memberId, type: 'individual' })).status).toBe(201);
        reader = await TopicReader.start(testBrokers(), [LOYALTY_TOPICS.member, LOYALTY_TOPICS.points]);
        await reader.waitFor((messages) => messages.filter((m) => m.key === memberId).length >= 2);
        const types = reader.messages.filter((m) => m.key === memberId).map((m) => m.headers[HEADERS.eventType]);
        expect(types).toEqual(expect.arrayContaining(['MemberEnrolled', 'PointsAccrued']));
        await eventually(async () => {
          const { checks } = (await t.call('GET', '/health/ready', undefined, { key: null })).body;
          return checks.kafkaRelay.status === 'running' && checks.kafkaNotificationRelay.status === 'running';
        }, 30_000);
        const metrics = await t.call('GET', '/metrics');
        expect(String(metrics.body)).toMatch(/^loyalty_kafka_relay_lag_events \d+/m);
      } finally {
        await reader?.stop();
        await t.close();
      }
    },
    120_000,
  );
});
