import {
  decideMember,
  decisionKey,
  deterministicEventId,
  DomainError,
  evolveMember,
  initialMemberState,
  MemberCommand,
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
  for (const command of commandsOf(plan, memberId)) {
    try {
      const appended = await appendDecided(store, command, state);
      if (!appended) continue;
      ({ state } = appended);
      lastPosition = appended.position;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  }
  return { state, lastPosition };
}

/**
 * Decides one command on the member's state with the pure domain and appends
 * what it decides as the ledger would: its event ids, at the revision the
 * state implies. A refusal throws the domain's error; a decision with
 * nothing to write returns undefined.
 */
export async function appendDecided(
  store: EventStore,
  command: MemberCommand,
  state: MemberState,
): Promise<{ state: MemberState; position: bigint } | undefined> {
  const events = decideMember(command, state);
  if (events.length === 0) return undefined;
  const streamId = memberStreamId(command.memberId);
  const revision = state.eventCount === 0 ? 'no_stream' : BigInt(state.eventCount - 1);
  const appended = await store.append(
    streamId,
    events.map((e, index) => ({
      eventId: deterministicEventId(streamId, decisionKey(command, revision), index),
      type: e.type,
      data: e.data as unknown as Record<string, unknown>,
    })),
    revision,
  );
  return { state: events.reduce(evolveMember, state), position: appended.position };
}
