import { randomUUID } from 'node:crypto';
import { binaryEvent, EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { EventStoreDbEventStore, EventStoreUnavailableError, EventToAppend, RecordedEvent } from '@loyalty/event-store';
import { EventStoreDbDouble, startEventStoreDbDouble } from '../eventstoredb-double';
import { eventStoreContract } from './event-store.contract';

eventStoreContract('EventStoreDB adapter over the gRPC test double', async () => {
  const double = await startEventStoreDbDouble();
  const store = new EventStoreDbEventStore(double.connectionString);
  return {
    store,
    dispose: async () => {
      await store.close();
      await double.stop();
    },
  };
});

// Registered only when a server is configured, e.g. EVENTSTORE_URL=esdb://localhost:2113?tls=false
const realServer = process.env.EVENTSTORE_URL;
if (realServer) {
  eventStoreContract('EventStoreDB adapter on a real server', () => {
    const store = new EventStoreDbEventStore(realServer);
    return Promise.resolve({ store, dispose: () => store.close() });
  });
}

/** What the shared contract cannot express: behaviour tied to EventStoreDB's own streams and failure modes. */
describe('EventStoreDB adapter specifics (over the gRPC test double)', () => {
  let double: EventStoreDbDouble;
  let store: EventStoreDbEventStore;
  const event = (type: string): EventToAppend => ({ eventId: randomUUID(), type, data: {} });

  beforeAll(async () => {
    double = await startEventStoreDbDouble();
    store = new EventStoreDbEventStore(double.connectionString);
  });
  afterAll(async () => {
    await store.close();
    await double.stop();
  });

  it('keeps system streams and event types out of $all reads and subscriptions', async () => {
    const stream = `s${randomUUID().slice(0, 8)}`;
    const { position: before } = await store.append(stream, [event('Before')], 'no_stream');
    const raw = EventStoreDBClient.connectionString(double.connectionString);
    await raw.setStreamMetadata(stream, { maxCount: 10 }); // `$metadata` in `$$stream`
    await raw.appendToStream(stream, jsonEvent({ type: '$system-typed', data: {} }));
    await raw.dispose();
    await store.append(stream, [event('After')], 'any');

    expect((await store.readAll({ after: before })).map((e) => e.type)).toEqual(['After']);

    const subscription = store.subscribeToAll({ after: before });
    const seen: RecordedEvent[] = [];
    for await (const e of subscription) {
      seen.push(e);
      if (e.type === 'After') break;
    }
    expect(seen.map((e) => e.type)).toEqual(['After']);
  });

  it('refuses to hand out an event whose data is not a JSON object', async () => {
    const stream = `s${randomUUID().slice(0, 8)}`;
    const raw = EventStoreDBClient.connectionString(double.connectionString);
    await raw.appendToStream(stream, binaryEvent({ type: 'Opaque', data: Buffer.from('not json') }));
    await raw.dispose();
    await expect(store.readStream(stream)).rejects.toThrow(/not a JSON object/);
  });

  it('resumes a subscription after the server drops it, without repeating events', async () => {
    const stream = `s${randomUUID().slice(0, 8)}`;
    await store.append(stream, [event('One')], 'no_stream');
    const subscription = store.subscribeToAll({ filter: { streamNamePrefixes: [stream] } });
    const seen: string[] = [];
    const received = (async () => {
      for await (const e of subscription) if (seen.push(e.type) === 3) break;
    })();
    while (seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));

    await double.restart();
    await store.append(stream, [event('Two'), event('Three')], 0n);
    await received;
    expect(seen).toEqual(['One', 'Two', 'Three']);
  });

  it('reports an unreachable server as EventStoreUnavailableError', async () => {
    const gone = await startEventStoreDbDouble();
    await gone.stop();
    const orphan = new EventStoreDbEventStore(gone.connectionString);
    try {
      await expect(orphan.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(orphan.append('s', [event('X')], 'any')).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(orphan.readAll()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    } finally {
      await orphan.close();
    }
  });
});
