import { EventStore, EventToAppend, StreamRevision, RecordedEvent, WrongExpectedRevisionError } from './port';

/** Attempts of load-decide-append before a contended stream is reported as a conflict. */
export const COMMAND_ATTEMPTS_MAX = 10;
/** Upper bound of the random pause before a retry, so contending writers spread out. */
export const RETRY_JITTER_MS_MAX = 20;

export interface DomainEventShape {
  readonly type: string;
  readonly data: object;
}

export interface CommandOutcome {
  /** False when the command had already been processed: nothing was written this time. */
  readonly appended: boolean;
  /** The command's own events as stored (on a repeat, the ones the first run wrote). */
  readonly events: readonly RecordedEvent[];
  /** Position of the command's last event. */
  readonly position: bigint;
}

export class ConcurrencyExhaustedError extends Error {
  readonly code = 'CONCURRENCY_CONFLICT';
  constructor(readonly streamId: string) {
    super(`stream ${streamId} kept changing; gave up after ${COMMAND_ATTEMPTS_MAX} attempts`);
  }
}

export interface StreamCommand<Event extends DomainEventShape> {
  readonly streamId: string;
  /**
   * Deterministic event id for the command's n-th event, given the revision
   * the decision was made at: a command with a client id ignores it (a retry
   * must find its own events), one without (a settlement) needs it so that a
   * later decision never reuses an earlier one's ids.
   */
  eventId(index: number, decidedAt: StreamRevision | 'no_stream'): string;
  /** Folds the stream and decides; [] means already processed. May throw a domain error. */
  decide(history: readonly RecordedEvent[]): Event[];
}

/**
 * Load the stream, decide, append at the revision that was read. On a
 * concurrent write, decide again on the new history (bounded), so two
 * requests never both act on the same stale state.
 *
 * `knownHistory` saves the first read when the caller has just read the
 * stream (or expects it not to exist: `[]`). It is only a guess: the append
 * still checks the revision it implies, and a wrong guess costs one retry on
 * the real history. `knownDecision` is what the caller already decided on
 * `knownHistory`, so the first attempt does not decide twice.
 */
export async function runCommand<Event extends DomainEventShape>(
  store: EventStore,
  command: StreamCommand<Event>,
  knownHistory?: readonly RecordedEvent[],
  knownDecision?: readonly Event[],
): Promise<CommandOutcome> {
  for (let attempt = 1; attempt <= COMMAND_ATTEMPTS_MAX; attempt++) {
    const history = attempt === 1 && knownHistory ? knownHistory : await store.readStream(command.streamId);
    const events = attempt === 1 && knownHistory && knownDecision ? knownDecision : command.decide(history);
    const expected = history.length === 0 ? 'no_stream' : history[history.length - 1]!.revision;
    if (events.length === 0) return repeated(command, history, expected);
    const toAppend: EventToAppend[] = events.map((e, index) => ({
      eventId: command.eventId(index, expected),
      type: e.type,
      data: e.data as Record<string, unknown>,
    }));
    try {
      const result = await store.append(command.streamId, toAppend, expected);
      return { appended: true, events: recordedFrom(command.streamId, toAppend, result), position: result.position };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      // A guessed history that was wrong is not contention: re-read at once.
      if (!(attempt === 1 && knownHistory)) await new Promise((r) => setTimeout(r, Math.random() * RETRY_JITTER_MS_MAX * attempt));
    }
  }
  throw new ConcurrencyExhaustedError(command.streamId);
}

/** A command that decided nothing: its own events as the history holds them, from the ids it gives them. */
export function repeated(
  command: Pick<StreamCommand<DomainEventShape>, 'eventId'>,
  history: readonly RecordedEvent[],
  decidedAt: StreamRevision | 'no_stream',
): CommandOutcome {
  const byId = new Map(history.map((e) => [e.eventId, e]));
  const own: RecordedEvent[] = [];
  for (let index = 0; ; index++) {
    const event = byId.get(command.eventId(index, decidedAt));
    if (!event) break;
    own.push(event);
  }
  const last = own[own.length - 1] ?? history[history.length - 1];
  return { appended: false, events: own, position: last?.position ?? -1n };
}

/**
 * Positions of all but the last event are not returned by an append; within
 * one append they are consecutive in both adapters' ordering, but callers
 * only rely on the last one, so earlier events carry it too.
 */
export function recordedFrom(
  streamId: string,
  events: readonly EventToAppend[],
  result: { nextRevision: bigint; position: bigint },
): RecordedEvent[] {
  const first = result.nextRevision - BigInt(events.length - 1);
  return events.map((e, i) => ({
    streamId,
    revision: first + BigInt(i),
    position: result.position,
    eventId: e.eventId,
    type: e.type,
    data: e.data,
    metadata: e.metadata ?? {},
  }));
}
