import { randomUUID } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import { createTestDatabase } from '../../../../test/support/postgres';
import { AppendWakeups } from './append-wakeups';
import { PostgresEventStore } from './postgres-event-store';

/** Longer than the test's own timeout: only a notification can end the wait in time. */
const WAIT_MS = 120_000;

/**
 * Most appends under load do not notify in their own transaction (see
 * AppendWakeups), so this proves every append is still followed by a
 * notification that reaches a subscriber in another process (here: another
 * pool) without its fallback poll.
 */
describe('Append wake-ups', () => {
  let writerPool: Pool;
  let readerPool: Pool;
  let store: PostgresEventStore;
  let wakeups: AppendWakeups;
  const signal = { aborted: false, onAbort: () => undefined };

  beforeAll(async () => {
    const url = await createTestDatabase('pg_wakeups');
    writerPool = new Pool({ connectionString: url, max: 2 });
    readerPool = new Pool({ connectionString: url, max: 2 });
    store = await PostgresEventStore.open(writerPool);
    wakeups = new AppendWakeups(readerPool);
    await wakeups.wait(0, signal); // listening from here on
  });
  afterAll(async () => {
    await wakeups.close();
    await store.close();
    await writerPool.end();
    await readerPool.end();
  });

  it('wakes a waiting subscriber of another process when an append commits', async () => {
    const woken = wakeups.wait(WAIT_MS, signal);
    await store.append(`wake-${randomUUID()}`, [{ eventId: randomUUID(), type: 'Appended', data: {} }], 'no_stream');
    await expect(woken).resolves.toBeUndefined();
  });
});

describe('Which appends notify', () => {
  const notifications: string[] = [];
  const pool = {
    query: (text: string) => {
      notifications.push(text);
      return Promise.resolve();
    },
  } as unknown as Pool;
  let wakeups: AppendWakeups;

  beforeEach(() => {
    notifications.length = 0;
    wakeups = new AppendWakeups(pool);
  });
  const settled = () => new Promise((resolve) => setImmediate(resolve));

  it('a lone writer notifies inside each append and sends nothing of its own', async () => {
    for (let i = 0; i < 3; i++) {
      const notifies = wakeups.appendStarting();
      expect(notifies).toBe(true);
      wakeups.appendFinished(notifies);
    }
    await settled();
    expect(notifications).toHaveLength(0);
  });

  it('one append at a time notifies; one that finished beside it is announced after it', async () => {
    const first = wakeups.appendStarting();
    const second = wakeups.appendStarting();
    expect([first, second]).toEqual([true, false]);
    wakeups.appendFinished(second); // may have committed after the first: owed, not yet sent
    await settled();
    expect(notifications).toHaveLength(0);
    wakeups.appendFinished(first);
    await settled();
    expect(notifications).toHaveLength(1);
  });

  it('announces at once an append that finished with no notifying append in flight', async () => {
    const first = wakeups.appendStarting();
    const second = wakeups.appendStarting();
    wakeups.appendFinished(first);
    await settled();
    expect(notifications).toHaveLength(0);
    wakeups.appendFinished(second);
    await settled();
    expect(notifications).toHaveLength(1);
  });
});

describe('Closing the wake-ups', () => {
  let url: string;
  const signal = { aborted: false, onAbort: () => undefined };
  const settledWithin = (promise: Promise<unknown>, ms: number) =>
    Promise.race([promise.then(() => 'settled'), new Promise((resolve) => setTimeout(() => resolve('still pending'), ms).unref())]);

  beforeAll(async () => {
    url = await createTestDatabase('pg_wakeups_close');
  });

  it('survives the server ending the listening connection while it is still closing', async () => {
    const pool = new Pool({ connectionString: url, max: 2 });
    pool.on('error', () => undefined); // what the app does for idle connections
    const acquired: PoolClient[] = [];
    pool.on('acquire', (client) => acquired.push(client));
    const wakeups = new AppendWakeups(pool);
    await wakeups.wait(0, signal);
    await wakeups.close();
    // The embedded server's fast shutdown says goodbye to a connection whose end is still in flight.
    expect(() => acquired[0]!.emit('error', new Error('terminating connection due to administrator command'))).not.toThrow();
    await pool.end();
  });

  it('opens no connection for a subscriber that waits after close, so the pool can end', async () => {
    const pool = new Pool({ connectionString: url, max: 2 });
    const wakeups = new AppendWakeups(pool);
    await wakeups.close();
    await wakeups.wait(10, signal);
    expect(pool.totalCount).toBe(0);
    expect(await settledWithin(pool.end(), 5000)).toBe('settled');
  });
});
