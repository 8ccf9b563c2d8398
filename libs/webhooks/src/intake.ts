import type { EntityManager } from 'typeorm';
import type { EventStore, RecordedEvent } from '@loyalty/event-store';
import type { Projection } from '@loyalty/read-models';
import { loadSubscriptions, queueDeliveries, Subscription } from './deliveries';
import { eventMessage, OutgoingMessage } from './messages';
import { RewardAffordableDeriver } from './reward-affordable';

export const WEBHOOK_CONSUMER = 'webhooks';

/**
 * The log into the delivery queue, inside the consumer's batch transaction:
 * the queue rows and the checkpoint commit together, so a crash neither loses
 * a message nor queues one twice. Only what some webhook subscribes to is
 * queued, and derived only when someone listens.
 */
export class WebhookIntake implements Projection {
  readonly name = WEBHOOK_CONSUMER;
  private readonly rewardAffordable: RewardAffordableDeriver;

  constructor(
    store: EventStore,
    private readonly queued: (count: number) => void,
  ) {
    this.rewardAffordable = new RewardAffordableDeriver(store);
  }

  async applyBatch(manager: EntityManager, events: readonly RecordedEvent[]): Promise<void> {
    const subscriptions = await loadSubscriptions(manager);
    if (subscriptions.length === 0) return;
    const wanted = new Set(subscriptions.flatMap((s) => [...s.eventTypes]));
    const messages: OutgoingMessage[] = events.flatMap((event) => {
      const message = wanted.has(event.type) ? eventMessage(event) : undefined;
      return message ? [message] : [];
    });
    const listening = subscriptions.filter((s) => s.eventTypes.has('RewardAffordable'));
    if (listening.length > 0) messages.push(...(await this.rewardAffordable.derive(events, earliestStart(listening))));
    const count = await queueDeliveries(manager, subscriptions, messages, new Date());
    if (count > 0) this.queued(count);
  }
}

/** Where the earliest of these webhooks starts hearing: folding members before it would be wasted (a consumer catching up). */
function earliestStart(subscriptions: readonly Subscription[]): bigint {
  let earliest: bigint | undefined;
  for (const { afterPosition } of subscriptions) {
    if (afterPosition === null) return -1n;
    if (earliest === undefined || afterPosition < earliest) earliest = afterPosition;
  }
  return earliest ?? -1n;
}
