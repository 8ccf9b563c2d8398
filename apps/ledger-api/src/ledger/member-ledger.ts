import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  ClaimKind,
  claimFromEvents,
  claimStreamId,
  ClientIdClaimed,
  decisionKey,
  decideClaim,
  decideMember,
  decodeClaimEvent,
  decodeMemberEvent,
  deterministicEventId,
  foldMember,
  MemberCommand,
  MemberCommandOf,
  MemberCommandType,
  MemberEvent,
  memberStreamId,
  resultOf,
} from '@loyalty/domain';
import { EventStore, RecordedEvent, runCommand, StreamCommand, StreamLocks } from '@loyalty/event-store';
import { EVENT_STORE } from '../tokens';
import { ExecuteMemberCommand, GlobalIdClaim, MemberReply } from './execute-member.command';

/**
 * The write path for member commands, in three steps: decide on the member's
 * stream, claim the command's global id, append at the revision decided on.
 * A refusal throws at the first step, so it claims and writes nothing; a
 * repeat decides nothing new, so it claims nothing and answers what its first
 * run recorded.
 */
@CommandHandler(ExecuteMemberCommand)
export class MemberLedger implements ICommandHandler<ExecuteMemberCommand> {
  private readonly locks = new StreamLocks();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Commands for one member run one at a time in this process: concurrent requests queue instead of racing to a conflict. */
  execute<T extends MemberCommandType>({ command, claim }: ExecuteMemberCommand<T>): Promise<MemberReply<T>> {
    return this.locks.run(memberStreamId(command.memberId), () => this.write(command, claim));
  }

  private async write<T extends MemberCommandType>(command: MemberCommandOf<T>, claim?: GlobalIdClaim): Promise<MemberReply<T>> {
    const stream = memberStream(command);
    const history = await this.store.readStream(stream.streamId);
    const decision = stream.decide(history);
    if (claim && decision.length > 0) await this.claim(claim, command);
    // Appended at the revision it was decided on; should the stream have moved meanwhile, runCommand decides again.
    const outcome = await runCommand(this.store, stream, history, decision);
    return {
      created: outcome.appended,
      position: Number(outcome.position),
      result: resultOf(command, memberEvents(outcome.events)),
    };
  }

  /** Most ids are new: the claim is appended as if its stream did not exist, and read only when it does. */
  private async claim(claim: GlobalIdClaim, { memberId, requestHash }: MemberCommand): Promise<void> {
    const streamId = claimStreamId(claim.kind, claim.id);
    await runCommand<ClientIdClaimed>(
      this.store,
      {
        streamId,
        eventId: (index) => deterministicEventId(streamId, `claim:${memberId}`, index),
        decide: (history) => decideClaim(claim.kind, claim.id, memberId, requestHash, claimFromEvents(claimEvents(history))),
      },
      [],
    );
  }

  /** The sealed personal data from the member's enrolment, when there is any. */
  async sealedPersonalData(memberId: string): Promise<string | null> {
    const first = await this.store.readStream(memberStreamId(memberId), { maxCount: 1 });
    const data = first[0]?.type === 'MemberEnrolled' ? first[0].data.personalData : null;
    return typeof data === 'string' ? data : null;
  }

  async isEnrolled(memberId: string): Promise<boolean> {
    const first = await this.store.readStream(memberStreamId(memberId), { maxCount: 1 });
    return first[0]?.type === 'MemberEnrolled';
  }

  /** The member that holds a purchase or redemption id, from its claim stream. */
  async claimant(kind: ClaimKind, id: string): Promise<string | undefined> {
    const events = await this.store.readStream(claimStreamId(kind, id));
    return claimFromEvents(claimEvents(events))?.memberId;
  }
}

function memberStream(command: MemberCommand): StreamCommand<MemberEvent> {
  const streamId = memberStreamId(command.memberId);
  return {
    streamId,
    eventId: (index, decidedAt) => deterministicEventId(streamId, decisionKey(command, decidedAt), index),
    decide: (history) => decideMember(command, foldMember(memberEvents(history))),
  };
}

const memberEvents = (history: readonly RecordedEvent[]): MemberEvent[] => history.flatMap((recorded) => decodeMemberEvent(recorded) ?? []);

const claimEvents = (history: readonly RecordedEvent[]): ClientIdClaimed[] =>
  history.flatMap((recorded) => decodeClaimEvent(recorded) ?? []);
