import { Body, Controller, Get, Put, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Roles } from '../http/auth';
import { ApiError } from '../http/api-error';
import { written } from '../http/written';
import { ProgramStore } from '../ledger/program-store';
import { ConfigureProgramCommand } from './configure-program.handler';
import { ProgramDto } from './program.dto';
import { fromPolicy, toPolicy } from './program-mapping';
import { ClockService } from '../ledger/clock.service';
import { SegmentDefinitions } from '../analytics/segment-definitions';
import { ProgramPolicy, resolveRewardSegments, resolveRuleSegments, segmentsInForce } from '@loyalty/domain';
import { ApiOperationSpec, BODY_ERRORS, KEY_ERRORS } from '../http/openapi-operation';
import { Responses } from '../http/openapi-schemas';

@ApiTags('program')
@ApiSecurity('api-key')
@Controller('v1/program')
export class ProgramController {
  constructor(
    private readonly commands: CommandBus,
    private readonly programs: ProgramStore,
    private readonly clock: ClockService,
    private readonly segments: SegmentDefinitions,
  ) {}

  /** Replaces the configuration; an identical one records no new version (200), a change records one (201). */
  @ApiOperationSpec({
    operationId: 'configureProgram',
    summary: 'Replace the program configuration',
    success: { written: Responses.programVersion },
    errors: [...KEY_ERRORS, ...BODY_ERRORS, 422, 503],
  })
  @Put()
  @Roles('admin')
  async configure(@Body() body: ProgramDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const policy = await this.withRuleSegments(toPolicy(body));
    const command = new ConfigureProgramCommand({ type: 'ConfigureProgram', policy, occurredAt: this.clock.nowIso() });
    const { changed, version, position } = await this.commands.execute(command);
    return written(reply, changed, { version, position });
  }

  /** Earning rules and rewards that name a segment keep its criteria as defined now (built-in thresholds and custom segments alike). */
  private async withRuleSegments(policy: ProgramPolicy): Promise<ProgramPolicy> {
    const rules = policy.earning.rules;
    const rulesNameOne = rules?.some((r) => r.when.segment !== undefined) ?? false;
    if (!rulesNameOne && !policy.rewards.some((r) => r.segment !== undefined)) return policy;
    const segments = segmentsInForce(await this.segments.state());
    return {
      ...policy,
      earning: rules ? { ...policy.earning, rules: resolveRuleSegments(rules, segments) } : policy.earning,
      rewards: resolveRewardSegments(policy.rewards, segments),
    };
  }

  @ApiOperationSpec({
    operationId: 'getProgram',
    summary: 'The program in force and its version',
    success: { status: 200, schema: Responses.program },
    errors: [...KEY_ERRORS, 404],
  })
  @Get()
  @Roles('admin', 'pos', 'analyst', 'auditor')
  async current() {
    const state = await this.programs.state();
    if (!state.policy) throw new ApiError(404, 'PROGRAM_NOT_CONFIGURED', 'the program has no configuration yet');
    return { version: state.version, configuredAt: state.configuredAt, ...fromPolicy(state.policy) };
  }
}
