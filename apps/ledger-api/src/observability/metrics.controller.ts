import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { EventStore } from '@loyalty/event-store';
import { LedgerMetrics } from '@loyalty/platform';
import { DataSource } from 'typeorm';
import { eventsBehind, parkedStreamCounts, Projector } from '@loyalty/read-models';
import { Roles } from '../http/auth';
import { LedgerReactions, REACTIONS_PROJECTION } from '../reactions/ledger-reactions';
import { EVENT_STORE, METRICS, PROJECTOR, READ_MODELS, RELAY } from '../tokens';
import { KafkaRelay } from '@loyalty/messaging';
import { ApiOperationSpec, KEY_ERRORS } from '../http/openapi-operation';

/**
 * Prometheus text format, for the admin key only: the business counters
 * (points issued and redeemed, purchases) are the program's figures, and the
 * route and latency series map the API for whoever reads them.
 */
@ApiTags('health')
@ApiSecurity('api-key')
@Roles('admin')
@Controller()
export class MetricsController {
  constructor(
    @Inject(METRICS) private readonly metrics: LedgerMetrics,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTOR) private readonly projector: Projector | null,
    private readonly reactions: LedgerReactions,
    @Inject(RELAY) private readonly relay: KafkaRelay | null,
    @Inject(READ_MODELS) private readonly db: DataSource,
  ) {}

  @ApiOperationSpec({
    operationId: 'getMetrics',
    summary: 'Prometheus metrics (text format)',
    success: { status: 200, mediaType: 'text/plain', schema: { type: 'string' } },
    errors: KEY_ERRORS,
  })
  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4')
  async scrape(): Promise<string> {
    const projections = [
      { name: this.projector?.name ?? 'ledger', status: this.projector?.status() },
      { name: REACTIONS_PROJECTION, status: this.reactions.status() },
    ];
    const parked = await parkedStreamCounts(this.db.manager).catch(() => undefined);
    for (const { name, status } of projections) {
      if (!status) continue;
      if (parked) this.metrics.parkedStreams.set({ projection: name }, parked.get(name) ?? 0);
      if (status.position !== undefined) this.metrics.projectionPosition.set({ projection: name }, Number(status.position));
      this.metrics.projectionLag.set({ projection: name }, await eventsBehind(this.store, status.position).catch(() => -1));
    }
    const relay = this.relay?.status();
    if (relay) {
      this.metrics.relayLag.set(relay.lagEvents ?? 0);
      this.metrics.recordRelayDeadLetters(relay.poisonEvents);
    }
    return this.metrics.registry.metrics();
  }
}
