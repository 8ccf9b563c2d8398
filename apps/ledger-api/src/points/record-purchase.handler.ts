import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { PointsAccrued } from '@loyalty/domain';
import { CommandContextFactory } from '../ledger/command-context';
import { MemberLedger } from '../ledger/member-ledger';
import { RecordPurchaseDto } from './points.dto';

export class RecordPurchaseCommand {
  constructor(
    readonly body: RecordPurchaseDto,
    readonly requestHash: string,
  ) {}
}

export interface RecordPurchaseReply {
  readonly created: boolean;
  readonly transactionId: string;
  readonly pointsAccrued: number;
  readonly pendingUntil: string | null;
  readonly position: number;
}

@CommandHandler(RecordPurchaseCommand)
export class RecordPurchaseHandler implements ICommandHandler<RecordPurchaseCommand, RecordPurchaseReply> {
  constructor(
    private readonly ledger: MemberLedger,
    private readonly context: CommandContextFactory,
  ) {}

  async execute({ body, requestHash }: RecordPurchaseCommand): Promise<RecordPurchaseReply> {
    const outcome = await this.ledger.execute(
      {
        type: 'RecordPurchase',
        memberId: body.memberId,
        transactionId: body.transactionId,
        amountMinor: body.amountMinor,
        currency: body.currency,
        items: (body.items ?? []).map((i) => ({
          sku: i.sku,
          category: i.category,
          quantity: i.quantity,
          unitPriceMinor: i.unitPriceMinor,
        })),
        storeId: body.storeId ?? null,
        requestHash,
        ...(await this.context.create(body.occurredAt)),
      },
      { kind: 'purchase', id: body.transactionId },
    );
    const accrual = outcome.events.find((e) => e.type === 'PointsAccrued')?.data as PointsAccrued['data'] | undefined;
    return {
      created: outcome.appended,
      transactionId: body.transactionId,
      pointsAccrued: accrual?.points ?? 0,
      pendingUntil: accrual?.pendingUntil ?? null,
      position: Number(outcome.position),
    };
  }
}
