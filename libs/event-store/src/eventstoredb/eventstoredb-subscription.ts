import { AllStreamResolvedEvent, AllStreamSubscription } from '@eventstore/db-client';
import { EventFilter, EventStoreUnavailableError, GlobalPosition, RecordedEvent, Subscription } from '../port';
import { toPortError, toUserEvent } from './mapping';

/** Back-off before resubscribing after the server dropped us, so an outage is retried, not spun on. */
const RESUBSCRIBE_DELAY_MS = 1000;

type OpenSubscription = (after: GlobalPosition | undefined) => AllStreamSubscription;

/**
 * A catch-up subscription to $all that survives server restarts: when the
 * server drops the call (unavailable, leader change, server-side cancel, or a
 * plain end) it resubscribes after the last delivered position, as the
 * Postgres adapter's polling does. Any other error ends the iteration.
 */
export class EventStoreDbSubscription implements Subscription {
  private closed = false;
  private current: AllStreamSubscription | undefined;
  private wakeUp: (() => void) | undefined;

  constructor(
    private readonly open: OpenSubscription,
    private readonly filter: EventFilter | undefined,
    private after: GlobalPosition | undefined,
    private readonly onClosed: () => void = () => undefined,
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    try {
      while (!this.closed) {
        const inner = (this.current = this.open(this.after));
        try {
          for await (const resolved of inner as AsyncIterable<AllStreamResolvedEvent>) {
            if (this.closed) return;
            // Exclusivity of the resume position is enforced here rather than trusted to the server.
            const event = toUserEvent(resolved, this.filter, this.after);
            if (!event) continue;
            this.after = event.position;
            yield event;
          }
        } catch (error) {
          if (this.closed) return;
          const mapped = toPortError(error);
          if (!(mapped instanceof EventStoreUnavailableError)) throw mapped;
        } finally {
          await release(inner);
        }
        await this.pause(RESUBSCRIBE_DELAY_MS);
      }
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onClosed();
    this.wakeUp?.();
    if (this.current) await release(this.current);
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/**
 * Destroying the readable ends a pending `for await` at once; cancelling the
 * gRPC call is what stops the server streaming to us. Both are needed, and the
 * cancel fails harmlessly if the call never started.
 */
async function release(subscription: AllStreamSubscription): Promise<void> {
  subscription.destroy();
  await subscription.unsubscribe().catch(() => undefined);
}
