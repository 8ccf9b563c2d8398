import { Injectable } from '@nestjs/common';
import { CancelMembership, RecordMembershipPayment, StartMembership } from '@loyalty/domain';
import { requestHash } from '../http/request-hash';
import { CommandContextFactory } from '../ledger/command-context';
import { ExecuteMemberCommand } from '../ledger/execute-member.command';
import { CancelMembershipDto, MembershipPaymentDto, StartMembershipDto } from './memberships.dto';

/** Membership requests, as reported by the operator's billing system, as member commands (docs/programs/memberships.md). */
@Injectable()
export class MembershipRequests {
  constructor(private readonly context: CommandContextFactory) {}

  async start(memberId: string, body: StartMembershipDto): Promise<ExecuteMemberCommand<'StartMembership'>> {
    const command: StartMembership = {
      type: 'StartMembership',
      memberId,
      membershipId: body.membershipId,
      planId: body.planId,
      requestHash: requestHash('membership', body),
      ...(await this.context.create(body.occurredAt)),
    };
    return new ExecuteMemberCommand(command);
  }

  async payment(
    memberId: string,
    membershipId: string,
    body: MembershipPaymentDto,
  ): Promise<ExecuteMemberCommand<'RecordMembershipPayment'>> {
    const command: RecordMembershipPayment = {
      type: 'RecordMembershipPayment',
      memberId,
      membershipId,
      paymentId: body.paymentId,
      amountMinor: body.amountMinor,
      requestHash: requestHash('membership-payment', { membershipId, ...body }),
      ...(await this.context.create(body.occurredAt)),
    };
    return new ExecuteMemberCommand(command);
  }

  async cancellation(memberId: string, membershipId: string, body: CancelMembershipDto): Promise<ExecuteMemberCommand<'CancelMembership'>> {
    const command: CancelMembership = {
      type: 'CancelMembership',
      memberId,
      membershipId,
      requestHash: requestHash('membership-cancellation', body),
      ...(await this.context.create(body.occurredAt)),
    };
    return new ExecuteMemberCommand(command);
  }
}
