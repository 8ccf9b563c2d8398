import { Inject, Injectable } from '@nestjs/common';
import {
  ClaimKind,
  claimFromEvents,
  claimStreamId,
  ClientIdClaimed,
  commandKey,
  decideClaim,
  decideMember,
  decodeClaimEvent,
  decodeMemberEvent,
  deterministicEventId,
  foldMember,
  MemberCommand,
  MemberEvent,
  memberStreamId,
} from '@loyalty/domain';
import { CommandOutcome, EventStore, RecordedEvent, runCommand, StreamLocks } from '@loyalty/event-store';
import { EVENT_STORE } from '../tokens';

export interface GlobalIdClaim {
  readonly kind: ClaimKind;
  readonly id: string;
}

/**
 * The write path for member commands: decide on the member's stream, claim a
 * global client id when the command has one, append with optimistic
 * concurrency. Nothing is written when the domain refuses.
 */
@Injectable()
export class MemberLedger {
  private readonly locks = new StreamLocks();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute(command: MemberCommand, claim?: GlobalIdClaim): Promise<CommandOutcome> {
    return this.locks.run(memberStreamId(command.memberId), () => this.decideAndAppend(command, claim));
  }

  private async decideAndAppend(command: MemberCommand, claim?: GlobalIdClaim): Promise<CommandOutcome> {
    const streamId = memberStreamId(command.memberId);
    const key = commandKey(command);
    const history = await this.store.readStream(streamId);
    const decideOn = (h: readonly RecordedEvent[]) => decideMember(command, foldMember(memberEvents(h)));
    // Refusals surface before the id is claimed, so a refused request claims nothing.
    const first = claim ? decideOn(history) : undefined;
    if (claim && first?.length) await this.claim(claim, command.memberId, command.requestHash);
    const decide = (h: readonly RecordedEvent[]) => (h === history && first ? first : decideOn(h));
    return runCommand<MemberEvent>(
      this.store,
      { streamId, eventId: (index) => deterministicEventId(streamId, key, index), decide },
      history,
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

  /** Most ids are new: the claim is appended as if its stream did not exist, and read only when it does. */
  private async claim(claim: GlobalIdClaim, memberId: string, requestHash: string): Promise<void> {
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
}

function memberEvents(history: readonly RecordedEvent[]): MemberEvent[] {
  const events: MemberEvent[] = [];
  for (const recorded of history) {
    const event = decodeMemberEvent(recorded);
    if (event) events.push(event);
  }
  return events;
}

const claimEvents = (history: readonly RecordedEvent[]): ClientIdClaimed[] =>
  history.flatMap((recorded) => decodeClaimEvent(recorded) ?? []);
