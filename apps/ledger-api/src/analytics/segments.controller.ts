import { Body, Controller, Delete, Get, Param, Put, Query, Res } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Roles } from '../http/auth';
import { ClientIdPipe, PageLimitPipe } from '../http/params';
import { ReadConsistency } from '../http/read-consistency';
import { written } from '../http/written';
import { ClockService } from '../ledger/clock.service';
import { AnalyticsQueries, SEGMENT_PAGE_SIZE_DEFAULT, SEGMENT_PAGE_SIZE_MAX } from './analytics-queries';
import { SegmentDefinitions } from './segment-definitions';
import { DefineSegmentDto, SegmentThresholdsDto } from './segments.dto';
import {
  ApiOperationSpec,
  BODY_ERRORS,
  ClientIdParam,
  CursorQuery,
  KEY_ERRORS,
  LimitQuery,
  MinPositionQuery,
  READ_ERRORS,
} from '../http/openapi-operation';
import { Responses } from '../http/openapi-schemas';

@ApiTags('analytics')
@ApiSecurity('api-key')
@Controller('v1/segments')
export class SegmentsController {
  constructor(
    private readonly queries: AnalyticsQueries,
    private readonly definitions: SegmentDefinitions,
    private readonly consistency: ReadConsistency,
    private readonly clock: ClockService,
  ) {}

  @ApiOperationSpec({
    operationId: 'listSegments',
    summary: 'Segments, their definitions and member counts',
    success: { status: 200, schema: Responses.segments },
    errors: [...KEY_ERRORS, ...READ_ERRORS],
  })
  @Get()
  @Roles('admin', 'analyst')
  @MinPositionQuery()
  async list(@Query('minPosition') minPosition?: string) {
    await this.consistency.atLeast(minPosition);
    const asOfPosition = await this.queries.asOfPosition();
    return { ...(await this.queries.segments()), evaluatedAsOf: await this.queries.evaluatedAsOf(), asOfPosition };
  }

  /** Built-in segments' thresholds; the change re-evaluates every member. Static route: it wins over :name. */
  @ApiOperationSpec({
    operationId: 'changeSegmentThresholds',
    summary: 'Change the built-in segments’ thresholds',
    success: { written: Responses.segmentWrite },
    errors: [...KEY_ERRORS, ...BODY_ERRORS, 422, 503],
  })
  @Put('thresholds')
  @Roles('admin')
  async thresholds(@Body() body: SegmentThresholdsDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.definitions.execute({
      type: 'ChangeSegmentThresholds',
      thresholds: body.thresholds,
      occurredAt: this.clock.nowIso(),
    });
    return written(reply, result.changed, { position: result.position });
  }

  @ClientIdParam('name', 'big-spenders')
  @ApiOperationSpec({
    operationId: 'listSegmentMembers',
    summary: 'The members of a segment',
    success: { status: 200, schema: Responses.segmentMembers },
    errors: [...KEY_ERRORS, ...READ_ERRORS, 404],
  })
  @Get(':name/members')
  @Roles('admin', 'analyst')
  @CursorQuery()
  @LimitQuery(SEGMENT_PAGE_SIZE_MAX, SEGMENT_PAGE_SIZE_DEFAULT)
  @MinPositionQuery()
  async members(
    @Param('name', ClientIdPipe) name: string,
    @Query('cursor') cursor?: string,
    @Query('limit', new PageLimitPipe(SEGMENT_PAGE_SIZE_DEFAULT, SEGMENT_PAGE_SIZE_MAX)) limit = SEGMENT_PAGE_SIZE_DEFAULT,
    @Query('minPosition') minPosition?: string,
  ) {
    await this.consistency.atLeast(minPosition);
    const asOfPosition = await this.queries.asOfPosition();
    return { ...(await this.queries.members(name, cursor, limit)), evaluatedAsOf: await this.queries.evaluatedAsOf(), asOfPosition };
  }

  /** Defines or replaces a custom segment; the same definition again records nothing (200). */
  @ClientIdParam('name', 'big-spenders')
  @ApiOperationSpec({
    operationId: 'defineSegment',
    summary: 'Define or replace a custom segment',
    success: { written: Responses.segmentWrite },
    errors: [...KEY_ERRORS, ...BODY_ERRORS, 422, 503],
  })
  @Put(':name')
  @Roles('admin')
  async define(@Param('name', ClientIdPipe) name: string, @Body() body: DefineSegmentDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.definitions.execute({
      type: 'DefineSegment',
      name,
      description: body.description ?? '',
      criteria: body.criteria,
      occurredAt: this.clock.nowIso(),
    });
    return written(reply, result.changed, { name, position: result.position });
  }

  @ClientIdParam('name', 'big-spenders')
  @ApiOperationSpec({
    operationId: 'removeSegment',
    summary: 'Remove a custom segment',
    success: { status: 200, schema: Responses.segmentWrite },
    errors: [...KEY_ERRORS, 400, 404, 422, 503],
  })
  @Delete(':name')
  @Roles('admin')
  async remove(@Param('name', ClientIdPipe) name: string) {
    const result = await this.definitions.execute({ type: 'RemoveSegment', name, occurredAt: this.clock.nowIso() });
    return { name, position: result.position };
  }
}
