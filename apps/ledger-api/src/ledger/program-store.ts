import { Inject, Injectable } from '@nestjs/common';
import {
  decodeProgramEvent,
  evolveProgram,
  initialProgramState,
  PROGRAM_STREAM_ID,
  ProgramInForce,
  ProgramState,
  requireProgram,
} from '@loyalty/domain';
import { EventStore, RecordedEvent } from '@loyalty/event-store';
import { EVENT_STORE } from '../tokens';

/**
 * Loads the program's current version: the rules in force when a command is
 * processed. Every command needs it, so the folded state is kept and each
 * load reads only the events after it (usually none); another process's
 * change is still seen by the next command.
 */
@Injectable()
export class ProgramStore {
  private known: { state: ProgramState; nextRevision: bigint } = { state: initialProgramState(), nextRevision: 0n };

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async state(): Promise<ProgramState> {
    const from = this.known;
    const newer = await this.store.readStream(PROGRAM_STREAM_ID, { fromRevision: from.nextRevision });
    if (newer.length === 0) return from.state;
    const state = programStateOf(newer, from.state);
    const nextRevision = newer[newer.length - 1]!.revision + 1n;
    // Concurrent loads may finish out of order: keep the furthest.
    if (nextRevision > this.known.nextRevision) this.known = { state, nextRevision };
    return state;
  }

  async inForce(): Promise<ProgramInForce> {
    const state = await this.state();
    return { version: state.version, policy: requireProgram(state) };
  }
}

export function programStateOf(history: readonly RecordedEvent[], from: ProgramState = initialProgramState()): ProgramState {
  return history.reduce((state, recorded) => {
    const event = decodeProgramEvent(recorded);
    return event ? evolveProgram(state, event) : state;
  }, from);
}
