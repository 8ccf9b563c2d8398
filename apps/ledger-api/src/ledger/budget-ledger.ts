import { LRUCache } from 'lru-cache';
import { Inject, Injectable } from '@nestjs/common';
import {
  BudgetState,
  budgetStreamId,
  decideReservation,
  decodeBudgetEvent,
  deterministicEventId,
  foldBudget,
  ReservationRequest,
} from '@loyalty/domain';
import {
  COMMAND_ATTEMPTS_MAX,
  ConcurrencyExhaustedError,
  EventStore,
  EventToAppend,
  RecordedEvent,
  recordedFrom,
  RETRY_JITTER_MS_MAX,
  StreamLocks,
  StreamRevision,
  WrongExpectedRevisionError,
} from '@loyalty/event-store';
import { EVENT_STORE } from '../tokens';

/** A budget stream's reservations folded up to `revision`: the revision an append decided on this state expects. */
export interface FoldedBudget {
  readonly state: BudgetState;
  readonly revision: StreamRevision | 'no_stream';
}

interface Kept {
  readonly state: BudgetState;
  readonly revision: StreamRevision;
  /** The id of the event at `revision`: a stream no longer holding it there is folded again from the start. */
  readonly eventId: string;
}

/** Budget streams one process keeps folded, least recently used evicted first: a program has a few budgeted rules and stocked rewards. */
export const BUDGET_STREAMS_KEPT = 1_000;

const NO_STREAM: FoldedBudget = { state: foldBudget([]), revision: 'no_stream' };

/**
 * The write path of budget streams (libs/domain/src/budgets/budgets.ts):
 * reservations appended at the revision they were decided on, and the
 * streams' states folded incrementally. A budget stream gains an event per
 * reservation, so reading it whole made every budgeted purchase, and every
 * look at a reward's stock, cost more than the one before. A kept state is
 * never trusted past its revision: every load reads the stream from there,
 * and an append decided on it expects that revision, so a reservation made
 * elsewhere is folded in, or is a conflict that is decided again.
 */
@Injectable()
export class BudgetLedger {
  private readonly kept = new LRUCache<string, Kept>({ max: BUDGET_STREAMS_KEPT });
  private readonly locks = new StreamLocks();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /**
   * The points (units, for stock) reserved for the request: a new
   * reservation, the one a previous attempt of the same transaction made, or
   * 0 when the budget is spent. Reservations on one stream queue in this
   * process instead of racing to a conflict.
   */
  reserve(request: ReservationRequest): Promise<number> {
    const streamId = budgetStreamId(request.ruleKey);
    return this.locks.run(streamId, async () => {
      for (let attempt = 1; attempt <= COMMAND_ATTEMPTS_MAX; attempt++) {
        const folded = await this.load(streamId);
        const held = folded.state.byTransaction.get(request.transactionId);
        if (held !== undefined) return held;
        const [reservation] = decideReservation(folded.state, request);
        if (!reservation) return 0;
        const event: EventToAppend = {
          eventId: deterministicEventId(streamId, `reserve:${request.transactionId}`, 0),
          type: reservation.type,
          data: reservation.data,
        };
        try {
          const result = await this.store.append(streamId, [event], folded.revision);
          this.appended(streamId, folded, recordedFrom(streamId, [event], result));
          return reservation.data.points;
        } catch (error) {
          if (!(error instanceof WrongExpectedRevisionError)) throw error;
          await new Promise((resolve) => setTimeout(resolve, Math.random() * RETRY_JITTER_MS_MAX * attempt));
        }
      }
      throw new ConcurrencyExhaustedError(streamId);
    });
  }

  /** Reads only what the stream gained since this process last folded it. */
  async load(streamId: string): Promise<FoldedBudget> {
    const kept = this.kept.get(streamId);
    if (kept) {
      const read = await this.store.readStream(streamId, { fromRevision: kept.revision });
      if (read[0]?.eventId === kept.eventId) return this.keep(streamId, read.length === 1 ? kept : foldedOnto(kept.state, read.slice(1)));
    }
    const whole = await this.store.readStream(streamId);
    return whole.length === 0 ? NO_STREAM : this.keep(streamId, foldedOnto(undefined, whole));
  }

  /** After an append decided on `folded` succeeded: the kept state moves on by what it appended. */
  private appended(streamId: string, folded: FoldedBudget, appended: readonly RecordedEvent[]): void {
    this.keep(streamId, foldedOnto(folded.revision === 'no_stream' ? undefined : folded.state, appended));
  }

  private keep(streamId: string, kept: Kept): FoldedBudget {
    this.kept.set(streamId, kept);
    return { state: kept.state, revision: kept.revision };
  }
}

/** `events` (at least one) folded onto `state`; undefined: they are the stream from its start. */
function foldedOnto(state: BudgetState | undefined, events: readonly RecordedEvent[]): Kept {
  const last = events[events.length - 1]!;
  const reservations = events.flatMap((recorded) => decodeBudgetEvent(recorded) ?? []);
  return { state: foldBudget(reservations, state), revision: last.revision, eventId: last.eventId };
}
