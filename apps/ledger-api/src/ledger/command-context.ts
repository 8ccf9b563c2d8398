import { Injectable } from '@nestjs/common';
import { invalid, normaliseInstant, ProgramInForce } from '@loyalty/domain';
import { ClockService } from './clock.service';
import { ProgramStore } from './program-store';

export interface CommandContext {
  readonly occurredAt: string;
  readonly receivedAt: string;
  readonly program: ProgramInForce;
}

/** Stamps a member command with its times and the program version in force. */
@Injectable()
export class CommandContextFactory {
  constructor(
    private readonly clock: ClockService,
    private readonly programs: ProgramStore,
  ) {}

  async create(occurredAt: string | undefined): Promise<CommandContext> {
    const receivedAt = this.clock.nowIso();
    let occurred = receivedAt;
    if (occurredAt !== undefined) {
      try {
        occurred = normaliseInstant(occurredAt);
      } catch {
        throw invalid('INVALID_OCCURRED_AT', 'occurredAt is not a valid instant', { occurredAt });
      }
    }
    return { occurredAt: occurred, receivedAt, program: await this.programs.inForce() };
  }
}
