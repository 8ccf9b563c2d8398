import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Roles } from '../http/auth';
import { ClientIdPipe, PageLimitPipe } from '../http/params';
import { ReadConsistency } from '../http/read-consistency';
import { written } from '../http/written';
import { LEDGER_PAGE_SIZE_DEFAULT, LEDGER_PAGE_SIZE_MAX, MemberQueries } from './member-queries';
import { EnrolMemberDto } from './members.dto';
import { MemberRequests } from './members.requests';

@ApiTags('members')
@ApiSecurity('api-key')
@Controller('v1/members')
export class MembersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly requests: MemberRequests,
    private readonly queries: MemberQueries,
    private readonly consistency: ReadConsistency,
  ) {}

  @Post()
  @Roles('admin', 'pos')
  async enrol(@Body() body: EnrolMemberDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const { created, position } = await this.commands.execute(await this.requests.enrolment(body));
    return written(reply, created, { memberId: body.memberId, position });
  }

  @Get(':memberId')
  @Roles('admin', 'pos', 'analyst')
  @ApiQuery({ name: 'minPosition', required: false })
  async profile(@Param('memberId', ClientIdPipe) memberId: string, @Query('minPosition') minPosition?: string) {
    await this.consistency.atLeast(minPosition);
    const asOfPosition = await this.queries.asOfPosition();
    return { ...(await this.queries.profile(memberId)), asOfPosition };
  }

  @Get(':memberId/balance')
  @Roles('admin', 'pos', 'analyst')
  @ApiQuery({ name: 'minPosition', required: false })
  async balance(@Param('memberId', ClientIdPipe) memberId: string, @Query('minPosition') minPosition?: string) {
    await this.consistency.atLeast(minPosition);
    return this.queries.balance(memberId);
  }

  @Get(':memberId/ledger')
  @Roles('admin', 'pos', 'analyst')
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'minPosition', required: false })
  async ledger(
    @Param('memberId', ClientIdPipe) memberId: string,
    @Query('cursor') cursor?: string,
    @Query('limit', new PageLimitPipe(LEDGER_PAGE_SIZE_DEFAULT, LEDGER_PAGE_SIZE_MAX)) limit = LEDGER_PAGE_SIZE_DEFAULT,
    @Query('minPosition') minPosition?: string,
  ) {
    await this.consistency.atLeast(minPosition);
    const asOfPosition = await this.queries.asOfPosition();
    return { ...(await this.queries.ledger(memberId, cursor, limit)), asOfPosition };
  }
}
