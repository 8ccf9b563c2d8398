import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Roles } from '../http/auth';
import { requestHash } from '../http/request-hash';
import { ClientIdPipe } from '../http/params';
import { RecordPurchaseDto, RedeemPointsDto, RefundPurchaseDto, ReverseRedemptionDto } from './points.dto';
import { RefundPurchaseCommand, RefundPurchaseReply } from './refund-purchase.handler';
import { ReverseRedemptionCommand, ReverseRedemptionReply } from './reverse-redemption.handler';
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

  @Post('purchases/:transactionId/refunds')
  @Roles('admin', 'pos')
  async refund(
    @Param('transactionId', ClientIdPipe) transactionId: string,
    @Body() body: RefundPurchaseDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { created, ...result }: RefundPurchaseReply = await this.commands.execute(
      new RefundPurchaseCommand(transactionId, body, requestHash(`refund:${transactionId}`, body)),
    );
    void reply.status(created ? 201 : 200);
    return result;
  }

  @Post('redemptions/:redemptionId/reversal')
  @Roles('admin', 'pos')
  async reverse(
    @Param('redemptionId', ClientIdPipe) redemptionId: string,
    @Body() body: ReverseRedemptionDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { created, ...result }: ReverseRedemptionReply = await this.commands.execute(
      new ReverseRedemptionCommand(redemptionId, body ?? {}, requestHash('reversal', { redemptionId })),
    );
    void reply.status(created ? 201 : 200);
    return result;
  }
}
