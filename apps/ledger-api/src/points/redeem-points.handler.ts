import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { PointsRedeemed } from '@loyalty/domain';
import { CommandContextFactory } from '../ledger/command-context';
import { MemberLedger } from '../ledger/member-ledger';
import { RedeemPointsDto } from './points.dto';

export class RedeemPointsCommand {
  constructor(
    readonly body: RedeemPointsDto,
    readonly requestHash: string,
  ) {}
}

export interface RedeemPointsReply {
  readonly created: boolean;
  readonly redemptionId: string;
  readonly pointsRedeemed: number;
  readonly position: number;
}

@CommandHandler(RedeemPointsCommand)
export class RedeemPointsHandler implements ICommandHandler<RedeemPointsCommand, RedeemPointsReply> {
  constructor(
    private readonly ledger: MemberLedger,
    private readonly context: CommandContextFactory,
  ) {}

  async execute({ body, requestHash }: RedeemPointsCommand): Promise<RedeemPointsReply> {
    const outcome = await this.ledger.execute(
      {
        type: 'RedeemPoints',
        memberId: body.memberId,
        redemptionId: body.redemptionId,
        points: body.points ?? null,
        rewardId: body.rewardId ?? null,
        requestHash,
        ...(await this.context.create(body.occurredAt)),
      },
      { kind: 'redemption', id: body.redemptionId },
    );
    const redeemed = outcome.events.find((e) => e.type === 'PointsRedeemed')?.data as PointsRedeemed['data'] | undefined;
    return {
      created: outcome.appended,
      redemptionId: body.redemptionId,
      pointsRedeemed: redeemed?.points ?? 0,
      position: Number(outcome.position),
    };
  }
}
