import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { PersonalDataVault } from '@loyalty/platform';
import { VAULT } from '../tokens';
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
    @Inject(VAULT) private readonly vault: PersonalDataVault,
  ) {}

  async execute({ body, requestHash }: EnrolMemberCommand): Promise<EnrolMemberReply> {
    if (body.referredBy !== undefined && (body.referredBy === body.memberId || !(await this.ledger.isEnrolled(body.referredBy)))) {
      throw rejected('UNKNOWN_REFERRER', `no other member ${body.referredBy} to credit for the referral`, { referredBy: body.referredBy });
    }
    const outcome = await this.ledger.execute({
      type: 'EnrolMember',
      memberId: body.memberId,
      memberType: body.type,
      personalData: await this.seal(body),
      referredBy: body.referredBy ?? null,
      requestHash,
      ...(await this.context.create(body.occurredAt)),
    });
    return { created: outcome.appended, memberId: body.memberId, position: Number(outcome.position) };
  }

  /** Personal data never enters the log in clear: it is sealed with the member's own key. */
  private async seal(body: EnrolMemberDto): Promise<string | null> {
    const data = { name: body.name ?? undefined, email: body.email ?? undefined, birthDate: body.birthDate ?? undefined };
    if (data.name === undefined && data.email === undefined && data.birthDate === undefined) return null;
    return this.vault.seal(body.memberId, data);
  }
}
