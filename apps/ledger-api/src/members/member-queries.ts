import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { memberStreamId, TIER_POLICY_LIMITS, TierProgress, tierProgress } from '@loyalty/domain';
import {
  LedgerEntryRow,
  loadCheckpoint,
  MemberBalanceRow,
  MemberRow,
  qualifyingPurchaseOfRow,
  READ_MODEL_SCHEMA,
  standingOf,
} from '@loyalty/read-models';
import { ApiError } from '../http/api-error';
import { ClockService } from '../ledger/clock.service';
import { ProgramStore } from '../ledger/program-store';
import { READ_MODELS } from '../tokens';

export const LEDGER_PAGE_SIZE_DEFAULT = 50;
export const LEDGER_PAGE_SIZE_MAX = 500;
export const LEDGER_PROJECTION = 'ledger';

/** Reads served by the projections; every answer says which log position it reflects. */
@Injectable()
export class MemberQueries {
  constructor(
    @Inject(READ_MODELS) private readonly db: DataSource,
    private readonly programs: ProgramStore,
    private readonly clock: ClockService,
  ) {}

  async asOfPosition(): Promise<number> {
    return Number((await loadCheckpoint(this.db.manager, LEDGER_PROJECTION)) ?? -1n);
  }

  async profile(memberId: string) {
    await this.assertNotParked(memberId);
    const member = await this.db.getRepository(MemberRow).findOneBy({ memberId });
    if (!member) throw memberNotFound(memberId);
    return {
      memberId: member.memberId,
      type: member.memberType,
      name: member.name,
      email: member.email,
      birthDate: member.birthDate,
      referredBy: member.referredBy,
      tier: member.tier,
      tierProgress: await this.tierProgressOf(memberId),
      enrolledAt: member.enrolledAt.toISOString(),
      segments: await this.segmentsOf(memberId),
    };
  }

  /**
   * Progress as of now under the program in force, by the domain's rule from
   * the tier read model; null when the program has no tiers. Purchases older
   * than the longest window a policy may have (a calendar year is shorter) cannot count and are not read.
   */
  private async tierProgressOf(memberId: string): Promise<TierProgress | null> {
    const { policy } = await this.programs.state();
    if (!policy || policy.tiers.length === 0) return null;
    const now = this.clock.nowIso();
    const [standing]: Array<{ row: Parameters<typeof standingOf>[0] }> = await this.db.query(
      `select to_json(t) as row from ${READ_MODEL_SCHEMA}.member_tier_standing t where member_id = $1`,
      [memberId],
    );
    if (!standing) return null;
    const purchases: Array<{ row: Parameters<typeof qualifyingPurchaseOfRow>[0] }> = await this.db.query(
      `select to_json(t) as row from ${READ_MODEL_SCHEMA}.member_tier_purchases t
       where member_id = $1 and occurred_at > $2::timestamptz - make_interval(months => $3)`,
      [memberId, now, TIER_POLICY_LIMITS.windowMonthsMax],
    );
    return tierProgress(
      policy,
      standingOf(standing.row),
      purchases.map((p) => qualifyingPurchaseOfRow(p.row)),
      now,
    );
  }

  /** A parked member's rows stopped at the event that parked them: stale figures would be worse than a refusal. */
  private async assertNotParked(memberId: string): Promise<void> {
    const [parked]: Array<{ first_position: string; parked_at: Date }> = await this.db.query(
      `select first_position::text, parked_at from ${READ_MODEL_SCHEMA}.parked_streams where consumer = $1 and stream_id = $2`,
      [LEDGER_PROJECTION, memberStreamId(memberId)],
    );
    if (!parked) return;
    throw new ApiError(
      503,
      'READ_MODEL_PARKED',
      `the read models of member ${memberId} are parked at an event they could not apply; an operator must retry it (GET /v1/admin/parked-streams)`,
      { memberId, position: parked.first_position, parkedAt: parked.parked_at.toISOString() },
    );
  }

  /** The segments the member is in now, from the segments projection's membership history. */
  private async segmentsOf(memberId: string): Promise<string[]> {
    const rows: Array<{ segment: string }> = await this.db.query(
      `select segment from ${READ_MODEL_SCHEMA}.segment_memberships where member_id = $1 and left_at is null order by segment`,
      [memberId],
    );
    return rows.map((r) => r.segment);
  }

  async balance(memberId: string) {
    const [balance, member] = await Promise.all([
      this.db.getRepository(MemberBalanceRow).findOneBy({ memberId }),
      this.db.getRepository(MemberRow).findOneBy({ memberId }),
      this.assertNotParked(memberId),
    ]);
    if (!balance || !member) throw memberNotFound(memberId);
    return {
      memberId,
      available: balance.available,
      pending: balance.pending,
      lifetimeEarned: balance.lifetimeEarned,
      redeemed: balance.redeemed,
      expired: balance.expired,
      clawedBack: balance.clawedBack,
      adjusted: balance.adjusted,
      transferredIn: balance.transferredIn,
      transferredOut: balance.transferredOut,
      debt: balance.debt,
      tier: member.tier,
    };
  }

  /** Newest first; the cursor is the position of the last entry of the previous page. */
  async ledger(memberId: string, cursor: string | undefined, limit: number) {
    await this.assertNotParked(memberId);
    if (!(await this.db.getRepository(MemberRow).existsBy({ memberId }))) throw memberNotFound(memberId);
    const before = cursor === undefined ? undefined : decodeCursor(cursor);
    const query = this.db
      .getRepository(LedgerEntryRow)
      .createQueryBuilder('e')
      .where('e.member_id = :memberId', { memberId })
      .orderBy('e.position', 'DESC')
      .addOrderBy('e.entry_id', 'DESC')
      .limit(limit + 1);
    if (before !== undefined) query.andWhere('e.position < :before', { before: before.toString() });
    const rows = await query.getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      memberId,
      entries: page.map((e) => ({
        entryId: e.entryId,
        type: e.type,
        points: e.points,
        occurredAt: e.occurredAt.toISOString(),
        reference: e.reference,
        detail: e.detail,
      })),
      nextCursor: rows.length > limit && last ? encodeCursor(BigInt(last.position)) : null,
    };
  }
}

function memberNotFound(memberId: string): ApiError {
  return new ApiError(404, 'MEMBER_NOT_FOUND', `no member ${memberId}`, { memberId });
}

const encodeCursor = (position: bigint) => Buffer.from(`p:${position}`).toString('base64url');

function decodeCursor(cursor: string): bigint {
  const match = /^p:(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new ApiError(400, 'INVALID_CURSOR', 'the cursor is not one this API returned');
  return BigInt(match[1]!);
}
