import { Controller, Get, Headers, Inject, Query, Res } from '@nestjs/common';
import { ApiProduces, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { auditLiability, auditMemberships, auditReconciliation, auditRollForward, reportToCsv } from '@loyalty/audit';
import { EventStore } from '@loyalty/event-store';
import { Roles } from '../http/auth';
import { CLOCK, Clock, EVENT_STORE, READ_MODELS } from '../tokens';
import { flagParam, instantParam, periodParams, positionParam } from './audit-params';
import { ApiOperationSpec, KEY_ERRORS } from '../http/openapi-operation';
import { Responses } from '../http/openapi-schemas';

const CSV = 'text/csv';
const CSV_REPORT = { mediaType: CSV, schema: { type: 'string', description: 'the same figures as CSV' } } as const;

/**
 * Finance audit computed from the event log itself (docs/audit.md), never from a
 * read model; reconciliation is where the two meet. Every answer carries
 * eventsRead and lastPosition, and `atPosition=lastPosition` reproduces it.
 */
@ApiTags('audit')
@ApiSecurity('api-key')
@ApiProduces('application/json', CSV)
@Controller('v1/audit')
@Roles('auditor', 'admin')
export class AuditController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @ApiOperationSpec({
    operationId: 'getLiabilityReport',
    summary: 'Points and coupon liability as of an instant, from the log',
    success: { status: 200, schema: Responses.auditReport },
    errors: [...KEY_ERRORS, 400],
    alsoProduces: CSV_REPORT,
  })
  @Get('liability')
  @ApiQuery({
    name: 'asOf',
    required: false,
    schema: { type: 'string', format: 'date-time' },
    description: 'ISO 8601 with offset; default now; never in the future. Events dated at asOf count.',
  })
  @ApiQuery({
    name: 'atPosition',
    required: false,
    schema: { type: 'string', pattern: '^\\d{0,20}$' },
    description: 'Read the log only up to this position (reproduces an earlier report)',
  })
  @ApiQuery({
    name: 'byMember',
    required: false,
    schema: { type: 'string', enum: ['true', 'false'] },
    description: 'true: one balance per member',
  })
  async liability(
    @Res({ passthrough: true }) reply: FastifyReply,
    @Headers('accept') accept?: string,
    @Query('asOf') asOf?: string,
    @Query('atPosition') atPosition?: string,
    @Query('byMember') byMember?: string,
  ) {
    const nowMs = this.clock.now().getTime();
    const asOfMs = asOf === undefined ? nowMs : instantParam('asOf', asOf, nowMs);
    const options = { atPosition: positionParam(atPosition), byMember: flagParam('byMember', byMember) };
    return respond(reply, accept, await auditLiability(this.store, asOfMs, options));
  }

  @ApiOperationSpec({
    operationId: 'getRollForwardReport',
    summary: 'Opening, movements and closing over a period, from the log',
    success: { status: 200, schema: Responses.auditReport },
    errors: [...KEY_ERRORS, 400],
    alsoProduces: CSV_REPORT,
  })
  @Get('roll-forward')
  @ApiQuery({
    name: 'from',
    required: true,
    schema: { type: 'string', format: 'date-time' },
    description: 'Period start, exclusive: events dated at from are in the opening balance',
  })
  @ApiQuery({
    name: 'to',
    required: true,
    schema: { type: 'string', format: 'date-time' },
    description: 'Period end, inclusive; never in the future',
  })
  @ApiQuery({
    name: 'atPosition',
    required: false,
    schema: { type: 'string', pattern: '^\\d{0,20}$' },
    description: 'Read the log only up to this position',
  })
  @ApiQuery({
    name: 'byMember',
    required: false,
    schema: { type: 'string', enum: ['true', 'false'] },
    description: 'true: the roll-forward of every member',
  })
  async rollForward(
    @Res({ passthrough: true }) reply: FastifyReply,
    @Headers('accept') accept?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('atPosition') atPosition?: string,
    @Query('byMember') byMember?: string,
  ) {
    const { fromMs, toMs } = periodParams(from, to, this.clock.now().getTime());
    const options = { atPosition: positionParam(atPosition), byMember: flagParam('byMember', byMember) };
    return respond(reply, accept, await auditRollForward(this.store, fromMs, toMs, options));
  }

  @ApiOperationSpec({
    operationId: 'getMembershipRevenueReport',
    summary: 'Deferred and recognised membership revenue as of an instant',
    success: { status: 200, schema: Responses.auditReport },
    errors: [...KEY_ERRORS, 400],
    alsoProduces: CSV_REPORT,
  })
  @Get('memberships')
  @ApiQuery({
    name: 'asOf',
    required: false,
    schema: { type: 'string', format: 'date-time' },
    description: 'ISO 8601 with offset; default now; never in the future',
  })
  @ApiQuery({
    name: 'atPosition',
    required: false,
    schema: { type: 'string', pattern: '^\\d{0,20}$' },
    description: 'Read the log only up to this position (reproduces an earlier report)',
  })
  async memberships(
    @Res({ passthrough: true }) reply: FastifyReply,
    @Headers('accept') accept?: string,
    @Query('asOf') asOf?: string,
    @Query('atPosition') atPosition?: string,
  ) {
    const nowMs = this.clock.now().getTime();
    const asOfMs = asOf === undefined ? nowMs : instantParam('asOf', asOf, nowMs);
    return respond(reply, accept, await auditMemberships(this.store, asOfMs, { atPosition: positionParam(atPosition) }));
  }

  @ApiOperationSpec({
    operationId: 'getReconciliationReport',
    summary: 'Event-log totals against the read models',
    success: { status: 200, schema: Responses.auditReport },
    errors: [...KEY_ERRORS, 503],
    alsoProduces: CSV_REPORT,
  })
  @Get('reconciliation')
  async reconciliation(@Res({ passthrough: true }) reply: FastifyReply, @Headers('accept') accept?: string) {
    return respond(reply, accept, await auditReconciliation(this.store, this.readModels));
  }
}

/** JSON unless the client asks for CSV; the CSV carries the same figures, including eventsRead and lastPosition. */
function respond(reply: FastifyReply, accept: string | undefined, report: object): object | string {
  if (!accept?.toLowerCase().includes(CSV)) return report;
  void reply.header('content-type', `${CSV}; charset=utf-8`);
  return reportToCsv(report);
}
