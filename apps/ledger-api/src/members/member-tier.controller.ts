import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Actor, Roles } from '../http/auth';
import { ClientIdPipe } from '../http/params';
import { written } from '../http/written';
import { ChangeTierDto } from './members.dto';
import { MemberRequests } from './members.requests';
import { ApiOperationSpec, ClientIdParam, KEY_ERRORS, WRITE_ERRORS } from '../http/openapi-operation';
import { Responses } from '../http/openapi-schemas';

/** An admin's tier change: held until `until`, then the program's tier policy takes over (docs/programs/tiers.md). */
@ApiTags('members')
@ApiSecurity('api-key')
@Controller('v1/members/:memberId')
export class MemberTierController {
  constructor(
    private readonly commands: CommandBus,
    private readonly requests: MemberRequests,
  ) {}

  @ClientIdParam('memberId', 'm-1001')
  @ApiOperationSpec({
    operationId: 'changeMemberTier',
    summary: 'Set a member’s tier, with a reason and an optional end',
    success: { written: Responses.tierChange },
    errors: [...KEY_ERRORS, ...WRITE_ERRORS],
  })
  @Post('tier')
  @Roles('admin')
  async change(
    @Param('memberId', ClientIdPipe) memberId: string,
    @Body() body: ChangeTierDto,
    @Actor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { created, result, position } = await this.commands.execute(await this.requests.tierChange(memberId, body, actor));
    return written(reply, created, {
      changeId: body.changeId,
      memberId,
      from: result.from,
      tier: result.tier,
      until: result.until,
      position,
    });
  }
}
