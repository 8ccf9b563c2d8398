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

  @Get()
  @ApiQuery({ name: 'minPosition', required: false })
  async profile(@CurrentMember() memberId: string, @Query('minPosition') minPosition?: string) {
    await this.consistency.atLeast(minPosition);
    const asOfPosition = await this.members.asOfPosition();
    return { ...(await this.members.profile(memberId)), asOfPosition };
  }

  @Get('balance')
  @ApiQuery({ name: 'minPosition', required: false })
  async balance(@CurrentMember() memberId: string, @Query('minPosition') minPosition?: string) {
    await this.consistency.atLeast(minPosition);
    return this.members.balance(memberId);
  }

  @Get('ledger')
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'minPosition', required: false })
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

  @Get('tier')
  tier(@CurrentMember() memberId: string) {
    return this.me.tier(memberId);
  }

  @Get('rewards')
  rewards(@CurrentMember() memberId: string) {
    return this.me.rewards(memberId);
  }

  @Get('offers')
  offers(@CurrentMember() memberId: string) {
    return this.me.offers(memberId);
  }

  @Get('coupons')
  coupons(@CurrentMember() memberId: string) {
    return this.me.coupons(memberId);
  }

  @Get('expiring')
  @ApiQuery({ name: 'withinDays', required: false })
  expiring(
    @CurrentMember() memberId: string,
    @Query('withinDays', new PageLimitPipe(EXPIRING_WITHIN_DAYS_DEFAULT, EXPIRING_WITHIN_DAYS_MAX))
    withinDays = EXPIRING_WITHIN_DAYS_DEFAULT,
  ) {
    return this.me.expiring(memberId, withinDays);
  }

  @Post('redemptions')
  async redeem(@CurrentMember() memberId: string, @Body() body: MeRedemptionDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const command = await this.points.redemption({ ...body, memberId });
    const { created, result, position } = await this.commands.execute(command);
    const coupon = result.coupon ? { coupon: result.coupon } : {};
    return written(reply, created, { redemptionId: body.redemptionId, pointsRedeemed: result.pointsRedeemed, position, ...coupon });
  }

  @Post('feedback')
  async feedback(@CurrentMember() memberId: string, @Body() body: MeFeedbackDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const { created, result, position } = await this.commands.execute(await this.requests.feedback(memberId, body));
    const { pointsAwarded, capReached } = result;
    return written(reply, created, { feedbackId: body.feedbackId, kind: body.kind, pointsAwarded, capReached, position });
  }
}
