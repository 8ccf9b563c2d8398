import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ConfigureProgram, decideProgram, deterministicEventId, PROGRAM_STREAM_ID, ProgramEvent } from '@loyalty/domain';
import { EventStore, runCommand } from '@loyalty/event-store';
import { programStateOf } from '../ledger/program-store';
import { EVENT_STORE } from '../tokens';

export interface ProgramConfiguredReply {
  readonly version: number;
  readonly position: number;
  readonly changed: boolean;
}

export class ConfigureProgramCommand extends Command<ProgramConfiguredReply> {
  constructor(readonly command: ConfigureProgram) {
    super();
  }
}

@CommandHandler(ConfigureProgramCommand)
export class ConfigureProgramHandler implements ICommandHandler<ConfigureProgramCommand, ProgramConfiguredReply> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ command }: ConfigureProgramCommand): Promise<ProgramConfiguredReply> {
    let currentVersion = 0;
    const outcome = await runCommand<ProgramEvent>(this.store, {
      streamId: PROGRAM_STREAM_ID,
      // Each version is its own command: its id is the version it creates.
      eventId: () => deterministicEventId(PROGRAM_STREAM_ID, `program-version:${currentVersion + 1}`, 0),
      decide: (history) => {
        const state = programStateOf(history);
        currentVersion = state.version;
        return decideProgram(command, state);
      },
    });
    return {
      version: outcome.appended ? currentVersion + 1 : currentVersion,
      position: Number(outcome.position),
      changed: outcome.appended,
    };
  }
}
