import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import yaml from 'js-yaml';
import {
  CLAIM_STREAM_KINDS,
  ClaimKind,
  claimStreamId,
  MEMBER_EVENT_TYPES,
  memberStreamId,
  PROGRAM_STREAM_ID,
  PUBLISHABLE_EVENT_TYPES,
  SEGMENT_DEFINITIONS_STREAM_ID,
  STREAM_KIND_NAMES,
  isPublicStream,
  streamIdOf,
} from '@loyalty/domain';
import { NOTIFICATION_TYPES } from '@loyalty/webhooks';
import { LOYALTY_TOPIC_MAP, LOYALTY_TOPICS, prefixedTopicMap, routeEvent, topicsOf } from './topic-map';

const MESSAGING = resolve(__dirname, '../..');
const SCHEMA_DIR = join(MESSAGING, 'schemas');

describe('loyalty topic map', () => {
  it('routes every member event type the domain writes to a mapped topic, keyed by member id', () => {
    for (const type of MEMBER_EVENT_TYPES) {
      const route = routeEvent(LOYALTY_TOPIC_MAP, memberStreamId('m1'), type);
      expect(route).toMatchObject({ kind: 'publish', key: 'm1', mapped: true });
    }
  });

  it('sends each event to its concern: points, purchases, member, program, segments', () => {
    expect(routeEvent(LOYALTY_TOPIC_MAP, 'member-m1', 'PointsRedeemed')).toMatchObject({ topic: LOYALTY_TOPICS.points });
    expect(routeEvent(LOYALTY_TOPIC_MAP, 'member-m1', 'PurchaseRefunded')).toMatchObject({ topic: LOYALTY_TOPICS.purchases });
    expect(routeEvent(LOYALTY_TOPIC_MAP, 'member-m1', 'TierChanged')).toMatchObject({ topic: LOYALTY_TOPICS.member });
    for (const type of ['ProgramConfigured', 'OfferBudgetExhausted']) {
      expect(routeEvent(LOYALTY_TOPIC_MAP, PROGRAM_STREAM_ID, type)).toEqual({
        kind: 'publish',
        topic: LOYALTY_TOPICS.program,
        key: 'default',
        mapped: true,
      });
    }
    expect(routeEvent(LOYALTY_TOPIC_MAP, SEGMENT_DEFINITIONS_STREAM_ID, 'SegmentDefined')).toEqual({
      kind: 'publish',
      topic: LOYALTY_TOPICS.segments,
      key: 'definitions',
      mapped: true,
    });
  });

  it('publishes an unknown type of a public stream to its kind default, flagged as unmapped', () => {
    expect(routeEvent(LOYALTY_TOPIC_MAP, 'member-m1', 'PointsGifted')).toEqual({
      kind: 'publish',
      topic: LOYALTY_TOPICS.member,
      key: 'm1',
      mapped: false,
    });
  });

  it('never publishes a stream of a kind the catalogue does not know', () => {
    expect(routeEvent(LOYALTY_TOPIC_MAP, 'voucher-v1', 'VoucherIssued')).toEqual({ kind: 'unknown-stream' });
  });

  it('keeps claim streams of every kind internal', () => {
    const claimKinds = Object.keys(CLAIM_STREAM_KINDS) as ClaimKind[];
    expect(claimKinds.sort()).toEqual(['coupon', 'purchase', 'redemption', 'refund', 'transfer']);
    for (const kind of claimKinds) {
      expect(routeEvent(LOYALTY_TOPIC_MAP, claimStreamId(kind, 'id-1'), 'ClientIdClaimed')).toEqual({ kind: 'internal' });
    }
    expect(routeEvent(LOYALTY_TOPIC_MAP, 'refund-rf1', 'ClientIdClaimed')).toEqual({ kind: 'internal' });
    expect(routeEvent(LOYALTY_TOPIC_MAP, 'transfer-tr1', 'ClientIdClaimed')).toEqual({ kind: 'internal' });
  });

  it('publishes no event of an internal stream kind, whatever its type', () => {
    for (const kind of STREAM_KIND_NAMES.filter((k) => !isPublicStream(k))) {
      expect(routeEvent(LOYALTY_TOPIC_MAP, streamIdOf(kind, 'x'), 'AnyType')).toEqual({ kind: 'internal' });
    }
  });

  it('lists each topic once, one per concern', () => {
    expect(topicsOf(LOYALTY_TOPIC_MAP)).toEqual([
      'loyalty.member',
      'loyalty.notifications',
      'loyalty.points',
      'loyalty.program',
      'loyalty.purchases',
      'loyalty.segments',
    ]);
  });

  it('prefixes every topic of a map under a name of its own', () => {
    const map = prefixedTopicMap(LOYALTY_TOPIC_MAP, 'run-1');
    expect(map.name).toBe('run-1');
    expect(topicsOf(map)).toEqual(topicsOf(LOYALTY_TOPIC_MAP).map((topic) => `run-1.${topic}`));
    expect(routeEvent(map, PROGRAM_STREAM_ID, 'OfferBudgetExhausted')).toMatchObject({ topic: 'run-1.loyalty.program' });
  });
});

describe('published contract files', () => {
  const publishable = PUBLISHABLE_EVENT_TYPES.map((p) => p.type).sort();

  it('has a JSON Schema for every publishable event type and none for a type that is never published', () => {
    const missing = publishable.filter((type) => !existsSync(join(SCHEMA_DIR, `${type}.schema.json`)));
    expect(missing).toEqual([]);
    const schemaTypes = readdirSync(SCHEMA_DIR)
      .filter((f) => f.endsWith('.schema.json'))
      .map((f) => f.replace('.schema.json', ''));
    expect(schemaTypes.sort()).toEqual(publishable);
  });

  it('puts every publishable type in the AsyncAPI document, on the channel of the topic it is routed to', () => {
    const asyncApi = yaml.load(readFileSync(join(MESSAGING, 'asyncapi.yaml'), 'utf8')) as {
      channels: Record<string, { address: string; messages?: Record<string, unknown> }>;
      components: { messages: Record<string, unknown> };
    };
    expect(Object.keys(asyncApi.components.messages).sort()).toEqual([...publishable, ...NOTIFICATION_TYPES].sort());
    for (const { kind, type } of PUBLISHABLE_EVENT_TYPES) {
      const route = routeEvent(LOYALTY_TOPIC_MAP, streamIdOf(kind, 'x'), type);
      const channel = Object.values(asyncApi.channels).find((c) => route.kind === 'publish' && c.address === route.topic);
      expect({ type, onChannel: Object.keys(channel?.messages ?? {}).includes(type) }).toEqual({ type, onChannel: true });
    }
  });
});

describe('notifications on Kafka', () => {
  it('puts every notification type on the notifications channel, with the schema webhooks use', () => {
    const asyncApi = yaml.load(readFileSync(join(MESSAGING, 'asyncapi.yaml'), 'utf8')) as {
      channels: Record<string, { address: string; messages?: Record<string, unknown> }>;
      components: { messages: Record<string, { payload: { schema: { $ref: string } } }> };
    };
    const channel = Object.values(asyncApi.channels).find((c) => c.address === LOYALTY_TOPIC_MAP.notifications);
    expect(Object.keys(channel?.messages ?? {}).sort()).toEqual([...NOTIFICATION_TYPES].sort());
    for (const type of NOTIFICATION_TYPES) {
      const ref = asyncApi.components.messages[type]!.payload.schema.$ref;
      expect(ref).toBe(`../webhooks/schemas/${type}.schema.json`);
      expect(existsSync(join(MESSAGING, ref))).toBe(true);
    }
  });

  it('prefixes the notifications topic with the rest of a map', () => {
    expect(prefixedTopicMap(LOYALTY_TOPIC_MAP, 'run-1').notifications).toBe('run-1.loyalty.notifications');
  });
});
