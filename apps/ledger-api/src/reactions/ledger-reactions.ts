import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decodeMemberEvent, DomainError, MemberCommand, MemberEvent } from '@loyalty/domain';
import { EventStore, RecordedEvent } from '@loyalty/event-store';
import { perEvent, Projector } from '@loyalty/read-models';
import { ClockService } from '../ledger/clock.service';
import { ExecuteMemberCommand } from '../ledger/execute-member.command';
import { MemberLedger } from '../ledger/member-ledger';
import { ProgramStore } from '../ledger/program-store';
import { EVENT_STORE, READ_MODELS } from '../tokens';

export const REACTIONS_PROJECTION = 'reactions';

/**
 * Cross-member consequences, carried out from the log: a qualified referral
 * credits the referrer, a transfer out credits the receiver. The reactor
 * runs on the projector's machinery (checkpointed, single active), commands
 * are idempotent by the originating id, so delivery at least once yields
 * exactly one effect, and a crash between the two sides only delays the second.
 */
@Injectable()
export class LedgerReactions implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('reactions');
  private readonly projector: Projector;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(READ_MODELS) db: DataSource,
    private readonly ledger: MemberLedger,
    private readonly programs: ProgramStore,
    private readonly clock: ClockService,
  ) {
    const reactions = perEvent(REACTIONS_PROJECTION, (event) => this.react(event));
    this.projector = new Projector(store, db, [reactions], REACTIONS_PROJECTION, (line) => this.logger.warn(line));
  }

  onApplicationBootstrap(): void {
    this.projector.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projector.stop();
  }

  status() {
    return this.projector.status();
  }

  retryParked(streamId: string) {
    return this.projector.retryParked(streamId);
  }

  private async react(recorded: RecordedEvent): Promise<void> {
    const event = decodeMemberEvent(recorded);
    const command = event && (await this.commandFor(event));
    if (!command) return;
    try {
      await this.ledger.execute(new ExecuteMemberCommand(command));
    } catch (error) {
      // A refusal will not change on retry: report it and move on rather than stall every later reaction.
      if (!(error instanceof DomainError)) throw error;
      this.logger.error(`reaction to ${recorded.type} ${recorded.eventId} refused: ${error.code} ${error.message}`);
    }
  }

  private async commandFor(event: MemberEvent): Promise<MemberCommand | undefined> {
    if (event.type !== 'ReferralQualified' && event.type !== 'PointsTransferredOut') return undefined;
    const base = { occurredAt: event.data.occurredAt, receivedAt: this.clock.nowIso(), program: await this.programs.inForce() };
    if (event.type === 'ReferralQualified') {
      return {
        type: 'AwardReferrerBonus',
        memberId: event.data.referrerId,
        refereeId: event.data.memberId,
        requestHash: `referral:${event.data.memberId}`,
        ...base,
      };
    }
    const d = event.data;
    return {
      type: 'ReceiveTransfer',
      memberId: d.toMemberId,
      transferId: d.transferId,
      fromMemberId: d.memberId,
      points: d.points,
      lots: d.lots,
      requestHash: d.transferId,
      ...base,
    };
  }
}
