import { GlobalPosition, RecordedEvent, Subscription } from '../port';
import { AppendWakeups } from './append-wakeups';

/** Fallback poll when no notification arrives (e.g. an older transaction held events back). */
const IDLE_POLL_MS = 200;
/** Back-off after a failed read, so a database outage is retried, not spun on. */
const ERROR_RETRY_MS = 1000;

type ReadPage = (after: GlobalPosition | undefined) => Promise<RecordedEvent[]>;

/** Catch-up by pages from the checkpoint, then live by waiting for append notifications. */
export class PollingSubscription implements Subscription {
  private closed = false;
  private abortListeners: Array<() => void> = [];

  constructor(
    private readonly readPage: ReadPage,
    private readonly wakeups: AppendWakeups,
    private after: GlobalPosition | undefined,
  ) {}

  close(): Promise<void> {
    this.closed = true;
    for (const fn of this.abortListeners.splice(0)) fn();
    return Promise.resolve();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    while (!this.closed) {
      let page: RecordedEvent[];
      try {
        page = await this.readPage(this.after);
      } catch {
        await this.pause(ERROR_RETRY_MS);
        continue;
      }
      for (const event of page) {
        if (this.closed) return;
        this.after = event.position;
        yield event;
      }
      if (page.length === 0) await this.pause(IDLE_POLL_MS);
    }
  }

  private pause(ms: number): Promise<void> {
    const signal = {
      aborted: this.closed,
      onAbort: (fn: () => void) => this.abortListeners.push(fn),
    };
    return this.wakeups.wait(ms, signal);
  }
}
