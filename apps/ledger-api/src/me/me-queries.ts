import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { basisPointsToMultiplier, offersForMember, rewardStandings, tierRulesOf } from '@loyalty/domain';
import { READ_MODEL_SCHEMA } from '@loyalty/read-models';
import { queryRows } from '@loyalty/platform';
import { memberCouponRows } from '../coupons/coupon-queries';
import { ClockService } from '../ledger/clock.service';
import { ProgramStore } from '../ledger/program-store';
import { MemberQueries } from '../members/member-queries';
import { READ_MODELS } from '../tokens';
import { MemberDecisionState } from './member-decision-state';

export const EXPIRING_WITHIN_DAYS_DEFAULT = 30;
export const EXPIRING_WITHIN_DAYS_MAX = 3650;
const MILLIS_PER_DAY = 86_400_000;

/** What a member sees of its own program; each answer computed as the write path or the projections compute it. */
@Injectable()
export class MeQueries {
  constructor(
    @Inject(READ_MODELS) private readonly db: DataSource,
    private readonly programs: ProgramStore,
    private readonly clock: ClockService,
    private readonly members: MemberQueries,
    private readonly states: MemberDecisionState,
  ) {}

  async tier(memberId: string) {
    const { tier } = await this.members.balance(memberId);
    const [progress, { policy }] = await Promise.all([this.members.tierProgressOf(memberId), this.programs.state()]);
    return {
      memberId,
      current: tier,
      // What qualifyingValue and remaining count: spend in the currency minor units, purchase points, or purchases.
      qualifyBy: policy ? tierRulesOf(policy).qualifyBy : null,
      currency: policy?.currency ?? null,
      next: progress?.nextTier ?? null,
      qualifyingValue: progress?.qualifyingValue ?? null,
      remaining: progress?.remainingToNext ?? null,
      statusUntil: progress?.statusUntil ?? null,
    };
  }

  async rewards(memberId: string) {
    const [state, { policy }] = await Promise.all([this.states.of(memberId), this.programs.state()]);
    if (!policy) return { memberId, rewards: [] };
    const stocked = policy.rewards.filter((r) => r.stock !== undefined).map((r) => r.rewardId);
    const reserved = new Map(await Promise.all(stocked.map(async (id) => [id, await this.states.stockReserved(id)] as const)));
    return { memberId, rewards: rewardStandings(policy, state, this.clock.nowIso(), reserved) };
  }

  async offers(memberId: string) {
    const [state, program] = await Promise.all([this.states.of(memberId), this.programs.state()]);
    const offers = program.policy ? offersForMember(program.policy.offers ?? [], state, this.clock.nowIso()) : [];
    return {
      memberId,
      offers: offers.map((o) => ({
        offerId: o.offerId,
        startsAt: o.startsAt,
        endsAt: o.endsAt,
        multiplier: o.multiplierBp === null ? null : basisPointsToMultiplier(o.multiplierBp),
        bonusPoints: o.bonusPoints,
      })),
    };
  }

  /** The member's coupons from the coupons read model: active ones first, soonest to expire first, then the used and expired. */
  async coupons(memberId: string) {
    await this.members.balance(memberId);
    const rows = await memberCouponRows(this.db, memberId, { order: 'toUseFirst' });
    return {
      memberId,
      coupons: rows.map((c) => ({
        code: c.code,
        rewardId: c.reward_id,
        kind: c.kind,
        valueMinor: c.value_minor === null ? null : Number(c.value_minor),
        percent: c.percent,
        sku: c.sku,
        status: c.status,
        expiresAt: new Date(c.expires_at).toISOString(),
      })),
    };
  }

  /** Points still held that expire by now + withinDays, summed per expiry instant, soonest first (from the lots read model). */
  async expiring(memberId: string, withinDays: number) {
    await this.members.balance(memberId);
    const now = this.clock.nowIso();
    const until = new Date(Date.parse(now) + withinDays * MILLIS_PER_DAY).toISOString();
    const rows = await queryRows<{ expires_at: Date; points: string }>(
      this.db,
      `select expires_at, sum(remaining)::text as points from ${READ_MODEL_SCHEMA}.member_lots
        where member_id = $1 and status in ('active', 'pending') and remaining > 0 and expires_at is not null
          and expires_at > $2::timestamptz and expires_at <= $3::timestamptz
        group by expires_at order by expires_at`,
      [memberId, now, until],
    );
    const lots = rows.map((r) => ({ expiresAt: r.expires_at.toISOString(), points: Number(r.points) }));
    return { memberId, withinDays, until, points: lots.reduce((sum, l) => sum + l.points, 0), expiring: lots };
  }
}
