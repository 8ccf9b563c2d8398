import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { rejected } from '@loyalty/domain';
import { CommandContextFactory } from '../ledger/command-context';
import { MemberLedger } from '../ledger/member-ledger';
import { EnrolMemberDto } from './members.dto';

export class EnrolMemberCommand {
  constructor(
    readonly body: EnrolMemberDto,
    readonly requestHash: string,
  ) {}
}

export interface EnrolMemberReply {
  readonly created: boolean;
  readonly memberId: string;
  readonly position: number;
}

@CommandHandler(EnrolMemberCommand)
export class EnrolMemberHandler implements ICommandHandler<EnrolMemberCommand, EnrolMemberReply> {
  constructor(
    private readonly ledger: MemberLedger,
    private readonly context: CommandContextFactory,
  ) {}

  async execute({ body, requestHash }: EnrolMemberCommand): Promise<EnrolMemberReply> {
    if (body.referredBy !== undefined && (body.referredBy === body.memberId || !(await this.ledger.isEnrolled(body.referredBy)))) {
      throw rejected('UNKNOWN_REFERRER', `no other member ${body.referredBy} to credit for the referral`, { referredBy: body.referredBy });
    }
    const outcome = await this.ledger.execute({
      type: 'EnrolMember',
      memberId: body.memberId,
      memberType: body.type,
      profile: { name: body.name, email: body.email, birthDate: body.birthDate },
      referredBy: body.referredBy ?? null,
      requestHash,
      ...(await this.context.create(body.occurredAt)),
    });
    return { created: outcome.appended, memberId: body.memberId, position: Number(outcome.position) };
  }
}
