import type { BudgetEvent } from '../budgets/budgets';
import type { ClientIdClaimed } from '../claims/claims';
import type { MemberEvent } from '../member/events';
import type { ProgramEvent } from '../program/program';
import type { SegmentDefinitionEvent } from '../segments/definitions';
import { CLAIM_STREAM_KINDS, eventTypesOf, isStreamOf, StreamKind } from './catalogue';

/**
 * Where a stored event becomes a domain event. Only the domain's own deciders
 * write these streams, so the decoders check what tells one event from another
 * (the stream's kind, the type) and the fields every event of the kind carries;
 * the rest of the payload is what the decider of that type wrote.
 */

/** A stored event as the event store returns it, structurally, so the domain needs no event-store import. */
export interface StoredEvent {
  readonly streamId: string;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** A stored event of a known type without the fields every event of its kind carries: the log is corrupt, not merely newer. */
export class MalformedEventError extends Error {
  constructor(
    readonly streamId: string,
    readonly type: string,
    readonly missing: readonly string[],
  ) {
    super(`${type} on ${streamId} lacks ${missing.join(', ')}`);
    this.name = 'MalformedEventError';
  }
}

type Decoded<Event> = StoredEvent & Event;

function decoderOf<Event extends { readonly type: string }>(kind: StreamKind, stringFields: readonly string[]) {
  const types = new Set(eventTypesOf(kind));
  const holds = (recorded: StoredEvent): recorded is Decoded<Event> => {
    if (!types.has(recorded.type) || !isStreamOf(kind, recorded.streamId)) return false;
    // A loop, not a filter: this runs for every event of every fold and replay, and allocates only for a corrupt one.
    for (const field of stringFields) {
      if (typeof recorded.data[field] !== 'string') {
        const missing = stringFields.filter((f) => typeof recorded.data[f] !== 'string');
        throw new MalformedEventError(recorded.streamId, recorded.type, missing);
      }
    }
    return true;
  };
  return (recorded: StoredEvent): Event | undefined => (holds(recorded) ? recorded : undefined);
}

/** undefined for another kind of stream or a type newer than this code: not ours to fold. */
export const decodeMemberEvent: (recorded: StoredEvent) => MemberEvent | undefined = decoderOf<MemberEvent>('member', [
  'memberId',
  'occurredAt',
]);

export const decodeProgramEvent: (recorded: StoredEvent) => ProgramEvent | undefined = decoderOf<ProgramEvent>('program', ['occurredAt']);

export const decodeSegmentDefinitionEvent: (recorded: StoredEvent) => SegmentDefinitionEvent | undefined =
  decoderOf<SegmentDefinitionEvent>('segment-definitions', ['occurredAt']);

export const decodeBudgetEvent: (recorded: StoredEvent) => BudgetEvent | undefined = decoderOf<BudgetEvent>('rule-budget', [
  'ruleKey',
  'transactionId',
  'occurredAt',
]);

const CLAIM_DECODERS = Object.values(CLAIM_STREAM_KINDS).map((kind) => decoderOf<ClientIdClaimed>(kind, ['memberId', 'requestHash']));

/** Any kind of claim stream: the kind of claim is in the event itself. */
export function decodeClaimEvent(recorded: StoredEvent): ClientIdClaimed | undefined {
  for (const decode of CLAIM_DECODERS) {
    const event = decode(recorded);
    if (event) return event;
  }
  return undefined;
}
