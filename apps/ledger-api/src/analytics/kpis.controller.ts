import { Controller, Get, Query } from '@nestjs/common';
import { ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Roles } from '../http/auth';
import { ReadConsistency } from '../http/read-consistency';
import { ClockService } from '../ledger/clock.service';
import { AnalyticsQueries } from './analytics-queries';
import { KpiQueries } from './kpi-queries';
import { ApiOperationSpec, KEY_ERRORS, MinPositionQuery, READ_ERRORS } from '../http/openapi-operation';
import { Responses } from '../http/openapi-schemas';

@ApiTags('analytics')
@ApiSecurity('api-key')
@Controller('v1/kpis')
export class KpisController {
  constructor(
    private readonly kpis: KpiQueries,
    private readonly analytics: AnalyticsQueries,
    private readonly consistency: ReadConsistency,
    private readonly clock: ClockService,
  ) {}

  /** Buckets by the events' occurredAt in UTC; `to` is exclusive and defaults to tomorrow, `from` to 30 days before `to`. */
  @ApiOperationSpec({
    operationId: 'getKpis',
    summary: 'Program KPIs per day, week or month',
    success: { status: 200, schema: Responses.kpis },
    errors: [...KEY_ERRORS, ...READ_ERRORS],
  })
  @Get()
  @Roles('admin', 'analyst')
  @ApiQuery({ name: 'from', required: false, schema: { type: 'string', format: 'date', example: '2026-01-01' } })
  @ApiQuery({ name: 'to', required: false, schema: { type: 'string', format: 'date', example: '2026-02-01' } })
  @ApiQuery({ name: 'granularity', required: false, enum: ['day', 'week', 'month'] })
  @MinPositionQuery()
  async get(
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('granularity') granularity?: string,
    @Query('minPosition') minPosition?: string,
  ) {
    await this.consistency.atLeast(minPosition);
    const asOfPosition = await this.analytics.asOfPosition();
    return { ...(await this.kpis.kpis(from, to, granularity, this.clock.nowIso().slice(0, 10))), asOfPosition };
  }
}
