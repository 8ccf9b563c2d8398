import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Roles } from '../http/auth';
import { ClientIdPipe } from '../http/params';
import { written } from '../http/written';
import { CancelMembershipDto, MembershipPaymentDto, StartMembershipDto } from './memberships.dto';
import { MembershipRequests } from './memberships.requests';
import { ApiOperationSpec, ClientIdParam, KEY_ERRORS, WRITE_ERRORS } from '../http/openapi-operation';
import { Responses } from '../http/openapi-schemas';

/** Paid memberships, reported by the operator's billing system (docs/programs/memberships.md). */
@ApiTags('members')
@ApiSecurity('api-key')
@Controller('v1/members/:memberId/memberships')
@Roles('pos', 'admin')
export class MembershipsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly requests: MembershipRequests,
  ) {}

  @ClientIdParam('memberId', 'm-1001')
  @ApiOperationSpec({
    operationId: 'startMembership',
    summary: 'Start a paid membership',
    success: { written: Responses.membershipStart },
    errors: [...KEY_ERRORS, ...WRITE_ERRORS],
  })
  @Post()
  async start(
    @Param('memberId', ClientIdPipe) memberId: string,
    @Body() body: StartMembershipDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { created, result, position } = await this.commands.execute(await this.requests.start(memberId, body));
    return written(reply, created, {
      membershipId: body.membershipId,
      memberId,
      status: result.status,
      currentPeriodEnd: result.currentPeriodEnd,
      position,
    });
  }

  @ClientIdParam('memberId', 'm-1001')
  @ClientIdParam('membershipId', 'ms-1')
  @ApiOperationSpec({
    operationId: 'recordMembershipPayment',
    summary: 'Record a membership payment',
    success: { written: Responses.membershipPayment },
    errors: [...KEY_ERRORS, ...WRITE_ERRORS],
  })
  @Post(':membershipId/payments')
  async payment(
    @Param('memberId', ClientIdPipe) memberId: string,
    @Param('membershipId', ClientIdPipe) membershipId: string,
    @Body() body: MembershipPaymentDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { created, result, position } = await this.commands.execute(await this.requests.payment(memberId, membershipId, body));
    return written(reply, created, {
      membershipId,
      paymentId: body.paymentId,
      amountMinor: result.amountMinor,
      currentPeriodEnd: result.currentPeriodEnd,
      position,
    });
  }

  @ClientIdParam('memberId', 'm-1001')
  @ClientIdParam('membershipId', 'ms-1')
  @ApiOperationSpec({
    operationId: 'cancelMembership',
    summary: 'Cancel a membership at the end of its period',
    success: { written: Responses.membershipCancellation },
    errors: [...KEY_ERRORS, ...WRITE_ERRORS],
  })
  @Post(':membershipId/cancellation')
  async cancellation(
    @Param('memberId', ClientIdPipe) memberId: string,
    @Param('membershipId', ClientIdPipe) membershipId: string,
    @Body() body: CancelMembershipDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { created, result, position } = await this.commands.execute(await this.requests.cancellation(memberId, membershipId, body));
    return written(reply, created, { membershipId, benefitsUntil: result.benefitsUntil, position });
  }
}
