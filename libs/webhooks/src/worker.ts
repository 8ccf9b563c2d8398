import type { DataSource } from 'typeorm';
import type { Registry } from 'prom-client';
import type { EventStore } from '@loyalty/event-store';
import { describeFailure, migrateSchema, RowsQuery, WebhookConfig } from '@loyalty/platform';
import { Projector } from '@loyalty/read-models';
import {
  AttemptOutcome,
  claimDue,
  ClaimedDelivery,
  countOutstanding,
  pruneDelivered,
  recordAttempt,
  webhooksWithDueDeliveries,
} from './deliveries';
import { queueCouponsExpiringSoon, queueExpiringSoon } from './expiring-soon';
import { WEBHOOK_CONSUMER, WebhookIntake } from './intake';
import { WebhookMetrics } from './metrics';
import { migrateNotificationOutbox, pruneNotifications } from './outbox';
import { afterFailure } from './retry-schedule';
import { WEBHOOK_MIGRATIONS, WEBHOOK_SCHEMA } from './schema';
import { describeSendFailure, post } from './sender';
import { signatureOf } from './signature';
import { TargetPolicy } from './targets';

/** Beyond an attempt's own timeout, before another worker may take a delivery over from one that died mid-attempt. */
const LEASE_MARGIN_MS = 30_000;
const DAY_MS = 86_400_000;

export interface WebhookWorkerOptions {
  readonly store: EventStore;
  readonly db: DataSource;
  readonly config: WebhookConfig;
  readonly registry: Registry;
  /** The ledger's clock: what "expiring within N days" is measured from. Retries run on the wall clock. */
  readonly now: () => Date;
  readonly log: (line: string) => void;
  /**
   * The outbox seq every Kafka notification relay has published up to
   * (libs/messaging, which reads the outbox: it cannot be imported here);
   * the sweep prunes nothing past it. Absent, or resolving to undefined: no
   * relay to wait for.
   */
  readonly notificationsRelayedThrough?: (db: RowsQuery) => Promise<bigint | undefined>;
}

/**
 * Deliveries from the log: the intake (a fenced, checkpointed consumer like
 * the projector) queues them, and this worker sends what is due, each
 * webhook in a lane of its own of at most `concurrencyPerWebhook` attempts,
 * so a slow or dead receiver only ever holds up itself. Everything it knows
 * is in the `webhooks` tables: a restart carries on where it stopped.
 */
export class WebhookWorker {
  private readonly targets: TargetPolicy;
  private readonly projector: Projector;
  private readonly metrics: WebhookMetrics;
  private readonly inFlight = new Map<string, number>();
  private readonly attempts = new Set<Promise<void>>();
  private timers: NodeJS.Timeout[] = [];
  private stopping = false;
  private polling: Promise<void> | undefined;
  private pollAgain = false;
  private sweeping: Promise<void> | undefined;
  /** Ends the attempts in flight at shutdown: they are recorded as failed and retried, instead of holding the stop for their timeout. */
  private shutdown = new AbortController();

  private constructor(private readonly options: WebhookWorkerOptions) {
    this.targets = new TargetPolicy(options.config);
    this.metrics = new WebhookMetrics(options.registry, () => countOutstanding(options.db));
    const intake = new WebhookIntake(options.store, (count) => {
      this.metrics.queued.inc(count);
      this.pollSoon();
    });
    this.projector = new Projector(options.store, options.db, [intake], WEBHOOK_CONSUMER, options.log);
  }

  /** Migrates the webhook schema and creates the outbox (each once across processes) before anything may register a webhook. */
  static async open(options: WebhookWorkerOptions): Promise<WebhookWorker> {
    const url = 'url' in options.db.options ? options.db.options.url : undefined;
    if (!url) throw new Error('the webhook worker needs a data source opened with a URL, to migrate its schema');
    await migrateSchema(url, WEBHOOK_SCHEMA, WEBHOOK_MIGRATIONS);
    await migrateNotificationOutbox(url);
    return new WebhookWorker(options);
  }

  start(): void {
    this.stopping = false;
    this.shutdown = new AbortController();
    this.projector.start();
    const { pollIntervalMs, expiryScanIntervalMs } = this.options.config;
    this.timers = [setInterval(() => this.pollSoon(), pollIntervalMs), setInterval(() => this.sweepSoon(), expiryScanIntervalMs)];
    for (const timer of this.timers) timer.unref();
    this.sweepSoon();
  }

  /** Stops queueing at a checkpoint, lets a poll or sweep under way finish, and ends the attempts in flight (they are retried). */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers) clearInterval(timer);
    await this.projector.stop();
    await Promise.allSettled([this.polling, this.sweeping]);
    this.shutdown.abort();
    await Promise.allSettled([...this.attempts]);
  }

  status() {
    return this.projector.status();
  }

  retryParked(streamId: string) {
    return this.projector.retryParked(streamId);
  }

  /** Coalesced: a poll asked for while one runs runs once more after it. */
  private pollSoon(): void {
    if (this.stopping) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = this.poll()
      .catch((error) => this.options.log(`webhook worker poll failed: ${describeFailure(error)}`))
      .finally(() => {
        this.polling = undefined;
        if (this.pollAgain) {
          this.pollAgain = false;
          this.pollSoon();
        }
      });
  }

  private async poll(): Promise<void> {
    const { db, config } = this.options;
    const now = new Date();
    for (const webhookId of await webhooksWithDueDeliveries(db, now)) {
      const free = config.concurrencyPerWebhook - (this.inFlight.get(webhookId) ?? 0);
      if (free <= 0 || this.stopping) continue;
      const leaseUntil = new Date(now.getTime() + config.attemptTimeoutMs + LEASE_MARGIN_MS);
      for (const delivery of await claimDue(db, webhookId, now, leaseUntil, free)) this.launch(delivery);
    }
  }

  private launch(delivery: ClaimedDelivery): void {
    this.inFlight.set(delivery.webhookId, (this.inFlight.get(delivery.webhookId) ?? 0) + 1);
    const attempt = this.attempt(delivery)
      .catch((error) => this.options.log(`webhook ${delivery.webhookId} attempt not recorded: ${describeFailure(error)}`))
      .finally(() => {
        this.attempts.delete(attempt);
        const left = (this.inFlight.get(delivery.webhookId) ?? 1) - 1;
        if (left > 0) this.inFlight.set(delivery.webhookId, left);
        else this.inFlight.delete(delivery.webhookId);
        this.pollSoon();
      });
    this.attempts.add(attempt);
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const { config, db } = this.options;
    const startedAt = new Date();
    const timestamp = String(Math.floor(startedAt.getTime() / 1000));
    let outcome: AttemptOutcome;
    try {
      const url = await this.targets.check(delivery.url);
      const statusCode = await post(url, {
        headers: {
          'x-loyalty-event-id': delivery.messageId,
          'x-loyalty-timestamp': timestamp,
          'x-loyalty-signature': signatureOf(delivery.secret, timestamp, delivery.body),
          'user-agent': 'loyalty-ledger-webhooks/1',
        },
        body: delivery.body,
        signal: AbortSignal.any([AbortSignal.timeout(config.attemptTimeoutMs), this.shutdown.signal]),
        lookup: this.targets.lookup,
      });
      outcome =
        statusCode >= 200 && statusCode < 300
          ? { kind: 'delivered', statusCode }
          : this.failed(delivery, startedAt, statusCode, `HTTP ${statusCode}`);
    } catch (error) {
      outcome = this.failed(delivery, startedAt, null, describeSendFailure(error));
    }
    const endedAt = new Date();
    this.metrics.attemptDuration.observe((endedAt.getTime() - startedAt.getTime()) / 1000);
    this.metrics.attempts.inc({ outcome: outcome.kind === 'delivered' ? 'delivered' : outcome.next === 'park' ? 'parked' : 'retrying' });
    await recordAttempt(db, delivery, startedAt, endedAt, outcome);
  }

  private failed(delivery: ClaimedDelivery, startedAt: Date, statusCode: number | null, error: string): AttemptOutcome {
    const firstAttemptAtMs = (delivery.firstAttemptAt ?? startedAt).getTime();
    const decision = afterFailure(this.options.config, delivery.attempts + 1, firstAttemptAtMs, Date.now());
    return { kind: 'failed', statusCode, error, next: decision.park ? 'park' : new Date(decision.nextAttemptAtMs) };
  }

  private sweepSoon(): void {
    if (this.stopping || this.sweeping) return;
    this.sweeping = this.sweep().finally(() => (this.sweeping = undefined));
  }

  /** The clock's part of the work: notifications of what expires soon, and pruning what was delivered or recorded long enough ago. */
  private async sweep(): Promise<void> {
    const { db, config } = this.options;
    try {
      const now = this.options.now();
      const queued =
        (await queueExpiringSoon(db, now, config.expiringWithinDays)) +
        (await queueCouponsExpiringSoon(db, now, config.couponsExpiringWithinDays));
      if (queued > 0) {
        this.metrics.queued.inc(queued);
        this.pollSoon();
      }
      const retainedFrom = new Date(Date.now() - config.deliveredRetentionDays * DAY_MS);
      await pruneDelivered(db, retainedFrom);
      await pruneNotifications(db, retainedFrom, await this.options.notificationsRelayedThrough?.(db));
    } catch (error) {
      this.options.log(`webhook sweep failed: ${describeFailure(error)}`);
    }
  }
}
