import { Inject, Injectable } from '@nestjs/common';
import {
  evolveProgram,
  initialProgramState,
  ProgramEvent,
  ProgramInForce,
  ProgramState,
  requireProgram,
} from '@loyalty/domain';
import { EventStore, RecordedEvent } from '@loyalty/event-store';
import { EVENT_STORE } from '../tokens';

export const PROGRAM_STREAM_ID = 'program-default';

/** Loads the program's current version: the rules in force when a command is processed. */
@Injectable()
export class ProgramStore {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async state(): Promise<ProgramState> {
    return programStateOf(await this.store.readStream(PROGRAM_STREAM_ID));
  }

  async inForce(): Promise<ProgramInForce> {
    const state = await this.state();
    return { version: state.version, policy: requireProgram(state) };
  }
}

export function programStateOf(history: readonly RecordedEvent[]): ProgramState {
  return history.reduce(
    (state, e) => evolveProgram(state, { type: e.type, data: e.data } as unknown as ProgramEvent),
    initialProgramState(),
  );
}
