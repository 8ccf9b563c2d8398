import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { notFound, RedemptionReversed } from '@loyalty/domain';
import { CommandContextFactory } from '../ledger/command-context';
import { MemberLedger } from '../ledger/member-ledger';
import { ReverseRedemptionDto } from './points.dto';

export class ReverseRedemptionCommand {
  constructor(
    readonly redemptionId: string,
    readonly body: ReverseRedemptionDto,
    readonly requestHash: string,
  ) {}
}

export interface ReverseRedemptionReply {
  readonly created: boolean;
  readonly redemptionId: string;
  readonly pointsRestored: number;
  readonly position: number;
}

@CommandHandler(ReverseRedemptionCommand)
export class ReverseRedemptionHandler implements ICommandHandler<ReverseRedemptionCommand, ReverseRedemptionReply> {
  constructor(
    private readonly ledger: MemberLedger,
    private readonly context: CommandContextFactory,
  ) {}

  async execute({ redemptionId, body, requestHash }: ReverseRedemptionCommand): Promise<ReverseRedemptionReply> {
    const memberId = await this.ledger.claimant('redemption', redemptionId);
    if (!memberId) throw notFound('REDEMPTION_NOT_FOUND', `no redemption ${redemptionId}`, { redemptionId });
    const outcome = await this.ledger.execute({
      type: 'ReverseRedemption',
      memberId,
      redemptionId,
      requestHash,
      ...(await this.context.create(body.occurredAt)),
    });
    const reversal = outcome.events.find((e) => e.type === 'RedemptionReversed')?.data as RedemptionReversed['data'] | undefined;
    return { created: outcome.appended, redemptionId, pointsRestored: reversal?.points ?? 0, position: Number(outcome.position) };
  }
}
