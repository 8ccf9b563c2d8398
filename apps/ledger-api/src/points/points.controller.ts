import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiExtraModels, getSchemaPath, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Actor, Roles } from '../http/auth';
import { ClientIdPipe } from '../http/params';
import { written } from '../http/written';
import { RecordPurchaseDto, RedeemPointsDto, RefundPurchaseDto, ReverseRedemptionDto } from './points.dto';
import { PointsRequests } from './points.requests';
import { ApiOperationSpec, ClientIdParam, KEY_ERRORS, WRITE_ERRORS } from '../http/openapi-operation';
import { Responses } from '../http/openapi-schemas';

@ApiTags('points')
@ApiSecurity('api-key')
@Controller('v1')
export class PointsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly requests: PointsRequests,
  ) {}

  @ApiOperationSpec({
    operationId: 'recordPurchase',
    summary: 'Record a purchase; it accrues points',
    success: { written: Responses.purchase },
    errors: [...KEY_ERRORS, ...WRITE_ERRORS],
  })
  @Post('purchases')
  @Roles('admin', 'pos')
  async purchase(@Body() body: RecordPurchaseDto, @Actor() caller: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const { created, result, position } = await this.commands.execute(await this.requests.purchase(body, caller));
    const { pointsAccrued, pendingUntil, couponsApplied } = result;
    // Only a purchase that used coupons answers couponsApplied: every other answer stays as clients have always read it.
    const coupons = couponsApplied.length > 0 ? { couponsApplied } : {};
    return written(reply, created, { transactionId: body.transactionId, pointsAccrued, pendingUntil, position, ...coupons });
  }

  @ApiOperationSpec({
    operationId: 'redeemPoints',
    summary: 'Redeem points or a reward',
    success: { written: Responses.redemption },
    errors: [...KEY_ERRORS, ...WRITE_ERRORS],
  })
  @Post('redemptions')
  @Roles('admin', 'pos')
  async redeem(@Body() body: RedeemPointsDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const { created, result, position } = await this.commands.execute(await this.requests.redemption(body));
    const coupon = result.coupon ? { coupon: result.coupon } : {};
    return written(reply, created, { redemptionId: body.redemptionId, pointsRedeemed: result.pointsRedeemed, position, ...coupon });
  }

  @ClientIdParam('transactionId', 'tx-0001')
  @ApiOperationSpec({
    operationId: 'refundPurchase',
    summary: 'Refund (part of) a purchase; claws back its points',
    success: { written: Responses.refund },
    errors: [...KEY_ERRORS, ...WRITE_ERRORS],
  })
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

  @ClientIdParam('redemptionId', 'rd-0001')
  @ApiOperationSpec({
    operationId: 'reverseRedemption',
    summary: 'Reverse a redemption; the points come back',
    success: { written: Responses.reversal },
    errors: [...KEY_ERRORS, ...WRITE_ERRORS],
  })
  @ApiExtraModels(ReverseRedemptionDto)
  @ApiBody({
    required: false,
    description: 'optional: no body reverses now (null is no body)',
    schema: { allOf: [{ $ref: getSchemaPath(ReverseRedemptionDto) }], nullable: true },
  })
  @Post('redemptions/:redemptionId/reversal')
  @Roles('admin', 'pos')
  async reverse(
    @Param('redemptionId', ClientIdPipe) redemptionId: string,
    // The class itself, not a union with undefined: a union's design type is Object, which the pipe does not validate.
    @Body() body: ReverseRedemptionDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    // No body at all arrives as undefined: reversed now.
    const given: ReverseRedemptionDto = body ?? {};
    const { created, result, position } = await this.commands.execute(await this.requests.reversal(redemptionId, given));
    return written(reply, created, { redemptionId, pointsRestored: result.pointsRestored, position });
  }
}
