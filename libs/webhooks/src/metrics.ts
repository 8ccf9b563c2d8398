import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { METRIC_PREFIX } from '@loyalty/platform';

/** Labelled by outcome only: webhook ids are operator data and could grow without bound. */
export class WebhookMetrics {
  readonly attempts: Counter<'outcome'>;
  readonly attemptDuration: Histogram;
  readonly queued: Counter;
  readonly backlog: Gauge<'status'>;

  /** `outstanding` counts the pending and parked deliveries when Prometheus scrapes. */
  constructor(registry: Registry, outstanding: () => Promise<ReadonlyArray<{ status: string; count: number }>>) {
    this.attempts = new Counter({
      name: `${METRIC_PREFIX}webhook_delivery_attempts_total`,
      help: 'Webhook delivery attempts by outcome: delivered (2xx), retrying, parked (retries exhausted)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    });
    this.attemptDuration = new Histogram({
      name: `${METRIC_PREFIX}webhook_delivery_attempt_duration_seconds`,
      help: 'Duration of one webhook delivery attempt, whatever its outcome',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    this.queued = new Counter({
      name: `${METRIC_PREFIX}webhook_deliveries_queued_total`,
      help: 'Deliveries queued (one per webhook and message)',
      registers: [registry],
    });
    this.backlog = new Gauge({
      name: `${METRIC_PREFIX}webhook_deliveries_outstanding`,
      help: 'Deliveries not yet delivered, by status: pending (queued or retrying) and parked (awaiting a replay)',
      labelNames: ['status'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const { status, count } of await outstanding()) this.set({ status }, count);
      },
    });
  }
}
