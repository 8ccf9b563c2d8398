import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Every metric of the ledger's processes starts with it, so dashboards and alerts can tell them from others on the same host. */
export const METRIC_PREFIX = 'loyalty_';

/** An event as appended: its type and data, read only for the business counters. */
export interface AppendedEvent {
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
}

const pointsOf = (event: AppendedEvent): number => (typeof event.data.points === 'number' ? event.data.points : 0);
const sourceOf = (event: AppendedEvent): string => (typeof event.data.source === 'string' ? event.data.source : 'unknown');

/**
 * The ledger's Prometheus metrics, one registry per process. Label values
 * are bounded (route templates, not URLs; status codes; accrual sources) so
 * cardinality cannot grow with traffic.
 */
export class LedgerMetrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: `${METRIC_PREFIX}http_request_duration_seconds`,
    help: 'HTTP request latency by route template, method and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly appendDuration = new Histogram({
    name: `${METRIC_PREFIX}event_store_append_duration_seconds`,
    help: 'Latency of appends to the event store',
    buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  readonly appendConflicts = new Counter({
    name: `${METRIC_PREFIX}event_store_append_conflicts_total`,
    help: 'Appends refused for a wrong expected revision (each is retried by the command handler, bounded)',
    registers: [this.registry],
  });

  readonly projectionLag = new Gauge({
    name: `${METRIC_PREFIX}projection_lag_events`,
    help: 'Events in the log not yet applied by a projection (capped)',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  readonly projectionPosition = new Gauge({
    name: `${METRIC_PREFIX}projection_checkpoint_position`,
    help: 'Last log position applied by a projection',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  readonly parkedStreams = new Gauge({
    name: `${METRIC_PREFIX}projection_parked_streams`,
    help: 'Streams (members) a projection parked at an event it could not apply; their reads answer READ_MODEL_PARKED',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  readonly relayLag = new Gauge({
    name: `${METRIC_PREFIX}kafka_relay_lag_events`,
    help: 'Events in the log not yet acknowledged by Kafka (capped); absent when the relay is not hosted',
    registers: [this.registry],
  });

  readonly relayDeadLetters = new Counter({
    name: `${METRIC_PREFIX}kafka_relay_dead_letters_total`,
    help: 'Events the relay could not publish and recorded as dead letters, since the process started',
    registers: [this.registry],
  });

  readonly pointsIssued = new Counter({
    name: `${METRIC_PREFIX}points_issued_total`,
    help: 'Points accrued (PointsAccrued events appended), pending ones included, by source: purchase, welcome, birthday, referral, action, offer',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  readonly pointsRedeemed = new Counter({
    name: `${METRIC_PREFIX}points_redeemed_total`,
    help: 'Points redeemed (PointsRedeemed events appended); reversals are not subtracted',
    registers: [this.registry],
  });

  readonly pointsExpired = new Counter({
    name: `${METRIC_PREFIX}points_expired_total`,
    help: 'Points expired (PointsExpired events appended)',
    registers: [this.registry],
  });

  readonly purchases = new Counter({
    name: `${METRIC_PREFIX}purchases_total`,
    help: 'Purchases recorded (PurchaseRecorded events appended); a repeated transaction id appends nothing and is not counted',
    registers: [this.registry],
  });

  readonly couponsIssued = new Counter({
    name: `${METRIC_PREFIX}coupons_issued_total`,
    help: 'Coupons issued (CouponIssued events appended)',
    registers: [this.registry],
  });

  readonly couponsUsed = new Counter({
    name: `${METRIC_PREFIX}coupons_used_total`,
    help: 'Coupons used (CouponUsed events appended)',
    registers: [this.registry],
  });

  private relayDeadLettersCounted = 0;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });
  }

  /**
   * The business counters, from the events of one append that the store
   * acknowledged: a refused append (a conflict, retried) counts nothing, and
   * an idempotent repeat appends nothing, so each event counts once.
   */
  countAppended(events: readonly AppendedEvent[]): void {
    for (const event of events) {
      if (event.type === 'PointsAccrued') this.pointsIssued.inc({ source: sourceOf(event) }, pointsOf(event));
      else if (event.type === 'PointsRedeemed') this.pointsRedeemed.inc(pointsOf(event));
      else if (event.type === 'PointsExpired') this.pointsExpired.inc(pointsOf(event));
      else if (event.type === 'PurchaseRecorded') this.purchases.inc();
      else if (event.type === 'CouponIssued') this.couponsIssued.inc();
      else if (event.type === 'CouponUsed') this.couponsUsed.inc();
    }
  }

  /** The relay reports its dead letters as a running count; the counter takes what is new since the last scrape. */
  recordRelayDeadLetters(deadLettersSinceStart: number): void {
    if (deadLettersSinceStart <= this.relayDeadLettersCounted) return;
    this.relayDeadLetters.inc(deadLettersSinceStart - this.relayDeadLettersCounted);
    this.relayDeadLettersCounted = deadLettersSinceStart;
  }
}
