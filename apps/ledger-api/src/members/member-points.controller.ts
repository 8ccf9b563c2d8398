import { Body, Controller, Delete, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Actor, Roles } from '../http/auth';
import { ClientIdPipe } from '../http/params';
import { written } from '../http/written';
import { AdjustPointsDto, RecordActionDto, TransferPointsDto } from './members.dto';
import { MemberRequests } from './members.requests';
import { ApiOperationSpec, ClientIdParam, KEY_ERRORS, WRITE_ERRORS } from '../http/openapi-operation';
import { Responses } from '../http/openapi-schemas';

/** Bonus actions, manual adjustments and transfers on one member's points. */
@ApiTags('members')
@ApiSecurity('api-key')
@Controller('v1/members/:memberId')
export class MemberPointsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly requests: MemberRequests,
  ) {}

  @ClientIdParam('memberId', 'm-1001')
  @ApiOperationSpec({
    operationId: 'recordAction',
    summary: 'Record a bonus action (review, survey, ...)',
    success: { written: Responses.action },
    errors: [...KEY_ERRORS, ...WRITE_ERRORS],
  })
  @Post('actions')
  @Roles('admin', 'pos')
  async action(
    @Param('memberId', ClientIdPipe) memberId: string,
    @Body() body: RecordActionDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { created, result, position } = await this.commands.execute(await this.requests.action(memberId, body));
    const { pointsAwarded, capReached } = result;
    return written(reply, created, { actionId: body.actionId, type: body.type, pointsAwarded, capReached, position });
  }

  @ClientIdParam('memberId', 'm-1001')
  @ApiOperationSpec({
    operationId: 'adjustPoints',
    summary: 'A manual adjustment, positive or negative, with a reason',
    success: { written: Responses.adjustment },
    errors: [...KEY_ERRORS, ...WRITE_ERRORS],
  })
  @Post('adjustments')
  @Roles('admin')
  async adjust(
    @Param('memberId', ClientIdPipe) memberId: string,
    @Body() body: AdjustPointsDto,
    @Actor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { created, result, position } = await this.commands.execute(await this.requests.adjustment(memberId, body, actor));
    return written(reply, created, { adjustmentId: body.adjustmentId, points: result.points, actor: result.actor, position });
  }

  @ClientIdParam('memberId', 'm-1001')
  @ApiOperationSpec({
    operationId: 'transferPoints',
    summary: 'Transfer points to another member',
    success: { written: Responses.transfer },
    errors: [...KEY_ERRORS, ...WRITE_ERRORS],
  })
  @Post('transfers')
  @Roles('admin', 'pos')
  async transfer(
    @Param('memberId', ClientIdPipe) memberId: string,
    @Body() body: TransferPointsDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { created, result, position } = await this.commands.execute(await this.requests.transfer(memberId, body));
    const { transferId, toMemberId } = body;
    return written(reply, created, { transferId, fromMemberId: memberId, toMemberId, points: result.points, position });
  }

  /** Crypto-shredding: the member's personal data becomes unreadable; balances, ledger and audit stay intact. */
  @ClientIdParam('memberId', 'm-1001')
  @ApiOperationSpec({
    operationId: 'erasePersonalData',
    summary: 'Erase a member’s personal data (crypto-shredding)',
    success: { written: Responses.erasure },
    errors: [...KEY_ERRORS, 400, 404, 409, 503],
  })
  @Delete('personal-data')
  @Roles('admin')
  async erase(@Param('memberId', ClientIdPipe) memberId: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const { created, position } = await this.commands.execute(await this.requests.erasure(memberId));
    return written(reply, created, { memberId, erased: true, position });
  }
}
