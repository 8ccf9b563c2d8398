import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { notFound, PointsClawedBack } from '@loyalty/domain';
import { CommandContextFactory } from '../ledger/command-context';
import { MemberLedger } from '../ledger/member-ledger';
import { RefundPurchaseDto } from './points.dto';

export class RefundPurchaseCommand {
  constructor(
    readonly transactionId: string,
    readonly body: RefundPurchaseDto,
    readonly requestHash: string,
  ) {}
}

export interface RefundPurchaseReply {
  readonly created: boolean;
  readonly refundId: string;
  readonly transactionId: string;
  readonly pointsClawedBack: number;
  readonly debtIncurred: number;
  readonly position: number;
}

/** The purchase's claim names its member, so a refund needs only the transaction id. */
@CommandHandler(RefundPurchaseCommand)
export class RefundPurchaseHandler implements ICommandHandler<RefundPurchaseCommand, RefundPurchaseReply> {
  constructor(
    private readonly ledger: MemberLedger,
    private readonly context: CommandContextFactory,
  ) {}

  async execute({ transactionId, body, requestHash }: RefundPurchaseCommand): Promise<RefundPurchaseReply> {
    const memberId = await this.ledger.claimant('purchase', transactionId);
    if (!memberId) throw notFound('TRANSACTION_NOT_FOUND', `no purchase ${transactionId}`, { transactionId });
    const outcome = await this.ledger.execute(
      {
        type: 'RefundPurchase',
        memberId,
        transactionId,
        refundId: body.refundId,
        amountMinor: body.amountMinor,
        requestHash,
        ...(await this.context.create(body.occurredAt)),
      },
      { kind: 'refund', id: body.refundId },
    );
    const clawback = outcome.events.find((e) => e.type === 'PointsClawedBack')?.data as PointsClawedBack['data'] | undefined;
    return {
      created: outcome.appended,
      refundId: body.refundId,
      transactionId,
      pointsClawedBack: clawback?.points ?? 0,
      debtIncurred: clawback?.debtIncurred ?? 0,
      position: Number(outcome.position),
    };
  }
}
