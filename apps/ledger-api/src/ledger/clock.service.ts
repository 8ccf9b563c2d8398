import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '../tokens';

@Injectable()
export class ClockService {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  nowIso(): string {
    return this.clock.now().toISOString();
  }
}
