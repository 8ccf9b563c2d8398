import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { freshCouponCodesNeeded, Instant, invalid, isAfter, normaliseInstant, ProgramInForce, SettleMember } from '@loyalty/domain';
import { ClockService } from '../ledger/clock.service';
import { ExecuteMemberCommand, MemberReply } from '../ledger/execute-member.command';
import { MemberLedger } from '../ledger/member-ledger';
import { ProgramStore } from '../ledger/program-store';
import { READ_MODELS, VAULT } from '../tokens';
import { PersonalDataVault } from '@loyalty/platform';
import { settlementCandidates } from './settlement-candidates';
import { newCouponCode } from '../coupons/coupon-codes';

/** Members fetched per page and settled at once: bounded work and bounded connections. */
const CANDIDATES_PAGE_SIZE = 500;
const SETTLEMENT_CONCURRENCY = 4;

export class SettleMembersCommand {
  constructor(readonly asOf: string | undefined) {}
}

export interface SettlementReport {
  readonly asOf: string;
  readonly membersChecked: number;
  readonly membersChanged: number;
  readonly activated: number;
  readonly expired: number;
  readonly birthdayBonuses: number;
  readonly tierChanges: number;
  readonly debtRepayments: number;
  readonly couponsExpired: number;
  /** The highest position written by this run; -1 when it wrote nothing. */
  readonly position: number;
}

/** The daily job: POST /v1/admin/jobs/expire and the scheduler both run this. Running it twice is harmless. */
@CommandHandler(SettleMembersCommand)
export class SettleMembersHandler implements ICommandHandler<SettleMembersCommand, SettlementReport> {
  private readonly logger = new Logger('settlement');

  constructor(
    @Inject(READ_MODELS) private readonly db: DataSource,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly ledger: MemberLedger,
    private readonly programs: ProgramStore,
    private readonly clock: ClockService,
  ) {}

  async execute({ asOf: requested }: SettleMembersCommand): Promise<SettlementReport> {
    const receivedAt = this.clock.nowIso();
    const asOf = requested === undefined ? receivedAt : normaliseInstant(requested);
    if (isAfter(asOf, receivedAt)) throw invalid('AS_OF_IN_FUTURE', 'asOf may not be in the future', { asOf });
    const program = await this.programs.inForce();
    const report = {
      asOf,
      membersChecked: 0,
      membersChanged: 0,
      activated: 0,
      expired: 0,
      birthdayBonuses: 0,
      tierChanges: 0,
      debtRepayments: 0,
      couponsExpired: 0,
      position: -1,
    };
    let after = '';
    for (;;) {
      const page = await settlementCandidates(this.db, program.policy, asOf, after, CANDIDATES_PAGE_SIZE);
      if (page.length === 0) break;
      for (let i = 0; i < page.length; i += SETTLEMENT_CONCURRENCY) {
        const batch = page.slice(i, i + SETTLEMENT_CONCURRENCY);
        const settled = await Promise.all(batch.map((memberId) => this.settle(memberId, asOf, receivedAt, program)));
        for (const one of settled) tally(report, one);
      }
      report.membersChecked += page.length;
      after = page[page.length - 1]!;
      this.logger.log(`settled ${report.membersChecked} members as of ${asOf}`);
    }
    return report;
  }

  private async settle(
    memberId: string,
    asOf: Instant,
    receivedAt: Instant,
    program: ProgramInForce,
  ): Promise<MemberReply<'SettleMember'>> {
    const command: SettleMember = {
      type: 'SettleMember',
      memberId,
      asOf,
      birthDate: await this.birthDateOf(memberId),
      freshCouponCodes: Array.from({ length: freshCouponCodesNeeded(program.policy) }, newCouponCode),
      occurredAt: receivedAt,
      receivedAt,
      requestHash: `settlement:${asOf}`,
      program,
    };
    return this.ledger.execute(new ExecuteMemberCommand(command));
  }

  /** The birthday bonus needs the birth date, which only the vault can open (none once erased). */
  private async birthDateOf(memberId: string): Promise<string | null> {
    const sealed = await this.ledger.sealedPersonalData(memberId);
    return sealed === null ? null : ((await this.vault.open(memberId, sealed))?.birthDate ?? null);
  }
}

function tally(report: { -readonly [K in keyof SettlementReport]: SettlementReport[K] }, settled: MemberReply<'SettleMember'>) {
  if (!settled.created) return;
  report.membersChanged += 1;
  report.position = Math.max(report.position, settled.position);
  report.activated += settled.result.activated;
  report.expired += settled.result.expired;
  report.birthdayBonuses += settled.result.birthdayBonuses;
  report.tierChanges += settled.result.tierChanges;
  report.debtRepayments += settled.result.debtRepayments;
  report.couponsExpired += settled.result.couponsExpired;
}
