import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import yaml from 'js-yaml';
import { deterministicEventId, MEMBER_EVENT_TYPES } from '@loyalty/domain';
import { HEADERS, KafkaRelay, LOYALTY_TOPIC_MAP, routeEvent, topicsOf } from '@loyalty/messaging';
import { describeKafka, testBrokers } from './support/kafka-env';
import { appendMemberEvents, createTopics, isolatedTopicMap, openTestLog, TestLog, TopicReader } from './support/fixtures';
import { contractHistories, programHistory } from './support/histories';

const MESSAGING = resolve(__dirname, '../../libs/messaging');
const SCHEMA_DIR = join(MESSAGING, 'schemas');

interface JsonSchema {
  readonly properties?: Record<string, unknown>;
}
interface AsyncApi {
  readonly channels: Record<string, { address: string; messages?: Record<string, { $ref: string }> }>;
  readonly components: {
    readonly messages: Record<string, { payload: { schema: { $ref: string } } }>;
    readonly messageTraits: { ledgerEvent: { headers: object } };
  };
}

const schemaTypes = readdirSync(SCHEMA_DIR)
  .filter((f) => f.endsWith('.schema.json'))
  .map((f) => f.replace('.schema.json', ''));
const schemaOf = (type: string) => JSON.parse(readFileSync(join(SCHEMA_DIR, `${type}.schema.json`), 'utf8')) as JsonSchema & object;
const asyncApi = yaml.load(readFileSync(join(MESSAGING, 'asyncapi.yaml'), 'utf8')) as AsyncApi;

describe('consumer contract documents', () => {
  it('has a schema and an AsyncAPI message for every event type the ledger publishes', () => {
    const published = [...MEMBER_EVENT_TYPES, 'ProgramConfigured'];
    expect([...schemaTypes].sort()).toEqual([...published].sort());
    expect(Object.keys(asyncApi.components.messages).sort()).toEqual([...published].sort());
    for (const type of published) {
      expect(asyncApi.components.messages[type]!.payload.schema.$ref).toBe(`./schemas/${type}.schema.json`);
    }
  });

  it('puts each message on the channel the relay routes its type to', () => {
    for (const channel of Object.values(asyncApi.channels)) {
      for (const type of Object.keys(channel.messages ?? {})) {
        const stream = type === 'ProgramConfigured' ? 'program-default' : 'member-m1';
        expect(routeEvent(LOYALTY_TOPIC_MAP, stream, type)).toMatchObject({ topic: channel.address, mapped: true });
      }
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

  beforeAll(async () => {
    log = await openTestLog('contract');
    const map = isolatedTopicMap('contract');
    await createTopics(testBrokers(), map);
    reader = await TopicReader.start(testBrokers(), topicsOf(map));
    await log.store.append(
      'program-default',
      programHistory().map((e, i) => ({
        eventId: deterministicEventId('program-default', 'program-version:1', i),
        type: e.type,
        data: { ...e.data },
      })),
      'no_stream',
    );
    for (const { memberId, events } of contractHistories()) await appendMemberEvents(log, memberId, events, `history:${memberId}`);
    relay = new KafkaRelay({ store: log.store, pool: log.pool, brokers: testBrokers(), topicMap: map });
    relay.start();
    const total = (await log.store.readAll({ maxCount: 10_000 })).length;
    await reader.waitFor((messages) => messages.length >= total);
  });
  afterAll(async () => {
    await relay?.stop();
    await reader?.stop();
    await log?.close();
  });

  it('validates every produced payload against its type schema, with no undocumented field', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats(ajv);
    const validators = new Map(schemaTypes.map((type) => [type, ajv.compile(schemaOf(type))]));
    const seen = new Set<string>();
    for (const message of reader.messages) {
      const type = message.headers[HEADERS.eventType]!;
      const validate = validators.get(type);
      if (!validate) throw new Error(`no schema for produced type ${type}`);
      if (!validate(message.value)) throw new Error(`${type} does not match its schema: ${ajv.errorsText(validate.errors)}`);
      const documented = Object.keys(schemaOf(type).properties ?? {});
      expect(Object.keys(message.value).filter((field) => !documented.includes(field))).toEqual([]);
      seen.add(type);
    }
    // Every type the domain can write from commands today was exercised, so none is checked only on paper.
    expect([...seen].sort()).toEqual([...MEMBER_EVENT_TYPES, 'ProgramConfigured'].sort());
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
