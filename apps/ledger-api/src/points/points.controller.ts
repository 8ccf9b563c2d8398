import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Actor, Roles } from '../http/auth';
import { ClientIdPipe } from '../http/params';
import { written } from '../http/written';
import { RecordPurchaseDto, RedeemPointsDto, RefundPurchaseDto, ReverseRedemptionDto } from './points.dto';
import { PointsRequests } from './points.requests';

@ApiTags('points')
@ApiSecurity('api-key')
@Controller('v1')
export class PointsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly requests: PointsRequests,
  ) {}

  @Post('purchases')
  @Roles('admin', 'pos')
  async purchase(@Body() body: RecordPurchaseDto, @Actor() caller: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const { created, result, position } = await this.commands.execute(await this.requests.purchase(body, caller));
    const { pointsAccrued, pendingUntil, couponsApplied } = result;
    // Only a purchase that used coupons answers couponsApplied: every other answer stays as clients have always read it.
    const coupons = couponsApplied.length > 0 ? { couponsApplied } : {};
    return written(reply, created, { transactionId: body.transactionId, pointsAccrued, pendingUntil, position, ...coupons });
  }

  @Post('redemptions')
  @Roles('admin', 'pos')
  async redeem(@Body() body: RedeemPointsDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const { created, result, position } = await this.commands.execute(await this.requests.redemption(body));
    const coupon = result.coupon ? { coupon: result.coupon } : {};
    return written(reply, created, { redemptionId: body.redemptionId, pointsRedeemed: result.pointsRedeemed, position, ...coupon });
  }

  @Post('purchases/:transactionId/refunds')
  @Roles('admin', 'pos')
  async refund(
    @Param('transactionId', ClientIdPipe) transactionId: string,
    @Body() body: RefundPurchaseDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { created, result, position } = await this.commands.execute(await this.requests.refund(transactionId, body));
    const { pointsClawedBack, debtIncurred } = result;
    return written(reply, created, { refundId: body.refundId, transactionId, pointsClawedBack, debtIncurred, position });
  }

  @Post('redemptions/:redemptionId/reversal')
  @Roles('admin', 'pos')
  async reverse(
    @Param('redemptionId', ClientIdPipe) redemptionId: string,
    @Body() body: ReverseRedemptionDto | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { created, result, position } = await this.commands.execute(await this.requests.reversal(redemptionId, body ?? {}));
    return written(reply, created, { redemptionId, pointsRestored: result.pointsRestored, position });
  }
}
