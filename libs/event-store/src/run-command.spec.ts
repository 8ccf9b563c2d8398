import { Pool } from 'pg';
import { createTestDatabase } from '../../../test/support/postgres';
import { PostgresEventStore } from './postgres';
import { RecordedEvent } from './port';
import { runCommand, StreamCommand } from './run-command';

/** Appends one `Counted` event carrying how many events the stream had when it was decided; a stream of `limit` is done. */
function countTo(streamId: string, limit: number): StreamCommand<{ type: string; data: { seen: number } }> {
  const streamTag = Buffer.from(streamId).toString('hex').slice(-8);
  return {
    streamId,
    eventId: (index) => `00000000-0000-4000-8000-${streamTag}${String(index).padStart(4, '0')}`,
    decide: (history: readonly RecordedEvent[]) => (history.length >= limit ? [] : [{ type: 'Counted', data: { seen: history.length } }]),
  };
}

describe('runCommand with a known history', () => {
  let pool: Pool;
  let store: PostgresEventStore;
  let reads: number;

  beforeAll(async () => {
    pool = new Pool({ connectionString: await createTestDatabase('run_command'), max: 4 });
    store = await PostgresEventStore.open(pool);
    const readStream = store.readStream.bind(store);
    store.readStream = (...args) => ((reads += 1), readStream(...args));
  });
  beforeEach(() => (reads = 0));
  afterAll(async () => {
    await store.close();
    await pool.end();
  });

  it('appends on the known history without reading the stream', async () => {
    const outcome = await runCommand(store, countTo('known-new', 1), []);
    expect(outcome.appended).toBe(true);
    expect(reads).toBe(0);
    expect((await store.readStream('known-new')).map((e) => e.data)).toEqual([{ seen: 0 }]);
  });

  it('decides again on the real history when the guess was stale, and appends at the right revision', async () => {
    await store.append(
      'known-stale',
      [{ eventId: '00000000-0000-4000-8000-00000000aaaa', type: 'Counted', data: { seen: 0 } }],
      'no_stream',
    );
    const outcome = await runCommand(store, countTo('known-stale', 2), []);
    expect(outcome.appended).toBe(true);
    expect(reads).toBe(1);
    const events = await store.readStream('known-stale');
    expect(events.map((e) => [e.revision, e.data])).toEqual([
      [0n, { seen: 0 }],
      [1n, { seen: 1 }],
    ]);
  });

  it('appends a decision already made on the known history without reading or deciding again', async () => {
    const counting = countTo('decided-once', 1);
    let decisions = 0;
    const command = { ...counting, decide: (history: readonly RecordedEvent[]) => ((decisions += 1), counting.decide(history)) };
    const outcome = await runCommand(store, command, [], [{ type: 'Counted', data: { seen: 0 } }]);
    expect(outcome.appended).toBe(true);
    expect([reads, decisions]).toEqual([0, 0]);
    expect((await store.readStream('decided-once')).map((e) => e.data)).toEqual([{ seen: 0 }]);
  });

  it('decides again on the real history when the known decision was made on a stale one', async () => {
    await store.append(
      'decided-late',
      [{ eventId: '00000000-0000-4000-8000-00000000bbbb', type: 'Counted', data: { seen: 0 } }],
      'no_stream',
    );
    const outcome = await runCommand(store, countTo('decided-late', 2), [], [{ type: 'Counted', data: { seen: 0 } }]);
    expect(outcome.appended).toBe(true);
    expect((await store.readStream('decided-late')).map((e) => e.data)).toEqual([{ seen: 0 }, { seen: 1 }]);
  });

  it('reports a repeat when the real history shows the command already done', async () => {
    await runCommand(store, countTo('known-repeat', 1), []);
    const again = await runCommand(store, countTo('known-repeat', 1), []);
    expect(again.appended).toBe(false);
    expect(again.events.map((e) => e.data)).toEqual([{ seen: 0 }]);
    expect(await store.readStream('known-repeat')).toHaveLength(1);
  });
});
