import { Body, Controller, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Roles } from '../http/auth';
import { requestHash } from '../http/request-hash';
import { RecordPurchaseDto, RedeemPointsDto } from './points.dto';
import { RecordPurchaseCommand, RecordPurchaseReply } from './record-purchase.handler';
import { RedeemPointsCommand, RedeemPointsReply } from './redeem-points.handler';

/** First write of an id: 201. The same id and body again: 200 with the original result. */
@ApiTags('points')
@ApiSecurity('api-key')
@Controller('v1')
export class PointsController {
  constructor(private readonly commands: CommandBus) {}

  @Post('purchases')
  @Roles('admin', 'pos')
  async purchase(@Body() body: RecordPurchaseDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const { created, ...result }: RecordPurchaseReply = await this.commands.execute(
      new RecordPurchaseCommand(body, requestHash('purchase', body)),
    );
    void reply.status(created ? 201 : 200);
    return result;
  }

  @Post('redemptions')
  @Roles('admin', 'pos')
  async redeem(@Body() body: RedeemPointsDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const { created, ...result }: RedeemPointsReply = await this.commands.execute(
      new RedeemPointsCommand(body, requestHash('redemption', body)),
    );
    void reply.status(created ? 201 : 200);
    return result;
  }
}
