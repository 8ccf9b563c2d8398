import { Injectable } from '@nestjs/common';
import { freshCouponCodesNeeded, normaliseInstant, ProgramInForce } from '@loyalty/domain';
import { ClockService } from './clock.service';
import { ProgramStore } from './program-store';
import { newCouponCode } from '../coupons/coupon-codes';

export interface CommandContext {
  readonly occurredAt: string;
  readonly receivedAt: string;
  readonly program: ProgramInForce;
  /** Codes for coupons the program's rules may issue with the command (an upgrade, a coupon rule); unused by most. */
  readonly freshCouponCodes: readonly string[];
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
    // The DTO's IsInstant refused anything parseInstant does not read; null, like absent, means now.
    const occurred = occurredAt ? normaliseInstant(occurredAt) : receivedAt;
    const program = await this.programs.inForce();
    const freshCouponCodes = Array.from({ length: freshCouponCodesNeeded(program.policy) }, newCouponCode);
    return { occurredAt: occurred, receivedAt, program, freshCouponCodes };
  }
}
