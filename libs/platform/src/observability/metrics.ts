import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The ledger's Prometheus metrics, one registry per process. Label values
 * are bounded (route templates, not URLs; status codes; event-store
 * operations) so cardinality cannot grow with traffic.
 */
export class LedgerMetrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route template, method and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly appendDuration = new Histogram({
    name: 'event_store_append_duration_seconds',
    help: 'Latency of appends to the event store',
    buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  readonly appendConflicts = new Counter({
    name: 'event_store_append_conflicts_total',
    help: 'Appends refused for a wrong expected revision (each is retried by the command handler, bounded)',
    registers: [this.registry],
  });

  readonly projectionLag = new Gauge({
    name: 'projection_lag_events',
    help: 'Events in the log not yet applied by a projection (capped)',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  readonly projectionPosition = new Gauge({
    name: 'projection_checkpoint_position',
    help: 'Last log position applied by a projection',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  readonly parkedStreams = new Gauge({
    name: 'projection_parked_streams',
    help: 'Streams (members) a projection parked at an event it could not apply; their reads answer READ_MODEL_PARKED',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  readonly relayLag = new Gauge({
    name: 'kafka_relay_lag_events',
    help: 'Events in the log not yet acknowledged by Kafka (capped); absent when the relay is not hosted',
    registers: [this.registry],
  });

  readonly relayPoison = new Gauge({
    name: 'kafka_relay_dead_letters',
    help: 'Events the relay could not publish and recorded as dead letters since it started',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
