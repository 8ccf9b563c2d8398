import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Roles } from '../http/auth';
import { ClientIdPipe, PageLimitPipe } from '../http/params';
import { ReadConsistency } from '../http/read-consistency';
import { written } from '../http/written';
import { LEDGER_PAGE_SIZE_DEFAULT, LEDGER_PAGE_SIZE_MAX, MemberQueries } from './member-queries';
import { EnrolMemberDto } from './members.dto';
import { MemberRequests } from './members.requests';
import {
  ApiOperationSpec,
  ClientIdParam,
  CursorQuery,
  KEY_ERRORS,
  LimitQuery,
  MinPositionQuery,
  READ_ERRORS,
  WRITE_ERRORS,
} from '../http/openapi-operation';
import { Responses } from '../http/openapi-schemas';

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

  @ApiOperationSpec({
    operationId: 'enrolMember',
    summary: 'Enrol a member',
    success: { written: Responses.enrolment },
    errors: [...KEY_ERRORS, ...WRITE_ERRORS],
  })
  @Post()
  @Roles('admin', 'pos')
  async enrol(@Body() body: EnrolMemberDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const { created, position } = await this.commands.execute(await this.requests.enrolment(body));
    return written(reply, created, { memberId: body.memberId, position });
  }

  @ClientIdParam('memberId', 'm-1001')
  @ApiOperationSpec({
    operationId: 'getMember',
    summary: 'A member: profile, tier, tier progress, segments, memberships',
    success: { status: 200, schema: Responses.profile },
    errors: [...KEY_ERRORS, ...READ_ERRORS, 404],
  })
  @Get(':memberId')
  @Roles('admin', 'pos', 'analyst')
  @MinPositionQuery()
  async profile(@Param('memberId', ClientIdPipe) memberId: string, @Query('minPosition') minPosition?: string) {
    await this.consistency.atLeast(minPosition);
    const asOfPosition = await this.queries.asOfPosition();
    return { ...(await this.queries.profile(memberId)), asOfPosition };
  }

  @ClientIdParam('memberId', 'm-1001')
  @ApiOperationSpec({
    operationId: 'getMemberBalance',
    summary: 'A member’s points balance',
    success: { status: 200, schema: Responses.balance },
    errors: [...KEY_ERRORS, ...READ_ERRORS, 404],
  })
  @Get(':memberId/balance')
  @Roles('admin', 'pos', 'analyst')
  @MinPositionQuery()
  async balance(@Param('memberId', ClientIdPipe) memberId: string, @Query('minPosition') minPosition?: string) {
    await this.consistency.atLeast(minPosition);
    return this.queries.balance(memberId);
  }

  @ClientIdParam('memberId', 'm-1001')
  @ApiOperationSpec({
    operationId: 'getMemberLedger',
    summary: 'A member’s ledger entries, newest first',
    success: { status: 200, schema: Responses.ledger },
    errors: [...KEY_ERRORS, ...READ_ERRORS, 404],
  })
  @Get(':memberId/ledger')
  @Roles('admin', 'pos', 'analyst')
  @CursorQuery()
  @LimitQuery(LEDGER_PAGE_SIZE_MAX, LEDGER_PAGE_SIZE_DEFAULT)
  @MinPositionQuery()
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
