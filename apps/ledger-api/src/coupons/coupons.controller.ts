import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import {
  COUPON_CODE_INPUT_LENGTH_MAX,
  COUPON_STATUSES,
  CouponStatus,
  invalid,
  IssueCoupon,
  normaliseCouponCode,
  notFound,
} from '@loyalty/domain';
import { Actor, Roles } from '../http/auth';
import { ClientIdPipe } from '../http/params';
import { ReadConsistency } from '../http/read-consistency';
import { requestHash } from '../http/request-hash';
import { written } from '../http/written';
import { CommandContextFactory } from '../ledger/command-context';
import { ExecuteMemberCommand } from '../ledger/execute-member.command';
import { newCouponCode } from './coupon-codes';
import { CouponGuesses } from './coupon-guesses';
import { CouponQueries } from './coupon-queries';
import { IssueCouponDto } from './coupons.dto';
import { ApiOperationSpec, MinPositionQuery, ClientIdParam, KEY_ERRORS, READ_ERRORS, WRITE_ERRORS } from '../http/openapi-operation';
import { Responses } from '../http/openapi-schemas';

/** Coupons at the till and from an admin (docs/programs/coupons.md). */
@ApiTags('coupons')
@ApiSecurity('api-key')
@Controller('v1')
export class CouponsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly context: CommandContextFactory,
    private readonly queries: CouponQueries,
    private readonly guesses: CouponGuesses,
    private readonly consistency: ReadConsistency,
  ) {}

  @ClientIdParam('memberId', 'm-1001')
  @ApiOperationSpec({
    operationId: 'issueCoupon',
    summary: 'Issue a coupon to a member, with a reason',
    success: { written: Responses.couponIssued },
    errors: [...KEY_ERRORS, ...WRITE_ERRORS],
  })
  @Post('members/:memberId/coupons')
  @Roles('admin')
  async issue(
    @Param('memberId', ClientIdPipe) memberId: string,
    @Body() body: IssueCouponDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const command: IssueCoupon = {
      type: 'IssueCoupon',
      memberId,
      couponId: body.couponId,
      rewardId: body.rewardId,
      reason: body.reason,
      code: newCouponCode(),
      requestHash: requestHash('coupon', body),
      ...(await this.context.create(body.occurredAt)),
    };
    const { created, result, position } = await this.commands.execute(new ExecuteMemberCommand(command));
    return written(reply, created, { couponId: body.couponId, memberId, coupon: result.coupon, position });
  }

  @ClientIdParam('memberId', 'm-1001')
  @ApiOperationSpec({
    operationId: 'listMemberCoupons',
    summary: 'A member’s coupons',
    success: { status: 200, schema: Responses.memberCoupons },
    errors: [...KEY_ERRORS, ...READ_ERRORS, 404],
  })
  @ApiQuery({ name: 'status', required: false, enum: COUPON_STATUSES })
  @MinPositionQuery()
  @Get('members/:memberId/coupons')
  @Roles('pos', 'admin')
  async ofMember(
    @Param('memberId', ClientIdPipe) memberId: string,
    @Query('status') status?: string,
    @Query('minPosition') minPosition?: string,
  ) {
    if (status !== undefined && !isCouponStatus(status)) {
      throw invalid('INVALID_COUPON_STATUS', `status must be one of ${COUPON_STATUSES.join(', ')}`, { status });
    }
    await this.consistency.atLeast(minPosition);
    const asOfPosition = await this.queries.asOfPosition();
    return { memberId, coupons: await this.queries.ofMember(memberId, status), asOfPosition };
  }

  @ApiOperationSpec({
    operationId: 'getCouponByCode',
    summary: 'A coupon by its code, for the till',
    success: { status: 200, schema: Responses.coupon },
    errors: [...KEY_ERRORS, ...READ_ERRORS, 404],
  })
  @MinPositionQuery()
  @Get('coupons/:code')
  @Roles('pos', 'admin')
  async byCode(@Param('code') presented: string, @Actor() caller: string, @Query('minPosition') minPosition?: string) {
    this.guesses.assertAllowed(caller);
    await this.consistency.atLeast(minPosition);
    const code = normaliseCouponCode(presented);
    const coupon = code === undefined ? undefined : await this.queries.byCode(code);
    if (!coupon) {
      this.guesses.recordWrong(caller);
      throw notFound('COUPON_NOT_FOUND', 'no coupon has this code', { code: presented.slice(0, COUPON_CODE_INPUT_LENGTH_MAX) });
    }
    return coupon;
  }
}

const isCouponStatus = (text: string): text is CouponStatus => (COUPON_STATUSES as readonly string[]).includes(text);
