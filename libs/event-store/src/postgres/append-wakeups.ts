import { Pool, PoolClient } from 'pg';
import { NOTIFY_CHANNEL } from './schema';

/**
 * One LISTEN connection per store, shared by its subscriptions: a commit that
 * appended events wakes every waiting subscriber at once instead of leaving it
 * to its next poll.
 *
 * Only one append of this store at a time notifies inside its transaction:
 * PostgreSQL serialises the commits of notifying transactions under one lock
 * held through the WAL flush, so with a NOTIFY in every append 64 concurrent
 * writers managed a fifth of the appends they do without it. An append that
 * ran beside the notifying one may have committed after it, so once both
 * have finished one more NOTIFY is sent on its own, coalesced to one in
 * flight. A lone writer thus notifies in its own transactions and never pays
 * for a separate one (which would cost each append a second WAL flush).
 */
export class AppendWakeups {
  private listener: Promise<PoolClient> | undefined;
  private readonly released = new WeakSet<PoolClient>();
  private waiters = new Set<() => void>();
  private closed = false;
  private appendNotifying = false;
  /** An append finished while the notifying one was in flight, so may have committed after it. */
  private notificationOwed = false;
  private announcing: Promise<void> | undefined;
  /** An append finished while a separate NOTIFY was in flight, which may have been sent before that commit. */
  private announceAgain = false;

  constructor(private readonly pool: Pool) {}

  /** Resolves on the next append notification or after `timeoutMs`, whichever is first. */
  async wait(timeoutMs: number, signal: { aborted: boolean; onAbort(fn: () => void): void }): Promise<void> {
    if (signal.aborted || this.closed) return;
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

  /** Whether the append about to start should notify inside its own transaction. */
  appendStarting(): boolean {
    if (this.appendNotifying) return false;
    this.appendNotifying = true;
    return true;
  }

  /** After the append, committed or not, with what appendStarting said. */
  appendFinished(notified: boolean): void {
    if (notified) {
      this.appendNotifying = false;
      if (this.notificationOwed) {
        this.notificationOwed = false;
        this.announce();
      }
    } else if (this.appendNotifying) {
      this.notificationOwed = true;
    } else {
      this.announce();
    }
  }

  /** A NOTIFY of its own, after commits that no notifying append is sure to follow. */
  private announce(): void {
    if (this.closed) return;
    if (this.announcing) {
      this.announceAgain = true;
      return;
    }
    // The notification carries no data, so its commit need not wait for a WAL flush of its own.
    this.announcing = this.pool
      .query(`select set_config('synchronous_commit', 'off', true), pg_notify('${NOTIFY_CHANNEL}', '')`)
      .then(
        () => undefined,
        () => undefined, // a lost notification only leaves subscribers to their next poll
      )
      .finally(() => {
        this.announcing = undefined;
        if (this.announceAgain) {
          this.announceAgain = false;
          this.announce();
        }
      });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.announcing;
    for (const wake of [...this.waiters]) wake();
    const listener = this.listener;
    this.listener = undefined;
    if (listener) {
      const client = await listener.catch(() => undefined);
      if (client) this.drop(client);
    }
  }

  /**
   * Once closed it never connects again: a connection opened after close
   * would stay checked out, and the owner's pool.end() would wait for it forever.
   */
  private listen(): Promise<PoolClient> {
    if (this.closed) return Promise.reject(new Error('append wake-ups closed'));
    if (!this.listener) {
      const listener = this.pool.connect().then(async (client) => {
        client.on('notification', () => {
          for (const wake of [...this.waiters]) wake();
        });
        // Stays attached after release: the server's goodbye to a connection still closing must not crash the process.
        client.on('error', () => {
          // The connection is gone: forget it so the next wait listens again.
          if (this.listener === listener) this.listener = undefined;
          this.drop(client);
        });
        try {
          await client.query(`listen ${NOTIFY_CHANNEL}`);
        } catch (error) {
          this.drop(client);
          throw error;
        }
        if (this.closed) {
          this.drop(client);
          throw new Error('append wake-ups closed');
        }
        return client;
      });
      this.listener = listener;
      listener.catch(() => {
        if (this.listener === listener) this.listener = undefined;
      });
    }
    return this.listener;
  }

  /** Releases the listening connection once: an error event after close would otherwise release it twice, which pg-pool throws on. */
  private drop(client: PoolClient): void {
    if (this.released.has(client)) return;
    this.released.add(client);
    client.release(true);
  }
}
