import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { PageLimitPipe } from '../http/params';
import { ReadConsistency } from '../http/read-consistency';
import { written } from '../http/written';
import { LEDGER_PAGE_SIZE_DEFAULT, LEDGER_PAGE_SIZE_MAX, MemberQueries } from '../members/member-queries';
import { PointsRequests } from '../points/points.requests';
import { CurrentMember, MemberRoute } from './member-auth';
import { EXPIRING_WITHIN_DAYS_DEFAULT, EXPIRING_WITHIN_DAYS_MAX, MeQueries } from './me-queries';
import { MeFeedbackDto, MeRedemptionDto } from './me.dto';
import { MeRequests } from './me.requests';
import {
  ApiOperationSpec,
  CursorQuery,
  LimitQuery,
  MEMBER_ERRORS,
  MinPositionQuery,
  READ_ERRORS,
  WRITE_ERRORS,
} from '../http/openapi-operation';
import { Responses } from '../http/openapi-schemas';

/** The member's own program, for the member a token names; no path names a member, so none can name another. */
@ApiTags('me')
@MemberRoute()
@Controller('v1/me')
export class MeController {
  constructor(
    private readonly commands: CommandBus,
    private readonly members: MemberQueries,
    private readonly me: MeQueries,
    private readonly points: PointsRequests,
    private readonly requests: MeRequests,
    private readonly consistency: ReadConsistency,
  ) {}

  @ApiOperationSpec({
    operationId: 'getMyProfile',
    summary: 'The member’s own profile',
    success: { status: 200, schema: Responses.profile },
    errors: [...MEMBER_ERRORS, ...READ_ERRORS, 404],
  })
  @Get()
  @MinPositionQuery()
  async profile(@CurrentMember() memberId: string, @Query('minPosition') minPosition?: string) {
    await this.consistency.atLeast(minPosition);
    const asOfPosition = await this.members.asOfPosition();
    return { ...(await this.members.profile(memberId)), asOfPosition };
  }

  @ApiOperationSpec({
    operationId: 'getMyBalance',
    summary: 'The member’s own balance',
    success: { status: 200, schema: Responses.balance },
    errors: [...MEMBER_ERRORS, ...READ_ERRORS, 404],
  })
  @Get('balance')
  @MinPositionQuery()
  async balance(@CurrentMember() memberId: string, @Query('minPosition') minPosition?: string) {
    await this.consistency.atLeast(minPosition);
    return this.members.balance(memberId);
  }

  @ApiOperationSpec({
    operationId: 'getMyLedger',
    summary: 'The member’s own ledger, newest first',
    success: { status: 200, schema: Responses.ledger },
    errors: [...MEMBER_ERRORS, ...READ_ERRORS, 404],
  })
  @Get('ledger')
  @CursorQuery()
  @LimitQuery(LEDGER_PAGE_SIZE_MAX, LEDGER_PAGE_SIZE_DEFAULT)
  @MinPositionQuery()
  async ledger(
    @CurrentMember() memberId: string,
    @Query('cursor') cursor?: string,
    @Query('limit', new PageLimitPipe(LEDGER_PAGE_SIZE_DEFAULT, LEDGER_PAGE_SIZE_MAX)) limit = LEDGER_PAGE_SIZE_DEFAULT,
    @Query('minPosition') minPosition?: string,
  ) {
    await this.consistency.atLeast(minPosition);
    const asOfPosition = await this.members.asOfPosition();
    return { ...(await this.members.ledger(memberId, cursor, limit)), asOfPosition };
  }

  @ApiOperationSpec({
    operationId: 'getMyTier',
    summary: 'The member’s tier and progress to the next',
    success: { status: 200, schema: Responses.meTier },
    errors: [...MEMBER_ERRORS, 404, 503],
  })
  @Get('tier')
  tier(@CurrentMember() memberId: string) {
    return this.me.tier(memberId);
  }

  @ApiOperationSpec({
    operationId: 'getMyRewards',
    summary: 'Rewards with eligibility and points to go',
    success: { status: 200, schema: Responses.meRewards },
    errors: [...MEMBER_ERRORS, 404, 503],
  })
  @Get('rewards')
  rewards(@CurrentMember() memberId: string) {
    return this.me.rewards(memberId);
  }

  @ApiOperationSpec({
    operationId: 'getMyOffers',
    summary: 'Offers open to the member now',
    success: { status: 200, schema: Responses.meOffers },
    errors: [...MEMBER_ERRORS, 404, 503],
  })
  @Get('offers')
  offers(@CurrentMember() memberId: string) {
    return this.me.offers(memberId);
  }

  @ApiOperationSpec({
    operationId: 'getMyCoupons',
    summary: 'The member’s coupons',
    success: { status: 200, schema: Responses.meCoupons },
    errors: [...MEMBER_ERRORS, 404, 503],
  })
  @Get('coupons')
  coupons(@CurrentMember() memberId: string) {
    return this.me.coupons(memberId);
  }

  @ApiOperationSpec({
    operationId: 'getMyExpiringPoints',
    summary: 'Points that expire within some days',
    success: { status: 200, schema: Responses.meExpiring },
    errors: [...MEMBER_ERRORS, 400, 404, 503],
  })
  @Get('expiring')
  @ApiQuery({
    name: 'withinDays',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: EXPIRING_WITHIN_DAYS_MAX, default: EXPIRING_WITHIN_DAYS_DEFAULT },
  })
  expiring(
    @CurrentMember() memberId: string,
    @Query('withinDays', new PageLimitPipe(EXPIRING_WITHIN_DAYS_DEFAULT, EXPIRING_WITHIN_DAYS_MAX))
    withinDays = EXPIRING_WITHIN_DAYS_DEFAULT,
  ) {
    return this.me.expiring(memberId, withinDays);
  }

  @ApiOperationSpec({
    operationId: 'redeemMyPoints',
    summary: 'Redeem the member’s points or a reward',
    success: { written: Responses.redemption },
    errors: [...MEMBER_ERRORS, ...WRITE_ERRORS],
  })
  @Post('redemptions')
  async redeem(@CurrentMember() memberId: string, @Body() body: MeRedemptionDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const command = await this.points.redemption({ ...body, memberId });
    const { created, result, position } = await this.commands.execute(command);
    const coupon = result.coupon ? { coupon: result.coupon } : {};
    return written(reply, created, { redemptionId: body.redemptionId, pointsRedeemed: result.pointsRedeemed, position, ...coupon });
  }

  @ApiOperationSpec({
    operationId: 'recordMyFeedback',
    summary: 'Record a review or survey; earns its action bonus',
    success: { written: Responses.feedback },
    errors: [...MEMBER_ERRORS, ...WRITE_ERRORS],
  })
  @Post('feedback')
  async feedback(@CurrentMember() memberId: string, @Body() body: MeFeedbackDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const { created, result, position } = await this.commands.execute(await this.requests.feedback(memberId, body));
    const { pointsAwarded, capReached } = result;
    return written(reply, created, { feedbackId: body.feedbackId, kind: body.kind, pointsAwarded, capReached, position });
  }
}
