import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import yaml from 'js-yaml';
import {
  CLAIM_STREAM_KINDS,
  claimStreamId,
  isPublicStream,
  parseStreamId,
  PROGRAM_STREAM_ID,
  PUBLISHABLE_EVENT_TYPES,
  SEGMENT_DEFINITIONS_STREAM_ID,
  streamIdOf,
} from '@loyalty/domain';
import { RecordedEvent } from '@loyalty/event-store';
import { HEADERS, KafkaRelay, LOYALTY_TOPIC_MAP, routeEvent, topicsOf } from '@loyalty/messaging';
import { NOTIFICATION_TYPES } from '@loyalty/webhooks';
import { describeKafka, testBrokers } from './support/kafka-env';
import {
  appendDecided,
  appendMemberEvents,
  createTopics,
  eventually,
  isolatedTopicMap,
  openTestLog,
  TestLog,
  TopicReader,
} from './support/fixtures';
import { claimHistories, contractHistories, programHistory, segmentDefinitionHistory } from './support/histories';

const MESSAGING = resolve(__dirname, '../../libs/messaging');
const SCHEMA_DIR = join(MESSAGING, 'schemas');

interface JsonSchema {
  readonly $ref?: string;
  readonly $defs?: Record<string, JsonSchema>;
  readonly properties?: Record<string, JsonSchema>;
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly type?: string;
}
interface AsyncApi {
  readonly channels: Record<string, { address: string; messages?: Record<string, { $ref: string }> }>;
  readonly components: {
    readonly messages: Record<string, { payload: { schema: { $ref: string } } }>;
    readonly messageTraits: { ledgerEvent: { headers: object } };
  };
}

const PUBLISHED = PUBLISHABLE_EVENT_TYPES.map((p) => p.type).sort();
const schemaTypes = readdirSync(SCHEMA_DIR)
  .filter((f) => f.endsWith('.schema.json'))
  .map((f) => f.replace('.schema.json', ''));
const schemaOf = (type: string) => JSON.parse(readFileSync(join(SCHEMA_DIR, `${type}.schema.json`), 'utf8')) as JsonSchema & object;
const asyncApi = yaml.load(readFileSync(join(MESSAGING, 'asyncapi.yaml'), 'utf8')) as AsyncApi;

/**
 * Paths of fields the schema does not describe, at any depth: wherever it
 * lists an object's properties, every field must be one of them (JSON Schema
 * would let the rest through). Maps (additionalProperties) are checked per value.
 */
function undocumentedFields(schema: JsonSchema, value: unknown, root: JsonSchema, path = ''): string[] {
  const s = schema.$ref ? root.$defs![schema.$ref.replace('#/$defs/', '')]! : schema;
  if (s.anyOf) {
    const branch = s.anyOf.find((b) => (value === null ? b.type === 'null' : b.type !== 'null'));
    return branch ? undocumentedFields(branch, value, root, path) : [];
  }
  if (Array.isArray(value)) return s.items ? value.flatMap((v, i) => undocumentedFields(s.items!, v, root, `${path}[${i}]`)) : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([field, v]) => {
    const described = s.properties?.[field] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
    if (described) return undocumentedFields(described, v, root, `${path}.${field}`);
    return s.properties ? [`${path}.${field}`] : [];
  });
}

describe('consumer contract documents', () => {
  it('has a schema and an AsyncAPI message for every event type the stream catalogue publishes', () => {
    expect([...schemaTypes].sort()).toEqual(PUBLISHED);
    expect(Object.keys(asyncApi.components.messages).sort()).toEqual([...PUBLISHED, ...NOTIFICATION_TYPES].sort());
    for (const type of PUBLISHED) {
      expect(asyncApi.components.messages[type]!.payload.schema.$ref).toBe(`./schemas/${type}.schema.json`);
    }
  });

  it('puts each message on the channel the relay routes its type to', () => {
    for (const { kind, type } of PUBLISHABLE_EVENT_TYPES) {
      const route = routeEvent(LOYALTY_TOPIC_MAP, streamIdOf(kind, 'x'), type);
      expect(route).toMatchObject({ kind: 'publish', mapped: true });
      const channel = Object.values(asyncApi.channels).find((c) => route.kind === 'publish' && c.address === route.topic);
      expect([type, Object.keys(channel?.messages ?? {}).includes(type)]).toEqual([type, true]);
    }
    expect(
      Object.values(asyncApi.channels)
        .map((c) => c.address)
        .sort(),
    ).toEqual(topicsOf(LOYALTY_TOPIC_MAP));
  });
});

describeKafka('consumer contract against messages the relay produced', () => {
  let log: TestLog;
  let relay: KafkaRelay;
  let reader: TopicReader;
  let stored: RecordedEvent[];

  beforeAll(async () => {
    log = await openTestLog('contract');
    const map = isolatedTopicMap('contract');
    await createTopics(testBrokers(), map);
    reader = await TopicReader.start(testBrokers(), topicsOf(map));
    for (const { kind, id, events } of claimHistories()) await appendDecided(log, claimStreamId(kind, id), events);
    await appendDecided(log, PROGRAM_STREAM_ID, programHistory());
    await appendDecided(log, SEGMENT_DEFINITIONS_STREAM_ID, segmentDefinitionHistory());
    for (const { memberId, events } of contractHistories()) await appendMemberEvents(log, memberId, events, `history:${memberId}`);
    relay = new KafkaRelay({ store: log.store, pool: log.pool, brokers: testBrokers(), topicMap: map });
    relay.start();
    stored = await log.store.readAll({ maxCount: 10_000 });
    const last = stored.at(-1)!.position;
    await eventually(() => relay.status().lastPosition === last, 60_000);
    const published = stored.filter((e) => isPublicStream(parseStreamId(e.streamId)!.kind)).length;
    await reader.waitFor((messages) => messages.length >= published);
  });
  afterAll(async () => {
    await relay?.stop();
    await reader?.stop();
    await log?.close();
  });

  it('publishes every event of a public stream once and nothing of a claim stream', () => {
    const publishedIds = stored.filter((e) => isPublicStream(parseStreamId(e.streamId)!.kind)).map((e) => e.eventId);
    expect(reader.messages.map((m) => m.headers[HEADERS.eventId]).sort()).toEqual(publishedIds.sort());
    const claims = stored.filter((e) => e.type === 'ClientIdClaimed');
    expect(new Set(claims.map((e) => parseStreamId(e.streamId)!.kind)).size).toBe(Object.keys(CLAIM_STREAM_KINDS).length);
    expect(relay.status().internalEvents).toBe(claims.length);
  });

  it('validates every produced payload against its type schema, with no undocumented field at any depth', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats(ajv);
    const validators = new Map(schemaTypes.map((type) => [type, ajv.compile(schemaOf(type))]));
    const seen = new Set<string>();
    for (const message of reader.messages) {
      const type = message.headers[HEADERS.eventType]!;
      const validate = validators.get(type);
      if (!validate) throw new Error(`no schema for produced type ${type}`);
      if (!validate(message.value)) throw new Error(`${type} does not match its schema: ${ajv.errorsText(validate.errors)}`);
      const schema = schemaOf(type);
      expect([type, undocumentedFields(schema, message.value, schema)]).toEqual([type, []]);
      seen.add(type);
    }
    // Every type the catalogue publishes was exercised through the relay, so none is checked only on paper.
    expect([...seen].sort()).toEqual(PUBLISHED);
  });

  it('validates every produced header set against the AsyncAPI header schema', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(asyncApi.components.messageTraits.ledgerEvent.headers);
    for (const message of reader.messages) {
      if (!validate(message.headers)) throw new Error(`headers ${JSON.stringify(message.headers)}: ${ajv.errorsText(validate.errors)}`);
      expect(message.headers[HEADERS.schemaVersion]).toBe(String(message.value.schemaVersion));
    }
  });
});
