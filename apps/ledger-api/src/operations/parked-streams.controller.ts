import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { listParkedStreams, Projector, RetryOutcome } from '@loyalty/read-models';
import { WEBHOOK_CONSUMER, WebhookWorker } from '@loyalty/webhooks';
import { ApiError } from '../http/api-error';
import { Roles } from '../http/auth';
import { PageLimitPipe } from '../http/params';
import { LedgerReactions, REACTIONS_PROJECTION } from '../reactions/ledger-reactions';
import { PROJECTOR, READ_MODELS, WEBHOOKS } from '../tokens';
import { ApiOperationSpec, KEY_ERRORS, LimitQuery } from '../http/openapi-operation';
import { Responses } from '../http/openapi-schemas';

export const PARKED_PAGE_SIZE_MAX = 500;
const PARKED_PAGE_SIZE_DEFAULT = 100;

/**
 * Streams a consumer parked at an event it could not apply, and their retry
 * once the cause is fixed (a new release, a repaired row). The events stay
 * in the log; a retry applies the held-back ones in order, all or none.
 */
@ApiTags('admin')
@ApiSecurity('api-key')
@Controller('v1/admin/parked-streams')
export class ParkedStreamsController {
  constructor(
    @Inject(READ_MODELS) private readonly db: DataSource,
    @Inject(PROJECTOR) private readonly projector: Projector | null,
    private readonly reactions: LedgerReactions,
    @Inject(WEBHOOKS) private readonly webhooks: WebhookWorker,
  ) {}

  @ApiOperationSpec({
    operationId: 'listParkedStreams',
    summary: 'Streams a consumer parked at an event it could not apply',
    success: { status: 200, schema: Responses.parkedStreams },
    errors: [...KEY_ERRORS, 400],
  })
  @Get()
  @Roles('admin')
  @LimitQuery(PARKED_PAGE_SIZE_MAX, PARKED_PAGE_SIZE_DEFAULT)
  async list(@Query('limit', new PageLimitPipe(PARKED_PAGE_SIZE_DEFAULT, PARKED_PAGE_SIZE_MAX)) limit = PARKED_PAGE_SIZE_DEFAULT) {
    return { parkedStreams: await listParkedStreams(this.db.manager, limit) };
  }

  @ApiOperationSpec({
    operationId: 'retryParkedStream',
    summary: 'Apply a parked stream’s held-back events again',
    success: { status: 200, schema: Responses.retryOutcome },
    errors: [...KEY_ERRORS, 404, 503],
  })
  @Post(':consumer/:streamId/retry')
  @HttpCode(200)
  @Roles('admin')
  async retry(@Param('consumer') consumer: string, @Param('streamId') streamId: string): Promise<RetryOutcome> {
    const outcome = await this.consumer(consumer).retryParked(streamId);
    if (outcome.status === 'not-parked')
      throw new ApiError(404, 'STREAM_NOT_PARKED', `${consumer} has not parked ${streamId}`, { consumer, streamId });
    return outcome;
  }

  private consumer(name: string): { retryParked(streamId: string): Promise<RetryOutcome> } {
    if (name === REACTIONS_PROJECTION) return this.reactions;
    if (name === WEBHOOK_CONSUMER) return this.webhooks;
    if (this.projector && name === this.projector.name) return this.projector;
    throw new ApiError(404, 'CONSUMER_NOT_FOUND', `no consumer ${name} in this process`, { consumer: name });
  }
}
