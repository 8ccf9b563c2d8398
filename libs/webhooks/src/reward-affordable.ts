import { LRUCache } from 'lru-cache';
import {
  availablePoints,
  CatalogueReward,
  decodeMemberEvent,
  decodeProgramEvent,
  evolveMember,
  foldMember,
  initialMemberState,
  MemberEvent,
  MemberState,
  PROGRAM_STREAM_ID,
  ProgramPolicy,
} from '@loyalty/domain';
import type { EventStore, RecordedEvent } from '@loyalty/event-store';
import { NotificationMessage, notificationMessage } from './messages';

/** The rewards a change of available points from `before` to `after` brings within reach: crossed upwards, not merely held. */
export const rewardsReached = (before: number, after: number, rewards: readonly CatalogueReward[]): CatalogueReward[] =>
  rewards.filter((reward) => before < reward.points && after >= reward.points);

/**
 * Members whose folded state the deriver keeps between batches, least
 * recently used evicted first: consecutive batches of one member then fold
 * only their own events; an evicted member's next batch folds its stream
 * from the start, once.
 */
export const DERIVER_STATES_KEPT = 1_000;

interface FoldedAt {
  readonly revision: bigint;
  readonly state: MemberState;
}

interface PolicyFrom {
  readonly position: bigint;
  readonly policy: ProgramPolicy;
}

/**
 * RewardAffordable from the log: each member event of the batch is folded
 * onto the member's state as the domain folds it, and a reward of the program
 * in force at that event whose points the available balance crosses upwards
 * is one occasion, keyed by the event that crossed it (by points alone: tier
 * or segment terms are the redemption's to check).
 */
export class RewardAffordableDeriver {
  private programs: PolicyFrom[] | undefined;
  /** By stream: the state after the last event this deriver folded. A batch rolled back and retried misses it, as it starts earlier. */
  private readonly kept: LRUCache<string, FoldedAt>;

  constructor(
    private readonly store: EventStore,
    statesKept = DERIVER_STATES_KEPT,
  ) {
    this.kept = new LRUCache({ max: statesKept });
  }

  /** The notifications of the batch's events. */
  async derive(events: readonly RecordedEvent[]): Promise<NotificationMessage[]> {
    if (!this.programs || events.some((e) => e.streamId === PROGRAM_STREAM_ID)) this.programs = await this.programHistory();
    const byStream = new Map<string, RecordedEvent[]>();
    for (const event of events) {
      if (!decodeMemberEvent(event)) continue;
      const list = byStream.get(event.streamId) ?? [];
      list.push(event);
      byStream.set(event.streamId, list);
    }
    const messages: NotificationMessage[] = [];
    for (const [streamId, batch] of byStream) messages.push(...(await this.deriveForMember(streamId, batch)));
    return messages;
  }

  private async deriveForMember(streamId: string, batch: readonly RecordedEvent[]): Promise<NotificationMessage[]> {
    let state = await this.stateBefore(streamId, batch[0]!.revision);
    const messages: NotificationMessage[] = [];
    for (const recorded of batch) {
      const event = decodeMemberEvent(recorded)!;
      const before = availablePoints(state);
      state = evolveMember(state, event);
      const rewards = this.policyAt(recorded.position)?.rewards ?? [];
      for (const reward of rewardsReached(before, availablePoints(state), rewards)) {
        messages.push(
          notificationMessage(
            'RewardAffordable',
            `${event.data.memberId}:${reward.rewardId}:${recorded.eventId}`,
            event.data.occurredAt,
            event.data.memberId,
            { memberId: event.data.memberId, rewardId: reward.rewardId, points: reward.points, available: availablePoints(state) },
            recorded.position,
          ),
        );
      }
    }
    this.keep(streamId, { revision: batch[batch.length - 1]!.revision, state });
    return messages;
  }

  /** The member's state just before `revision`: kept from the previous batch, else folded from the events before it. */
  private async stateBefore(streamId: string, revision: bigint): Promise<MemberState> {
    const kept = this.kept.get(streamId);
    if (kept && kept.revision === revision - 1n) return kept.state;
    const earlier = revision === 0n ? [] : await this.store.readStream(streamId);
    return foldMember(
      earlier.flatMap((e) => (e.revision < revision ? decodedOrNone(e) : [])),
      initialMemberState(),
    );
  }

  private keep(streamId: string, folded: FoldedAt): void {
    this.kept.set(streamId, folded);
  }

  private policyAt(position: bigint): ProgramPolicy | undefined {
    let policy: ProgramPolicy | undefined;
    for (const entry of this.programs ?? []) if (entry.position <= position) policy = entry.policy;
    return policy;
  }

  private async programHistory(): Promise<PolicyFrom[]> {
    const recorded = await this.store.readStream(PROGRAM_STREAM_ID);
    return recorded.flatMap((e) => {
      const event = decodeProgramEvent(e);
      return event?.type === 'ProgramConfigured' ? [{ position: e.position, policy: event.data.policy }] : [];
    });
  }
}

const decodedOrNone = (recorded: RecordedEvent): MemberEvent[] => {
  const event = decodeMemberEvent(recorded);
  return event ? [event] : [];
};
