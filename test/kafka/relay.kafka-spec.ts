import { randomUUID } from 'node:crypto';
import { CLAIM_STREAM_KINDS, ClaimKind, claimStreamId, deterministicEventId, isStreamOf, memberStreamId } from '@loyalty/domain';
import { HEADERS, KafkaRelay, RELAY_SCHEMA, topicsOf } from '@loyalty/messaging';
import { describeKafka, testBrokers } from './support/kafka-env';
import { createTopics, eventually, isolatedTopicMap, openTestLog, TestLog, TopicReader, topicOf } from './support/fixtures';
import { accrual, enrolment, redemption } from './support/events';

const MEMBERS = 8;
const CLAIM_KINDS = Object.keys(CLAIM_STREAM_KINDS) as ClaimKind[];
const ROUNDS = 12;

describeKafka('Kafka relay on a real broker', () => {
  let log: TestLog;
  const relays: KafkaRelay[] = [];
  const readers: TopicReader[] = [];

  beforeEach(async () => {
    log = await openTestLog('relay');
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await Promise.all(readers.splice(0).map((r) => r.stop()));
    await log.close();
  });

  function relayFor(map: ReturnType<typeof isolatedTopicMap>, lines: string[] = []): KafkaRelay {
    const relay = new KafkaRelay({ store: log.store, pool: log.pool, brokers: testBrokers(), topicMap: map, log: (l) => lines.push(l) });
    relays.push(relay);
    return relay;
  }

  it('publishes every member event once, keyed by member, in stream order, with the contract headers', async () => {
    const map = isolatedTopicMap('order');
    await createTopics(testBrokers(), map);
    const reader = await TopicReader.start(testBrokers(), topicsOf(map));
    readers.push(reader);
    for (let m = 0; m < MEMBERS; m++) await log.store.append(memberStreamId(`m${m}`), [enrolment(`m${m}`)], 'no_stream');
    // Claim streams of every kind are the ledger's bookkeeping (member id, request hash): they must not reach Kafka.
    for (const kind of CLAIM_KINDS) {
      const claim = {
        eventId: randomUUID(),
        type: 'ClientIdClaimed',
        data: { schemaVersion: 1, kind, id: 'x1', memberId: 'm0', requestHash: 'h' },
      };
      await log.store.append(claimStreamId(kind, 'x1'), [claim], 'no_stream');
    }
    const relay = relayFor(map);
    relay.start();
    // Interleaved live appends across members, some while the relay is catching up.
    for (let round = 0; round < ROUNDS; round++) {
      await Promise.all(
        Array.from({ length: MEMBERS }, (_, m) =>
          log.store.append(
            memberStreamId(`m${m}`),
            [round % 4 === 3 ? redemption(`m${m}`, `r${round}`, 1) : accrual(`m${m}`, `l${round}`, round + 1)],
            'any',
          ),
        ),
      );
    }
    const expected = MEMBERS * (ROUNDS + 1);
    await reader.waitFor((messages) => messages.length >= expected);

    const stored = (await log.store.readAll({ maxCount: 10_000 })).filter((e) => isStreamOf('member', e.streamId));
    expect(new Set(reader.messages.map((m) => m.headers[HEADERS.eventId]))).toEqual(new Set(stored.map((e) => e.eventId)));
    for (let m = 0; m < MEMBERS; m++) {
      const ofMember = reader.messages.filter((msg) => msg.key === `m${m}`);
      const pointsRevisions = ofMember
        .filter((msg) => msg.topic === topicOf(map, 'points'))
        .map((msg) => Number(msg.headers[HEADERS.revision]));
      expect(pointsRevisions).toEqual([...pointsRevisions].sort((a, b) => a - b));
      for (const topic of topicsOf(map)) {
        expect(new Set(ofMember.filter((msg) => msg.topic === topic).map((msg) => msg.partition)).size).toBeLessThanOrEqual(1);
      }
    }
    const first = reader.messages.find((msg) => msg.headers[HEADERS.eventType] === 'MemberEnrolled')!;
    const source = stored.find((e) => e.eventId === first.headers[HEADERS.eventId])!;
    expect(first.topic).toBe(topicOf(map, 'member'));
    expect(first.headers).toEqual({
      [HEADERS.eventType]: 'MemberEnrolled',
      [HEADERS.eventId]: source.eventId,
      [HEADERS.schemaVersion]: '1',
      [HEADERS.position]: source.position.toString(),
      [HEADERS.streamId]: source.streamId,
      [HEADERS.revision]: '0',
      [HEADERS.contentType]: 'application/json',
    });
    expect(first.value).toEqual(source.data);

    const last = (await log.store.readAll({ maxCount: 10_000 })).at(-1)!;
    await eventually(() => relay.status().lastPosition === last.position, 10_000);
    const { rows } = await log.pool.query(`select position from ${RELAY_SCHEMA}.checkpoints where name = $1`, [map.name]);
    expect(BigInt(rows[0].position)).toBe(last.position);
    expect(relay.status()).toMatchObject({
      status: 'running',
      producedEvents: expected,
      internalEvents: CLAIM_KINDS.length,
      poisonEvents: 0,
      lastError: undefined,
    });
  });

  it('publishes an event type the catalogue does not know to its stream kind default, drops no stream silently, and reports both', async () => {
    const map = isolatedTopicMap('unmapped');
    await createTopics(testBrokers(), map);
    const reader = await TopicReader.start(testBrokers(), topicsOf(map));
    readers.push(reader);
    const lines: string[] = [];
    await log.store.append(
      memberStreamId('m1'),
      [{ eventId: randomUUID(), type: 'PointsGifted', data: { memberId: 'm1', points: 5 } }],
      'no_stream',
    );
    await log.store.append('voucher-v1', [{ eventId: randomUUID(), type: 'VoucherIssued', data: { voucherId: 'v1' } }], 'no_stream');
    const relay = relayFor(map, lines);
    relay.start();
    await reader.waitFor((messages) => messages.length >= 1);
    // Status counts an event once its checkpoint is committed, which may trail the consumer seeing it.
    const last = (await log.store.readAll()).at(-1)!;
    await eventually(() => relay.status().lastPosition === last.position, 10_000);
    expect(reader.messages.map((m) => [m.topic, m.key])).toEqual([[topicOf(map, 'member'), 'm1']]);
    expect(relay.status()).toMatchObject({ unmappedTypes: ['member:PointsGifted'], unknownStreamTypes: ['voucher:VoucherIssued'] });
    expect(lines.some((l) => l.includes('member:PointsGifted is not in the stream catalogue'))).toBe(true);
    expect(lines.some((l) => l.includes('voucher:VoucherIssued is on a stream of no catalogued kind'))).toBe(true);
  });

  it('keeps a second relay as hot standby that takes over from the checkpoint without a gap', async () => {
    const map = isolatedTopicMap('standby');
    await createTopics(testBrokers(), map);
    const reader = await TopicReader.start(testBrokers(), topicsOf(map));
    readers.push(reader);
    const active = relayFor(map);
    const standby = relayFor(map);
    active.start();
    await eventually(() => active.status().status === 'running', 20_000);
    standby.start();
    await log.store.append(memberStreamId('a'), [enrolment('a'), accrual('a', 'l1', 10)], 'no_stream');
    await reader.waitFor((messages) => messages.length >= 2);
    expect(standby.status().status).toBe('standby');

    await active.stop();
    await log.store.append(memberStreamId('a'), [accrual('a', 'l2', 20), redemption('a', 'r1', 5)], 1n);
    await eventually(() => standby.status().status === 'running', 20_000);
    await reader.waitFor((messages) => messages.length >= 4);
    const stored = await log.store.readAll();
    expect(reader.messages.map((m) => m.headers[HEADERS.eventId]).sort()).toEqual(stored.map((e) => e.eventId).sort());
    expect(stored[0]!.eventId).toBe(deterministicEventId(memberStreamId('a'), 'enrolment:a', 0));
  });
});
