import { Pool } from 'pg';
import { createTestDatabase } from '../../../../test/support/postgres';
import { RelayLeadership } from './relay-store';

/** The relay's checkpoint moves only from where this relay last left it: a stale relay cannot rewind or skip it. */
describe('relay checkpoint fencing', () => {
  let pool: Pool;
  beforeAll(async () => {
    pool = new Pool({ connectionString: await createTestDatabase('relay_fence'), max: 3 });
  });
  afterAll(async () => pool.end());

  it('commits from the checkpoint it started from, and refuses a chunk that started from another', async () => {
    const leadership = (await RelayLeadership.tryAcquire(pool, 'fenced', () => undefined))!;
    try {
      await leadership.commit(undefined, 5n, []);
      await leadership.commit(5n, 10n, []);
      // A chunk started from 5 by a relay that has not seen the move to 10 (paused, or a second copy).
      await expect(leadership.commit(5n, 12n, [])).rejects.toThrow('moved past 5 by another relay');
      await expect(leadership.commit(undefined, 3n, [])).rejects.toThrow('moved past none');
      expect(await leadership.loadCheckpoint()).toBe(10n);
    } finally {
      await leadership.release();
    }
  });

  it('survives its connection dropping while the schema migrates, and gives the connection up instead of leading on it', async () => {
    const client = await pool.connect();
    const release = jest.spyOn(client, 'release');
    const query = client.query.bind(client) as (text: string, values?: unknown[]) => Promise<unknown>;
    // The lock is taken, then the connection reports an error while the migration runs on a connection of its own.
    const lockThenDrop = async (text: string, values?: unknown[]) => {
      const result = await query(text, values);
      setImmediate(() => client.emit('error', new Error('terminating connection due to administrator command')));
      return result;
    };
    (client as unknown as { query: typeof lockThenDrop }).query = lockThenDrop;
    const fakePool = { connect: () => Promise.resolve(client), options: pool.options } as unknown as Pool;
    await expect(RelayLeadership.tryAcquire(fakePool, 'dropped', () => undefined)).rejects.toThrow(
      'leadership connection lost while migrating: terminating connection due to administrator command',
    );
    expect(release).toHaveBeenCalledWith(true);
  });
});
