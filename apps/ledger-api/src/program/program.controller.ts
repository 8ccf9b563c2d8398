import { Body, Controller, Get, Put, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Roles } from '../http/auth';
import { ApiError } from '../http/api-error';
import { ProgramStore } from '../ledger/program-store';
import { ConfigureProgramCommand, ProgramConfiguredReply } from './configure-program.handler';
import { ProgramDto } from './program.dto';
import { fromPolicy, toPolicy } from './program-mapping';
import { ClockService } from '../ledger/clock.service';

@ApiTags('program')
@ApiSecurity('api-key')
@Controller('v1/program')
export class ProgramController {
  constructor(
    private readonly commands: CommandBus,
    private readonly programs: ProgramStore,
    private readonly clock: ClockService,
  ) {}

  /** Replaces the configuration; an identical one records no new version (200), a change records one (201). */
  @Put()
  @Roles('admin')
  async configure(@Body() body: ProgramDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const result: ProgramConfiguredReply = await this.commands.execute(new ConfigureProgramCommand(toPolicy(body), this.clock.nowIso()));
    void reply.status(result.changed ? 201 : 200);
    return { version: result.version, position: result.position };
  }

  @Get()
  @Roles('admin', 'pos', 'analyst', 'auditor')
  async current() {
    const state = await this.programs.state();
    if (!state.policy) throw new ApiError(404, 'PROGRAM_NOT_CONFIGURED', 'the program has no configuration yet');
    return { version: state.version, configuredAt: state.configuredAt, ...fromPolicy(state.policy) };
  }
}
