import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { memberStreamId, TIER_POLICY_LIMITS, TierProgress, tierProgress } from '@loyalty/domain';
import {
  LedgerEntryRow,
  loadCheckpoint,
  memberPreferences,
  MemberRow,
  qualifyingPurchaseOfRow,
  READ_MODEL_SCHEMA,
  standingOf,
} from '@loyalty/read-models';
import { queryRows } from '@loyalty/platform';
import { ApiError } from '../http/api-error';
import { ClockService } from '../ledger/clock.service';
import { ProgramStore } from '../ledger/program-store';
import { READ_MODELS } from '../tokens';
import { effectiveTierOf, MembershipRow, membershipProfile } from './memberships-profile';
import { preparedRows } from './prepared-rows';

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
    const { policy } = await this.programs.state();
    const memberships = await membershipProfile(this.db, memberId, member.tier, policy, this.clock.nowIso());
    return {
      memberId: member.memberId,
      type: member.memberType,
      name: member.name,
      email: member.email,
      birthDate: member.birthDate,
      referredBy: member.referredBy,
      tier: memberships.tier,
      tierProgress: await this.tierProgressOf(memberId),
      enrolledAt: member.enrolledAt.toISOString(),
      segments: await this.segmentsOf(memberId),
      preferences: await memberPreferences(this.db, memberId),
      memberships: memberships.memberships,
      benefits: memberships.benefits,
    };
  }

  /**
   * Progress as of now under the program in force, by the domain's rule from
   * the tier read model; null when the program has no tiers. Purchases older
   * than the longest window a policy may have (a calendar year is shorter) cannot count and are not read.
   */
  async tierProgressOf(memberId: string): Promise<TierProgress | null> {
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
    const [parked] = await queryRows<ParkedMark>(
      this.db,
      `select first_position::text as parked_position, parked_at from ${READ_MODEL_SCHEMA}.parked_streams where consumer = $1 and stream_id = $2`,
      [LEDGER_PROJECTION, memberStreamId(memberId)],
    );
    if (parked) throw memberParked(memberId, parked);
  }

  /** The segments the member is in now, from the segments projection's membership history. */
  private async segmentsOf(memberId: string): Promise<string[]> {
    const rows: Array<{ segment: string }> = await this.db.query(
      `select segment from ${READ_MODEL_SCHEMA}.segment_memberships where member_id = $1 and left_at is null order by segment`,
      [memberId],
    );
    return rows.map((r) => r.segment);
  }

  /**
   * The hottest read, in one round trip: the member's rows, whether its stream
   * is parked and the checkpoint they reflect, all from one snapshot.
   */
  async balance(memberId: string) {
    const now = this.clock.nowIso();
    const [row] = await preparedRows<BalanceRow>(
      this.db,
      'member_balance',
      `select m.member_id, m.tier, b.available::text, b.pending::text, b.lifetime_earned::text, b.redeemed::text, b.expired::text,
              b.clawed_back::text, b.adjusted::text, b.transferred_in::text, b.transferred_out::text, b.debt::text,
              p.first_position::text as parked_position, p.parked_at,
              (select position::text from ${READ_MODEL_SCHEMA}.checkpoints where projection = $2) as as_of_position,
              (select json_agg(mm) from ${READ_MODEL_SCHEMA}.member_memberships mm
                where mm.member_id = k.member_id and mm.tier is not null and not mm.lapsed and mm.period_end > $4::timestamptz) as tier_grants
         from (select $1::text as member_id) k
         left join ${READ_MODEL_SCHEMA}.members m on m.member_id = k.member_id
         left join ${READ_MODEL_SCHEMA}.member_balances b on b.member_id = k.member_id
         left join ${READ_MODEL_SCHEMA}.parked_streams p on p.consumer = $2 and p.stream_id = $3`,
      [memberId, LEDGER_PROJECTION, memberStreamId(memberId), now],
    );
    if (row?.parked_position) throw memberParked(memberId, row);
    if (!row?.member_id || row.available === null) throw memberNotFound(memberId);
    const tier = row.tier_grants ? effectiveTierOf(row.tier, row.tier_grants, (await this.programs.state()).policy, now) : row.tier;
    const points = (value: string | null) => Number(value);
    return {
      memberId,
      available: points(row.available),
      pending: points(row.pending),
      lifetimeEarned: points(row.lifetime_earned),
      redeemed: points(row.redeemed),
      expired: points(row.expired),
      clawedBack: points(row.clawed_back),
      adjusted: points(row.adjusted),
      transferredIn: points(row.transferred_in),
      transferredOut: points(row.transferred_out),
      debt: points(row.debt),
      tier,
      asOfPosition: Number(row.as_of_position ?? -1),
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

interface ParkedMark {
  readonly parked_position: string | null;
  readonly parked_at: Date | null;
}

type BalanceColumn =
  | 'available'
  | 'pending'
  | 'lifetime_earned'
  | 'redeemed'
  | 'expired'
  | 'clawed_back'
  | 'adjusted'
  | 'transferred_in'
  | 'transferred_out'
  | 'debt';

/** Points as Postgres sends bigints (text), null when the member has no row. */
type BalanceRow = ParkedMark &
  Record<BalanceColumn, string | null> & {
    readonly member_id: string | null;
    readonly tier: string | null;
    readonly as_of_position: string | null;
    /** Memberships that may grant a tier now; null (no lookup of the program) for nearly every member. */
    readonly tier_grants: MembershipRow[] | null;
  };

function memberParked(memberId: string, parked: ParkedMark): ApiError {
  return new ApiError(
    503,
    'READ_MODEL_PARKED',
    `the read models of member ${memberId} are parked at an event they could not apply; an operator must retry it (GET /v1/admin/parked-streams)`,
    { memberId, position: parked.parked_position, parkedAt: parked.parked_at?.toISOString() ?? null },
  );
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
