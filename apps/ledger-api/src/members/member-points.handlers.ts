import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { PersonalDataVault } from '@loyalty/platform';
import { VAULT } from '../tokens';
import { ActionRecorded, PointsAccrued, PointsAdjusted, PointsTransferredOut, rejected } from '@loyalty/domain';
import { CommandContextFactory } from '../ledger/command-context';
import { MemberLedger } from '../ledger/member-ledger';
import { AdjustPointsDto, RecordActionDto, TransferPointsDto } from './members.dto';

export class RecordActionCommand {
  constructor(
    readonly memberId: string,
    readonly body: RecordActionDto,
    readonly requestHash: string,
  ) {}
}

@CommandHandler(RecordActionCommand)
export class RecordActionHandler implements ICommandHandler<RecordActionCommand> {
  constructor(
    private readonly ledger: MemberLedger,
    private readonly context: CommandContextFactory,
  ) {}

  async execute({ memberId, body, requestHash }: RecordActionCommand) {
    const outcome = await this.ledger.execute({
      type: 'RecordAction',
      memberId,
      actionId: body.actionId,
      actionType: body.type,
      requestHash,
      ...(await this.context.create(body.occurredAt)),
    });
    const recorded = outcome.events.find((e) => e.type === 'ActionRecorded')?.data as ActionRecorded['data'] | undefined;
    const accrual = outcome.events.find((e) => e.type === 'PointsAccrued')?.data as PointsAccrued['data'] | undefined;
    return {
      created: outcome.appended,
      actionId: body.actionId,
      type: body.type,
      pointsAwarded: accrual?.points ?? 0,
      capReached: recorded ? !recorded.rewarded : false,
      position: Number(outcome.position),
    };
  }
}

export class AdjustPointsCommand {
  constructor(
    readonly memberId: string,
    readonly body: AdjustPointsDto,
    readonly actor: string,
    readonly requestHash: string,
  ) {}
}

@CommandHandler(AdjustPointsCommand)
export class AdjustPointsHandler implements ICommandHandler<AdjustPointsCommand> {
  constructor(
    private readonly ledger: MemberLedger,
    private readonly context: CommandContextFactory,
  ) {}

  async execute({ memberId, body, actor, requestHash }: AdjustPointsCommand) {
    const outcome = await this.ledger.execute({
      type: 'AdjustPoints',
      memberId,
      adjustmentId: body.adjustmentId,
      points: body.points,
      reason: body.reason.trim(),
      actor,
      requestHash,
      ...(await this.context.create(undefined)),
    });
    const adjusted = outcome.events.find((e) => e.type === 'PointsAdjusted')?.data as PointsAdjusted['data'] | undefined;
    return {
      created: outcome.appended,
      adjustmentId: body.adjustmentId,
      points: adjusted?.points ?? body.points,
      actor: adjusted?.actor ?? actor,
      position: Number(outcome.position),
    };
  }
}

export class TransferPointsCommand {
  constructor(
    readonly memberId: string,
    readonly body: TransferPointsDto,
    readonly requestHash: string,
  ) {}
}

/** The receiver must exist before the sender is debited; the credit follows through the transfer reactor. */
@CommandHandler(TransferPointsCommand)
export class TransferPointsHandler implements ICommandHandler<TransferPointsCommand> {
  constructor(
    private readonly ledger: MemberLedger,
    private readonly context: CommandContextFactory,
  ) {}

  async execute({ memberId, body, requestHash }: TransferPointsCommand) {
    if (!(await this.ledger.isEnrolled(body.toMemberId))) {
      throw rejected('UNKNOWN_RECEIVER', `no member ${body.toMemberId} to receive the points`, { toMemberId: body.toMemberId });
    }
    const outcome = await this.ledger.execute(
      {
        type: 'TransferPoints',
        memberId,
        transferId: body.transferId,
        toMemberId: body.toMemberId,
        points: body.points,
        requestHash,
        ...(await this.context.create(body.occurredAt)),
      },
      { kind: 'transfer', id: body.transferId },
    );
    const out = outcome.events.find((e) => e.type === 'PointsTransferredOut')?.data as PointsTransferredOut['data'] | undefined;
    return {
      created: outcome.appended,
      transferId: body.transferId,
      fromMemberId: memberId,
      toMemberId: body.toMemberId,
      points: out?.points ?? body.points,
      position: Number(outcome.position),
    };
  }
}

export class ErasePersonalDataCommand {
  constructor(readonly memberId: string) {}
}

/**
 * Crypto-shredding: record the erasure in the log, then delete the key. If
 * the process stops in between, the projection of MemberErased scrubs the
 * read models anyway and a retry of the request deletes the key.
 */
@CommandHandler(ErasePersonalDataCommand)
export class ErasePersonalDataHandler implements ICommandHandler<ErasePersonalDataCommand> {
  constructor(
    private readonly ledger: MemberLedger,
    private readonly context: CommandContextFactory,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
  ) {}

  async execute({ memberId }: ErasePersonalDataCommand) {
    const outcome = await this.ledger.execute({
      type: 'ErasePersonalData',
      memberId,
      requestHash: 'erasure',
      ...(await this.context.create(undefined)),
    });
    await this.vault.erase(memberId);
    return { created: outcome.appended, memberId, erased: true, position: Number(outcome.position) };
  }
}
