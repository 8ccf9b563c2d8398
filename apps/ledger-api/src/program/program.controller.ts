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
    const command = new ConfigureProgramCommand({ type: 'ConfigureProgram', policy: toPolicy(body), occurredAt: this.clock.nowIso() });
    const { changed, version, position } = await this.commands.execute(command);
    return written(reply, changed, { version, position });
  }

  @Get()
  @Roles('admin', 'pos', 'analyst', 'auditor')
  async current() {
    const state = await this.programs.state();
    if (!state.policy) throw new ApiError(404, 'PROGRAM_NOT_CONFIGURED', 'the program has no configuration yet');
    return { version: state.version, configuredAt: state.configuredAt, ...fromPolicy(state.policy) };
  }
}
