import { Pool, PoolClient } from 'pg';
import { NOTIFY_CHANNEL } from './schema';

/**
 * One LISTEN connection per store, shared by its subscriptions: a commit that
 * appended events wakes every waiting subscriber at once instead of leaving it
 * to its next poll.
 */
export class AppendWakeups {
  private listener: Promise<PoolClient> | undefined;
  private waiters = new Set<() => void>();
  private closed = false;

  constructor(private readonly pool: Pool) {}

  /** Resolves on the next append notification or after `timeoutMs`, whichever is first. */
  async wait(timeoutMs: number, signal: { aborted: boolean; onAbort(fn: () => void): void }): Promise<void> {
    await this.listen().catch(() => undefined); // polling still works without notifications
    if (signal.aborted || this.closed) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
      signal.onAbort(done);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of [...this.waiters]) wake();
    const listener = this.listener;
    this.listener = undefined;
    if (listener) {
      const client = await listener.catch(() => undefined);
      client?.release(true);
    }
  }

  private listen(): Promise<PoolClient> {
    if (!this.listener) {
      this.listener = this.pool.connect().then(async (client) => {
        client.on('notification', () => {
          for (const wake of [...this.waiters]) wake();
        });
        client.on('error', () => {
          // The connection is gone: forget it so the next wait listens again.
          this.listener = undefined;
          client.release(true);
        });
        await client.query(`listen ${NOTIFY_CHANNEL}`);
        return client;
      });
      this.listener.catch(() => {
        this.listener = undefined;
      });
    }
    return this.listener;
  }
}
