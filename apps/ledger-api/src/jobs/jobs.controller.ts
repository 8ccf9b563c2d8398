import { Body, Controller, HttpCode, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiExtraModels, getSchemaPath, ApiPropertyOptional, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { Roles } from '../http/auth';
import { ReadConsistency } from '../http/read-consistency';
import { IsInstant } from '../http/validators';
import { SettleMembersCommand, SettlementReport } from './settle-members.handler';
import { ApiOperationSpec, BODY_ERRORS, KEY_ERRORS, MinPositionQuery, READ_ERRORS } from '../http/openapi-operation';
import { Responses } from '../http/openapi-schemas';

export class RunExpiryJobDto {
  @ApiPropertyOptional({ example: '2026-11-23T00:00:00Z', description: 'Default now; never in the future' })
  @IsOptional()
  @IsInstant()
  asOf?: string;
}

@ApiTags('admin')
@ApiSecurity('api-key')
@Controller('v1/admin/jobs')
export class JobsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly consistency: ReadConsistency,
  ) {}

  /**
   * Activates pending lots and expires lots up to asOf (plus birthday bonuses
   * and yearly tier requalification). `?minPosition=` first lets the member
   * index catch up with writes the caller just made.
   */
  @ApiOperationSpec({
    operationId: 'runDailyJob',
    summary: 'Run the daily job now: activation, expiry, birthdays, tiers',
    success: { status: 200, schema: Responses.settlement },
    errors: [...KEY_ERRORS, ...BODY_ERRORS, ...READ_ERRORS],
  })
  @ApiExtraModels(RunExpiryJobDto)
  @ApiBody({
    required: false,
    description: 'optional: no body runs the job as of now (null is no body)',
    schema: { allOf: [{ $ref: getSchemaPath(RunExpiryJobDto) }], nullable: true },
  })
  @Post('expire')
  @HttpCode(200)
  @Roles('admin')
  @MinPositionQuery()
  async run(@Body() body: RunExpiryJobDto, @Query('minPosition') minPosition?: string): Promise<SettlementReport> {
    await this.consistency.atLeast(minPosition);
    return this.commands.execute(new SettleMembersCommand(body?.asOf ?? undefined));
  }
}
