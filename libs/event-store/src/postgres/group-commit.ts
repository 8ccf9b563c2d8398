import { AppendResult } from '../port';

export interface QueuedAppend<Item> {
  readonly item: Item;
  readonly events: number;
  // The pending promise's own resolve and reject: free functions, called unbound.
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

/** Appends per transaction: below the 64 subtransactions Postgres caches per backend. */
export const GROUP_COMMIT_APPENDS_MAX = 32;
/** Events per transaction, well below the 2^16 a transaction's positions can number. */
export const GROUP_COMMIT_EVENTS_MAX = 8192;
/** Transactions in flight at once: one can flush the WAL while the next is being written. */
export const GROUP_COMMIT_IN_FLIGHT_MAX = 2;

/**
 * Group commit: an append that arrives while GROUP_COMMIT_IN_FLIGHT_MAX
 * transactions are being written waits, and the appends that waited go
 * together in one transaction, so concurrent writers share one WAL flush
 * instead of queueing for one each. A lone writer never waits: its append
 * is written at once, alone. Each append keeps its own expected-revision
 * check and its own result.
 */
export class GroupCommit<Item> {
  private readonly queue: Array<QueuedAppend<Item>> = [];
  private inFlight = 0;

  constructor(private readonly write: (batch: ReadonlyArray<QueuedAppend<Item>>) => Promise<void>) {}

  submit(item: Item, events: number): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, events, resolve, reject });
      this.drain();
    });
  }

  private drain(): void {
    while (this.inFlight < GROUP_COMMIT_IN_FLIGHT_MAX && this.queue.length > 0) {
      const batch = this.take();
      this.inFlight += 1;
      this.write(batch)
        .catch((error) => batch.forEach((queued) => queued.reject(error)))
        .finally(() => {
          this.inFlight -= 1;
          this.drain();
        });
    }
  }

  private take(): Array<QueuedAppend<Item>> {
    let events = this.queue[0]!.events;
    let count = 1;
    while (count < this.queue.length && count < GROUP_COMMIT_APPENDS_MAX && events + this.queue[count]!.events <= GROUP_COMMIT_EVENTS_MAX) {
      events += this.queue[count]!.events;
      count += 1;
    }
    return this.queue.splice(0, count);
  }
}
