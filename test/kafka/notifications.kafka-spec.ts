import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import yaml from 'js-yaml';
import { Pool } from 'pg';
import { HEADERS, KafkaRelay, NotificationRelay, TopicMapDefinition, topicsOf } from '@loyalty/messaging';
import { NOTIFICATION_TYPES } from '@loyalty/webhooks';
import { KEYS, PROGRAM, startTestLedger, TestLedger } from '../support/ledger';
import { describeKafka, testBrokers } from './support/kafka-env';
import { createTopics, eventually, isolatedTopicMap, ReceivedMessage, TopicReader } from './support/fixtures';

const REPO = resolve(__dirname, '../..');
/** Scans every 100 ms over windows that catch the test's points and coupon, so each occasion is found again and again. */
const FAST_NOTIFICATIONS = {
  NOTIFY_POINTS_EXPIRING_WITHIN_DAYS: '366',
  NOTIFY_COUPONS_EXPIRING_WITHIN_DAYS: '30',
  NOTIFY_EXPIRY_SCAN_INTERVAL_MS: '100',
  WEBHOOK_DELIVERED_RETENTION_DAYS: '400',
};
const COUPON_REWARD = { rewardId: 'two-off', points: 100, kind: 'amountOff', valueMinor: 200, validDays: 10 };
/** Long enough for many scans to find every occasion again, and for a relay to have published anything twice. */
const SETTLE_MS = 1500;
const RELAY_POLL_INTERVAL_MS = 50;

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validators = new Map<string, ReturnType<typeof ajv.compile>>();
/** A notification's payload by the webhooks' schema (the one AsyncAPI names), a ledger event's by the Kafka one. */
function validatorOf(dir: 'webhooks' | 'messaging', type: string) {
  const path = join(REPO, 'libs', dir, 'schemas', `${type}.schema.json`);
  let validate = validators.get(path);
  if (!validate) validators.set(path, (validate = ajv.compile(JSON.parse(readFileSync(path, 'utf8')) as object)));
  return validate;
}
const asyncApi = yaml.load(readFileSync(join(REPO, 'libs/messaging/asyncapi.yaml'), 'utf8')) as {
  components: { messageTraits: { notification: { headers: object } } };
};

describeKafka('notifications on Kafka, derived once for webhooks and Kafka alike', () => {
  let t: TestLedger;
  let pool: Pool;
  let map: TopicMapDefinition;
  let reader: TopicReader;
  let events: KafkaRelay;
  const relays: NotificationRelay[] = [];
  const memberId = 'kn-1';

  const notificationRelay = () => {
    const relay = new NotificationRelay({ pool, brokers: testBrokers(), topicMap: map, pollIntervalMs: RELAY_POLL_INTERVAL_MS });
    relays.push(relay);
    relay.start();
    return relay;
  };
  const onNotifications = (): ReceivedMessage[] => reader.messages.filter((m) => m.topic === map.notifications);
  const ofType = (type: string) => reader.messages.filter((m) => m.headers[HEADERS.eventType] === type);

  beforeAll(async () => {
    t = await startTestLedger('kafka-notifications', FAST_NOTIFICATIONS);
    pool = new Pool({ connectionString: t.databaseUrl, max: 6 });
    map = isolatedTopicMap('notifications');
    await createTopics(testBrokers(), map);
    reader = await TopicReader.start(testBrokers(), topicsOf(map));
    events = new KafkaRelay({ store: t.ledger.store, pool, brokers: testBrokers(), topicMap: map });
    events.start();
    // A webhook listening to every notification: its queue and Kafka are filled from the same derivation.
    const webhook = { url: 'http://127.0.0.1:9/hook', eventTypes: [...NOTIFICATION_TYPES], secret: 'whsec-test-0123456789abcdef' };
    expect((await t.call('PUT', '/v1/webhooks/crm', webhook)).status).toBe(201);

    expect((await t.call('PUT', '/v1/program', { ...PROGRAM, rewards: [...PROGRAM.rewards, COUPON_REWARD] })).status).toBe(201);
    expect((await t.call('POST', '/v1/members', { memberId, type: 'individual' }, { key: KEYS.pos })).status).toBe(201);
    // The welcome bonus (100) reaches two-off; 200 more points, 300 available, reach free-coffee.
    const purchase = { transactionId: 'tx-kn-1', memberId, amountMinor: 20_000, currency: 'EUR' };
    expect((await t.call('POST', '/v1/purchases', purchase, { key: KEYS.pos })).status).toBe(201);
    // 1000 more points and gold from then on.
    const upgrade = { transactionId: 'tx-kn-2', memberId, amountMinor: 100_000, currency: 'EUR' };
    expect((await t.call('POST', '/v1/purchases', upgrade, { key: KEYS.pos })).status).toBe(201);
    const sold = await t.call('POST', '/v1/redemptions', { redemptionId: 'rd-kn-1', memberId, rewardId: 'two-off' }, { key: KEYS.pos });
    expect(sold.status).toBe(201);
    await t.caughtUp(sold.body.position);
  });
  afterAll(async () => {
    await Promise.all(relays.map((r) => r.stop()));
    await events?.stop();
    await reader?.stop();
    await pool?.end();
    await t?.close();
  });

  it('publishes each notification type once per occasion, keyed by member, its payload and headers valid by the published schemas', async () => {
    const first = notificationRelay();
    await reader.waitFor((messages) => {
      const types = new Set(messages.filter((m) => m.topic === map.notifications).map((m) => m.headers[HEADERS.eventType]));
      return NOTIFICATION_TYPES.every((type) => types.has(type));
    });
    await new Promise((r) => setTimeout(r, SETTLE_MS));

    const published = onNotifications();
    expect(published.map((m) => m.headers[HEADERS.eventType]).sort()).toEqual(
      ['CouponExpiringSoon', 'PointsExpiringSoon', 'RewardAffordable', 'RewardAffordable'].sort(),
    );
    expect(new Set(published.map((m) => m.headers[HEADERS.eventId])).size).toBe(published.length);
    expect(
      ofType('RewardAffordable')
        .map((m) => m.value.rewardId)
        .sort(),
    ).toEqual(['free-coffee', 'two-off']);
    const validateHeaders = ajv.compile(asyncApi.components.messageTraits.notification.headers);
    for (const message of published) {
      const type = message.headers[HEADERS.eventType]!;
      const validate = validatorOf('webhooks', type);
      expect([type, validate(message.value), ajv.errorsText(validate.errors)]).toEqual([type, true, 'No errors']);
      expect([type, validateHeaders(message.headers), ajv.errorsText(validateHeaders.errors)]).toEqual([type, true, 'No errors']);
      expect(message.key).toBe(memberId);
    }
    // The ledger's own notifications are its events, on the member topic once each, as every event is.
    for (const type of ['TierChanged', 'CouponIssued']) {
      const messages = ofType(type);
      expect(messages.map((m) => m.topic)).toEqual([map.topics.member]);
      expect(validatorOf('messaging', type)(messages[0]!.value)).toBe(true);
    }
    expect(first.status()).toMatchObject({ status: 'running', producedNotifications: published.length, lastError: undefined });
  });

  it('queues for webhooks exactly what Kafka carries, under the same ids, from the one outbox', async () => {
    const queued = await pool.query<{ message_id: string }>("select message_id from webhooks.deliveries where webhook_id = 'crm'");
    const outbox = await pool.query<{ message_id: string }>('select message_id from notifications.outbox order by seq');
    const onKafka = onNotifications().map((m) => m.headers[HEADERS.eventId]);
    expect(outbox.rows.map((r) => r.message_id)).toEqual(onKafka);
    expect(queued.rows.map((r) => r.message_id).sort()).toEqual([...onKafka].sort());
  });

  it('never publishes again from a restarted relay or a second process, while the scans keep finding the same occasions', async () => {
    const before = onNotifications().length;
    const standby = notificationRelay();
    await new Promise((r) => setTimeout(r, SETTLE_MS / 3));
    expect(standby.status().status).toBe('standby');
    await relays[0]!.stop();
    await eventually(
      () => standby.status().status === 'running',
      30_000,
      () => JSON.stringify(standby.status()),
    );
    const restarted = notificationRelay();
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    expect(onNotifications()).toHaveLength(before);
    expect(standby.status().producedNotifications).toBe(0);
    expect(restarted.status().status).toBe('standby');
  });
});
