import { Inject, Injectable } from '@nestjs/common';
import {
  AdjustPoints,
  ChangeTier,
  EnrolMember,
  ErasePersonalData,
  normaliseInstant,
  RecordAction,
  rejected,
  TransferPoints,
} from '@loyalty/domain';
import { PersonalDataVault } from '@loyalty/platform';
import { requestHash } from '../http/request-hash';
import { CommandContextFactory } from '../ledger/command-context';
import { ExecuteMemberCommand } from '../ledger/execute-member.command';
import { MemberLedger } from '../ledger/member-ledger';
import { VAULT } from '../tokens';
import { ErasePersonalDataCommand } from './erase-personal-data.handler';
import { AdjustPointsDto, ChangeTierDto, EnrolMemberDto, RecordActionDto, TransferPointsDto } from './members.dto';

/**
 * The member routes' requests as member commands, stamped with their times
 * and the program in force. Checks on other members (a referrer, a receiver)
 * are made here, before the member's own stream is decided on.
 */
@Injectable()
export class MemberRequests {
  constructor(
    private readonly context: CommandContextFactory,
    private readonly ledger: MemberLedger,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
  ) {}

  async enrolment(body: EnrolMemberDto): Promise<ExecuteMemberCommand<'EnrolMember'>> {
    if (body.referredBy !== undefined && (body.referredBy === body.memberId || !(await this.ledger.isEnrolled(body.referredBy)))) {
      throw rejected('UNKNOWN_REFERRER', `no other member ${body.referredBy} to credit for the referral`, { referredBy: body.referredBy });
    }
    const command: EnrolMember = {
      type: 'EnrolMember',
      memberId: body.memberId,
      memberType: body.type,
      personalData: await this.seal(body),
      referredBy: body.referredBy ?? null,
      requestHash: requestHash('enrol', body),
      ...(await this.context.create(body.occurredAt)),
    };
    return new ExecuteMemberCommand(command);
  }

  async action(memberId: string, body: RecordActionDto): Promise<ExecuteMemberCommand<'RecordAction'>> {
    const command: RecordAction = {
      type: 'RecordAction',
      memberId,
      actionId: body.actionId,
      actionType: body.type,
      requestHash: requestHash('action', body),
      ...(await this.context.create(body.occurredAt)),
    };
    return new ExecuteMemberCommand(command);
  }

  /** Adjustments take no occurredAt: they are dated when the admin makes them. */
  async adjustment(memberId: string, body: AdjustPointsDto, actor: string): Promise<ExecuteMemberCommand<'AdjustPoints'>> {
    const command: AdjustPoints = {
      type: 'AdjustPoints',
      memberId,
      adjustmentId: body.adjustmentId,
      points: body.points,
      reason: body.reason.trim(),
      actor,
      requestHash: requestHash('adjustment', body),
      ...(await this.context.create(undefined)),
    };
    return new ExecuteMemberCommand(command);
  }

  /** Like adjustments, dated when the admin makes them. */
  async tierChange(memberId: string, body: ChangeTierDto, actor: string): Promise<ExecuteMemberCommand<'ChangeTier'>> {
    const command: ChangeTier = {
      type: 'ChangeTier',
      memberId,
      changeId: body.changeId,
      tier: body.tier,
      reason: body.reason.trim(),
      // A null until is absent, as every null optional field is.
      until: body.until ? normaliseInstant(body.until) : null,
      actor,
      requestHash: requestHash('tier-change', body),
      ...(await this.context.create(undefined)),
    };
    return new ExecuteMemberCommand(command);
  }

  /** The receiver must exist before the sender is debited; the credit follows through the transfer reactor. */
  async transfer(memberId: string, body: TransferPointsDto): Promise<ExecuteMemberCommand<'TransferPoints'>> {
    if (!(await this.ledger.isEnrolled(body.toMemberId))) {
      throw rejected('UNKNOWN_RECEIVER', `no member ${body.toMemberId} to receive the points`, { toMemberId: body.toMemberId });
    }
    const command: TransferPoints = {
      type: 'TransferPoints',
      memberId,
      transferId: body.transferId,
      toMemberId: body.toMemberId,
      points: body.points,
      requestHash: requestHash('transfer', body),
      ...(await this.context.create(body.occurredAt)),
    };
    return new ExecuteMemberCommand(command, { kind: 'transfer', id: body.transferId });
  }

  /** One erasure per member: every request to erase is the same request. */
  async erasure(memberId: string): Promise<ErasePersonalDataCommand> {
    const command: ErasePersonalData = {
      type: 'ErasePersonalData',
      memberId,
      requestHash: 'erasure',
      ...(await this.context.create(undefined)),
    };
    return new ErasePersonalDataCommand(command);
  }

  /** Personal data never enters the log in clear: it is sealed with the member's own key. */
  private async seal(body: EnrolMemberDto): Promise<string | null> {
    const data = { name: body.name ?? undefined, email: body.email ?? undefined, birthDate: body.birthDate ?? undefined };
    if (data.name === undefined && data.email === undefined && data.birthDate === undefined) return null;
    return this.vault.seal(body.memberId, data);
  }
}
