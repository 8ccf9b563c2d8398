import {
  commandKey,
  decideMember,
  deterministicEventId,
  DomainError,
  evolveMember,
  initialMemberState,
  MemberState,
  memberStreamId,
} from '@loyalty/domain';
import { EventStore } from '@loyalty/event-store';
import { commandsOf, MemberPlan } from '../../libs/domain/src/testing/arbitrary-history';

/**
 * Plays a generated member plan as the API would: decide each command on the
 * member's state, append what it emits with its deterministic ids at the
 * expected revision, skip refusals. Returns the member's final state and the
 * position of its last event (-1 when nothing was written).
 */
export async function appendGeneratedMember(
  store: EventStore,
  plan: MemberPlan,
  memberId: string,
): Promise<{ state: MemberState; lastPosition: bigint }> {
  let state = initialMemberState();
  let lastPosition = -1n;
  const streamId = memberStreamId(memberId);
  for (const command of commandsOf(plan, memberId)) {
    let events;
    try {
      events = decideMember(command, state);
    } catch (error) {
      if (error instanceof DomainError) continue;
      throw error;
    }
    if (events.length === 0) continue;
    const appended = await store.append(
      streamId,
      events.map((e, index) => ({
        eventId: deterministicEventId(streamId, commandKey(command), index),
        type: e.type,
        data: e.data as unknown as Record<string, unknown>,
      })),
      state.eventCount === 0 ? 'no_stream' : BigInt(state.eventCount - 1),
    );
    lastPosition = appended.position;
    state = events.reduce(evolveMember, state);
  }
  return { state, lastPosition };
}
