import { randomUUID } from 'node:crypto';
import { EventStore, EventToAppend, RecordedEvent, Subscription, WrongExpectedRevisionError } from '@loyalty/event-store';

/**
 * The one behaviour every EventStore adapter must show. Each adapter's spec
 * calls this with a factory; streams get a unique prefix per test so a shared
 * store never leaks between cases.
 */
export interface ContractSubject {
  store: EventStore;
  /** Called once after the suite. */
  dispose: () => Promise<void>;
}

function event(type: string, data: Record<string, unknown> = {}): EventToAppend {
  return { eventId: randomUUID(), type, data, metadata: { correlationId: randomUUID() } };
}

async function take(subscription: Subscription, count: number, timeoutMs = 10_000): Promise<RecordedEvent[]> {
  const seen: RecordedEvent[] = [];
  const timer = setTimeout(() => void subscription.close(), timeoutMs);
  try {
    for await (const recorded of subscription) {
      seen.push(recorded);
      if (seen.length === count) break;
    }
  } finally {
    clearTimeout(timer);
    await subscription.close();
  }
  return seen;
}

export function eventStoreContract(adapterName: string, subject: () => Promise<ContractSubject>): void {
  describe(`EventStore contract: ${adapterName}`, () => {
    let store: EventStore;
    let dispose: () => Promise<void>;
    let prefix: string;

    beforeAll(async () => {
      ({ store, dispose } = await subject());
    });
    afterAll(async () => dispose());
    beforeEach(() => {
      prefix = `c${randomUUID().replace(/-/g, '').slice(0, 12)}-`;
    });

    it('appends to a new stream with no_stream and reads the events back in order', async () => {
      const first = event('PointsAccrued', { points: 10, note: 'café ☕', nested: { list: [1, 2, 3] } });
      const second = event('PointsRedeemed', { points: 4 });
      const result = await store.append(`${prefix}a`, [first, second], 'no_stream');
      expect(result.nextRevision).toBe(1n);

      const read = await store.readStream(`${prefix}a`);
      expect(read.map((e) => [e.revision, e.type, e.eventId])).toEqual([
        [0n, 'PointsAccrued', first.eventId],
        [1n, 'PointsRedeemed', second.eventId],
      ]);
      expect(read[0]!.data).toEqual(first.data);
      expect(read[0]!.metadata).toEqual(first.metadata);
      expect(read[0]!.streamId).toBe(`${prefix}a`);
      expect(read[1]!.position).toBe(result.position);
      expect(read[0]!.position < read[1]!.position).toBe(true);
    });

    it('reads a missing stream as empty', async () => {
      await expect(store.readStream(`${prefix}missing`)).resolves.toEqual([]);
    });

    it('rejects no_stream when the stream exists', async () => {
      await store.append(`${prefix}a`, [event('X')], 'no_stream');
      await expect(store.append(`${prefix}a`, [event('X')], 'no_stream')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    });

    it('accepts the exact current revision and rejects a stale one', async () => {
      await store.append(`${prefix}a`, [event('X'), event('X')], 'no_stream');
      const ok = await store.append(`${prefix}a`, [event('Y')], 1n);
      expect(ok.nextRevision).toBe(2n);
      const stale = store.append(`${prefix}a`, [event('Z')], 1n);
      await expect(stale).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(stale).rejects.toMatchObject({ streamId: `${prefix}a`, expected: 1n });
      expect((await store.readStream(`${prefix}a`)).map((e) => e.type)).toEqual(['X', 'X', 'Y']);
    });

    it('rejects an exact revision on a missing stream', async () => {
      await expect(store.append(`${prefix}none`, [event('X')], 0n)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    });

    it('appends with any whether or not the stream exists', async () => {
      expect((await store.append(`${prefix}a`, [event('X')], 'any')).nextRevision).toBe(0n);
      expect((await store.append(`${prefix}a`, [event('X')], 'any')).nextRevision).toBe(1n);
    });

    it('lets exactly one of several writers with the same expected revision win', async () => {
      await store.append(`${prefix}a`, [event('Open')], 'no_stream');
      const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => store.append(`${prefix}a`, [event('Race')], 0n)));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes) {
        if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(WrongExpectedRevisionError);
      }
      expect(await store.readStream(`${prefix}a`)).toHaveLength(2);
    });

    it('reads a stream from a revision, backwards, and bounded', async () => {
      await store.append(
        `${prefix}a`,
        ['A', 'B', 'C', 'D'].map((t) => event(t)),
        'no_stream',
      );
      const fromTwo = await store.readStream(`${prefix}a`, { fromRevision: 2n });
      expect(fromTwo.map((e) => e.type)).toEqual(['C', 'D']);
      const backwards = await store.readStream(`${prefix}a`, { direction: 'backwards', maxCount: 2 });
      expect(backwards.map((e) => e.type)).toEqual(['D', 'C']);
      const limited = await store.readStream(`${prefix}a`, { maxCount: 3 });
      expect(limited.map((e) => e.type)).toEqual(['A', 'B', 'C']);
    });

    // A cached fold reads only what follows its revision: nothing new must read as empty, not fail.
    it('reads only the events from a revision on, none past the end, and a missing stream from any revision as empty', async () => {
      await store.append(`${prefix}a`, [event('A'), event('B')], 'no_stream');
      const head = await store.readStream(`${prefix}a`, { fromRevision: 1n });
      expect(head.map((e) => [e.type, e.revision])).toEqual([['B', 1n]]);
      expect(await store.readStream(`${prefix}a`, { fromRevision: 2n })).toEqual([]);
      await store.append(`${prefix}a`, [event('C')], 1n);
      expect((await store.readStream(`${prefix}a`, { fromRevision: 2n })).map((e) => e.type)).toEqual(['C']);
      expect(await store.readStream(`${prefix}missing`, { fromRevision: 5n })).toEqual([]);
    });

    it('reads all streams in global order, after an exclusive position, page by page', async () => {
      const filter = { streamNamePrefixes: [prefix] };
      await store.append(`${prefix}a`, [event('A1')], 'no_stream');
      await store.append(`${prefix}b`, [event('B1'), event('B2')], 'no_stream');
      await store.append(`${prefix}a`, [event('A2')], 0n);

      const all = await store.readAll({ filter, maxCount: 100 });
      expect(all.map((e) => e.type)).toEqual(['A1', 'B1', 'B2', 'A2']);
      for (let i = 1; i < all.length; i++) expect(all[i - 1]!.position < all[i]!.position).toBe(true);

      const afterSecond = await store.readAll({ filter, after: all[1]!.position });
      expect(afterSecond.map((e) => e.type)).toEqual(['B2', 'A2']);

      const paged: string[] = [];
      let after: bigint | undefined;
      for (;;) {
        const page = await store.readAll({ filter, after, maxCount: 1 });
        if (page.length === 0) break;
        paged.push(...page.map((e) => e.type));
        after = page[page.length - 1]!.position;
      }
      expect(paged).toEqual(['A1', 'B1', 'B2', 'A2']);
    });

    it('filters all-stream reads by event type', async () => {
      await store.append(`${prefix}a`, [event(`${prefix}Kept`), event(`${prefix}Dropped`)], 'no_stream');
      const kept = await store.readAll({ filter: { eventTypes: [`${prefix}Kept`] } });
      expect(kept.map((e) => e.type)).toEqual([`${prefix}Kept`]);
    });

    it('subscribes with catch-up, goes live, and resumes after a checkpoint', async () => {
      const filter = { streamNamePrefixes: [prefix] };
      await store.append(`${prefix}a`, [event('Before1'), event('Before2')], 'no_stream');

      const live = store.subscribeToAll({ filter });
      const received = take(live, 4);
      await store.append(`${prefix}b`, [event('Live1')], 'no_stream');
      await store.append(`${prefix}a`, [event('Live2')], 1n);
      const seen = await received;
      expect(seen.map((e) => e.type)).toEqual(['Before1', 'Before2', 'Live1', 'Live2']);

      const resumed = await take(store.subscribeToAll({ filter, after: seen[1]!.position }), 2);
      expect(resumed.map((e) => e.type)).toEqual(['Live1', 'Live2']);
    });

    it('filters a subscription by event type', async () => {
      const kept = `${prefix}Kept`;
      await store.append(`${prefix}a`, [event(kept), event(`${prefix}Other`), event(kept)], 'no_stream');
      const seen = await take(store.subscribeToAll({ filter: { eventTypes: [kept] } }), 2);
      expect(seen.map((e) => [e.type, e.revision])).toEqual([
        [kept, 0n],
        [kept, 2n],
      ]);
    });

    it('ends iteration when the subscription is closed', async () => {
      const subscription = store.subscribeToAll({ filter: { streamNamePrefixes: [prefix] } });
      setTimeout(() => void subscription.close(), 100);
      const seen: RecordedEvent[] = [];
      for await (const e of subscription) seen.push(e);
      expect(seen).toEqual([]);
    });

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
