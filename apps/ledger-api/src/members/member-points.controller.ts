import { Body, Controller, Delete, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Actor, Roles } from '../http/auth';
import { ClientIdPipe } from '../http/params';
import { requestHash } from '../http/request-hash';
import { AdjustPointsCommand, ErasePersonalDataCommand, RecordActionCommand, TransferPointsCommand } from './member-points.handlers';
import { AdjustPointsDto, RecordActionDto, TransferPointsDto } from './members.dto';

/** Bonus actions, manual adjustments and transfers on one member's points. */
@ApiTags('members')
@ApiSecurity('api-key')
@Controller('v1/members/:memberId')
export class MemberPointsController {
  constructor(private readonly commands: CommandBus) {}

  @Post('actions')
  @Roles('admin', 'pos')
  async action(
    @Param('memberId', ClientIdPipe) memberId: string,
    @Body() body: RecordActionDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.reply(reply, await this.commands.execute(new RecordActionCommand(memberId, body, requestHash('action', body))));
  }

  @Post('adjustments')
  @Roles('admin')
  async adjust(
    @Param('memberId', ClientIdPipe) memberId: string,
    @Body() body: AdjustPointsDto,
    @Actor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.reply(reply, await this.commands.execute(new AdjustPointsCommand(memberId, body, actor, requestHash('adjustment', body))));
  }

  @Post('transfers')
  @Roles('admin', 'pos')
  async transfer(
    @Param('memberId', ClientIdPipe) memberId: string,
    @Body() body: TransferPointsDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.reply(reply, await this.commands.execute(new TransferPointsCommand(memberId, body, requestHash('transfer', body))));
  }

  /** Crypto-shredding: the member's personal data becomes unreadable; balances, ledger and audit stay intact. */
  @Delete('personal-data')
  @Roles('admin')
  async erase(@Param('memberId', ClientIdPipe) memberId: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.reply(reply, await this.commands.execute(new ErasePersonalDataCommand(memberId)));
  }

  private reply<T extends { created: boolean }>(reply: FastifyReply, { created, ...result }: T) {
    void reply.status(created ? 201 : 200);
    return result;
  }
}
