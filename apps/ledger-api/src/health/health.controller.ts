import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { EventStore } from '@loyalty/event-store';
import { eventsBehind, LAG_COUNT_CAP, parkedStreamCounts, Projector } from '@loyalty/read-models';

/** Not ready while the read models are this many events or more behind the log. */
const READY_LAG_EVENTS_MAX = 500;
import { Public } from '../http/auth';
import { EVENT_STORE, NOTIFICATION_RELAY, PROJECTOR, READ_MODELS, RELAY, WEBHOOKS } from '../tokens';
import { KafkaRelay, NotificationRelay } from '@loyalty/messaging';
import { WebhookWorker } from '@loyalty/webhooks';
import { ApiOperationSpec } from '../http/openapi-operation';
import { Responses } from '../http/openapi-schemas';

/** Ready only when the store and the read database answer and the projector runs with little lag. */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly db: DataSource,
    @Inject(PROJECTOR) private readonly projector: Projector | null,
    @Inject(RELAY) private readonly relay: KafkaRelay | null,
    @Inject(NOTIFICATION_RELAY) private readonly notificationRelay: NotificationRelay | null,
    @Inject(WEBHOOKS) private readonly webhooks: WebhookWorker,
  ) {}

  @ApiOperationSpec({ operationId: 'getLiveness', summary: 'Liveness probe', success: { status: 200, schema: Responses.live }, errors: [] })
  @Get('live')
  live() {
    return { status: 'live' };
  }

  @ApiOperationSpec({
    operationId: 'getReadiness',
    summary: 'Readiness probe: 200 ready, 503 not ready (same body)',
    success: { status: 200, schema: Responses.ready },
    errors: [],
  })
  @ApiResponse({ status: 503, description: 'Not ready: the same body, with the failing checks', schema: Responses.ready })
  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const [store, database] = await Promise.all([probe(() => this.store.ping()), probe(() => this.db.query('select 1'))]);
    const projector = this.projector?.status();
    const lagEvents = projector && store === 'up' ? await eventsBehind(this.store, projector.position).catch(() => LAG_COUNT_CAP) : null;
    const projectorOk = !projector || (projector.status === 'running' && (lagEvents ?? 0) < READY_LAG_EVENTS_MAX);
    const relay = this.relay?.status();
    const notificationRelay = this.notificationRelay?.status();
    const webhooks = this.webhooks.status();
    const parked = database === 'up' ? await parkedStreamCounts(this.db.manager).catch(() => undefined) : undefined;
    // Parked streams, a failing relay or webhook consumer, a dead-lettered event need an operator, but the ledger still serves: reported, not gating.
    const ready = store === 'up' && database === 'up' && projectorOk;
    void reply.status(ready ? 200 : 503);
    return {
      status: ready ? 'ready' : 'not-ready',
      checks: {
        eventStore: store,
        readDatabase: database,
        projector: projector
          ? {
              status: projector.status,
              position: projector.position === undefined ? null : Number(projector.position),
              lagEvents,
              lastError: projector.lastError ?? null,
            }
          : 'not-hosted',
        parkedStreams: parked ? Object.fromEntries(parked) : null,
        kafkaRelay: relay
          ? {
              status: relay.status,
              degraded: relay.status === 'failing' || relay.poisonEvents > 0,
              lastPosition: relay.lastPosition === undefined ? null : String(relay.lastPosition),
              lagEvents: relay.lagEvents,
              poisonEvents: relay.poisonEvents,
              lastError: relay.lastError ?? null,
            }
          : 'not-hosted',
        kafkaNotificationRelay: notificationRelay
          ? {
              status: notificationRelay.status,
              lastSeq: notificationRelay.lastSeq === undefined ? null : String(notificationRelay.lastSeq),
              producedNotifications: notificationRelay.producedNotifications,
              lastError: notificationRelay.lastError ?? null,
            }
          : 'not-hosted',
        webhooks: {
          status: webhooks.status,
          position: webhooks.position === undefined ? null : String(webhooks.position),
          lastError: webhooks.lastError ?? null,
        },
      },
    };
  }
}

async function probe(check: () => Promise<unknown>): Promise<'up' | 'down'> {
  try {
    await check();
    return 'up';
  } catch {
    return 'down';
  }
}
