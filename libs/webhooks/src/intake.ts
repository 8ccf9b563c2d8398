import type { EntityManager } from 'typeorm';
import type { EventStore, RecordedEvent } from '@loyalty/event-store';
import type { Projection } from '@loyalty/read-models';
import { loadSubscriptions, queueDeliveries } from './deliveries';
import { eventMessage, OutgoingMessage } from './messages';
import { recordNotifications } from './outbox';
import { RewardAffordableDeriver } from './reward-affordable';

export const WEBHOOK_CONSUMER = 'webhooks';

/**
 * The log into the notification outbox and the delivery queue, inside the
 * consumer's batch transaction: the outbox rows, the queue rows and the
 * checkpoint commit together, so a crash neither loses a message nor records
 * one twice. Notifications are derived whether or not a webhook listens, as
 * Kafka reads them from the outbox; events are queued only for the webhooks
 * that subscribe to them.
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
    const notifications = await this.rewardAffordable.derive(events);
    await recordNotifications(manager, notifications, new Date());
    const subscriptions = await loadSubscriptions(manager);
    if (subscriptions.length === 0) return;
    const wanted = new Set(subscriptions.flatMap((s) => [...s.eventTypes]));
    const messages: OutgoingMessage[] = events.flatMap((event) => {
      const message = wanted.has(event.type) ? eventMessage(event) : undefined;
      return message ? [message] : [];
    });
    const count = await queueDeliveries(manager, subscriptions, [...messages, ...notifications], new Date());
    if (count > 0) this.queued(count);
  }
}
