import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { EventStore } from '@loyalty/event-store';
import { LedgerConfig } from '@loyalty/platform';
import {
  deleteWebhook,
  DeliveryStatus,
  listDeliveries,
  listWebhooks,
  logHead,
  putWebhook,
  replayParked,
  TargetPolicy,
  TargetRefusedError,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_LIMITS,
  webhookExists,
} from '@loyalty/webhooks';
import { ApiError } from '../http/api-error';
import { Roles } from '../http/auth';
import { ClientIdPipe, PageLimitPipe } from '../http/params';
import { Clock, CLOCK, EVENT_STORE, LEDGER_CONFIG, READ_MODELS } from '../tokens';
import { PutWebhookDto } from './webhooks.dto';
import { ApiOperationSpec, BODY_ERRORS, ClientIdParam, KEY_ERRORS, LimitQuery } from '../http/openapi-operation';
import { Responses } from '../http/openapi-schemas';

const DELIVERIES_PAGE_DEFAULT = 100;
const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'delivered', 'parked'];
const KNOWN_EVENT_TYPES = new Set(WEBHOOK_EVENT_TYPES);

/** Operators' webhooks (docs/webhooks.md): registration, what was delivered, and the replay of what was parked. */
@ApiTags('webhooks')
@ApiSecurity('api-key')
@Controller('v1/webhooks')
export class WebhooksController {
  private readonly targets: TargetPolicy;

  constructor(
    @Inject(READ_MODELS) private readonly db: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LEDGER_CONFIG) config: LedgerConfig,
  ) {
    this.targets = new TargetPolicy(config.webhooks);
  }

  /** Creates or replaces; a new webhook hears what is written from now on. */
  @ClientIdParam('webhookId', 'crm')
  @ApiOperationSpec({
    operationId: 'putWebhook',
    summary: 'Create or replace a webhook',
    success: { status: 201, schema: Responses.webhook },
    errors: [...KEY_ERRORS, ...BODY_ERRORS, 422],
  })
  @Put(':webhookId')
  @HttpCode(201)
  @Roles('admin')
  async put(@Param('webhookId', ClientIdPipe) webhookId: string, @Body() body: PutWebhookDto) {
    const unknown = body.eventTypes.filter((type) => !KNOWN_EVENT_TYPES.has(type));
    if (unknown.length > 0) {
      throw new ApiError(400, 'UNKNOWN_EVENT_TYPE', `no event or notification type ${unknown.join(', ')}`, {
        eventTypes: unknown,
        known: [...KNOWN_EVENT_TYPES],
      });
    }
    const url = await this.checkedTarget(body.url);
    if (!(await webhookExists(this.db, webhookId)) && (await listWebhooks(this.db)).length >= WEBHOOK_LIMITS.webhooksMax) {
      throw new ApiError(422, 'WEBHOOK_LIMIT_REACHED', `at most ${WEBHOOK_LIMITS.webhooksMax} webhooks`, {
        max: WEBHOOK_LIMITS.webhooksMax,
      });
    }
    const head = await logHead(this.store, this.db);
    const registration = { webhookId, url: url.href, eventTypes: [...new Set(body.eventTypes)], secret: body.secret };
    return putWebhook(this.db, registration, head ?? null, this.clock.now());
  }

  @ApiOperationSpec({
    operationId: 'listWebhooks',
    summary: 'Every webhook',
    success: { status: 200, schema: Responses.webhooks },
    errors: [...KEY_ERRORS],
  })
  @Get()
  @Roles('admin')
  async list() {
    return { webhooks: await listWebhooks(this.db) };
  }

  @ClientIdParam('webhookId', 'crm')
  @ApiOperationSpec({
    operationId: 'deleteWebhook',
    summary: 'Delete a webhook',
    success: { status: 204 },
    errors: [...KEY_ERRORS, 400, 404],
  })
  @Delete(':webhookId')
  @HttpCode(204)
  @Roles('admin')
  async remove(@Param('webhookId', ClientIdPipe) webhookId: string): Promise<void> {
    if (!(await deleteWebhook(this.db, webhookId))) throw notFound(webhookId);
  }

  @ClientIdParam('webhookId', 'crm')
  @ApiOperationSpec({
    operationId: 'listWebhookDeliveries',
    summary: 'A webhook’s deliveries, newest first',
    success: { status: 200, schema: Responses.deliveries },
    errors: [...KEY_ERRORS, 400, 404],
  })
  @Get(':webhookId/deliveries')
  @Roles('admin')
  @ApiQuery({ name: 'status', required: false, enum: DELIVERY_STATUSES })
  @LimitQuery(WEBHOOK_LIMITS.deliveriesPageMax, DELIVERIES_PAGE_DEFAULT)
  @ApiQuery({
    name: 'before',
    required: false,
    schema: { type: 'string', pattern: '^\\d{1,18}$' },
    description: 'the `next` of the previous page',
  })
  async deliveries(
    @Param('webhookId', ClientIdPipe) webhookId: string,
    @Query('status') status: string | undefined,
    @Query('before') before: string | undefined,
    @Query('limit', new PageLimitPipe(DELIVERIES_PAGE_DEFAULT, WEBHOOK_LIMITS.deliveriesPageMax)) limit = DELIVERIES_PAGE_DEFAULT,
  ) {
    if (status !== undefined && !DELIVERY_STATUSES.includes(status as DeliveryStatus)) {
      throw new ApiError(400, 'INVALID_STATUS', `status must be one of ${DELIVERY_STATUSES.join(', ')}`, { parameter: 'status' });
    }
    if (before !== undefined && !/^\d{1,18}$/.test(before)) {
      throw new ApiError(400, 'INVALID_CURSOR', 'before must be the next of a previous page', { parameter: 'before' });
    }
    if (!(await webhookExists(this.db, webhookId))) throw notFound(webhookId);
    const filter = { status: status as DeliveryStatus | undefined, before: before === undefined ? undefined : BigInt(before), limit };
    return { webhookId, ...(await listDeliveries(this.db, webhookId, filter)) };
  }

  /** Every parked delivery of the webhook back in the queue, due now, with a fresh retry window. */
  @ClientIdParam('webhookId', 'crm')
  @ApiOperationSpec({
    operationId: 'replayWebhookDeliveries',
    summary: 'Queue a webhook’s parked deliveries again',
    success: { status: 200, schema: Responses.replay },
    errors: [...KEY_ERRORS, 400, 404],
  })
  @Post(':webhookId/deliveries/replay')
  @HttpCode(200)
  @Roles('admin')
  async replay(@Param('webhookId', ClientIdPipe) webhookId: string) {
    if (!(await webhookExists(this.db, webhookId))) throw notFound(webhookId);
    return { webhookId, replayed: await replayParked(this.db, webhookId, new Date()) };
  }

  private async checkedTarget(raw: string): Promise<URL> {
    try {
      return await this.targets.check(raw);
    } catch (error) {
      if (!(error instanceof TargetRefusedError)) throw error;
      throw new ApiError(error.code === 'WEBHOOK_URL_INVALID' ? 400 : 422, error.code, error.message, { field: 'url' });
    }
  }
}

const notFound = (webhookId: string) => new ApiError(404, 'WEBHOOK_NOT_FOUND', `no webhook ${webhookId}`, { webhookId });
