import { DataSource } from 'typeorm';
import {
  activeAt,
  basisPointsToMultiplier,
  benefitsAt,
  effectiveTier,
  Instant,
  INSTANT_MIN,
  MembershipGrant,
  membershipStatusAt,
  normaliseInstant,
  ProgramPolicy,
} from '@loyalty/domain';
import { READ_MODEL_SCHEMA } from '@loyalty/read-models';
import { queryRows } from '@loyalty/platform';

/** A member_memberships row as to_json renders it (memberships.projection.ts). */
export interface MembershipRow {
  readonly membership_id: string;
  readonly plan_id: string;
  readonly period_end: string;
  readonly cancelled: boolean;
  readonly lapsed: boolean;
  readonly started_at: string | null;
  readonly trial_ends_at: string | null;
  readonly multiplier_bp: number | null;
  readonly tier: string | null;
}

/** What GET /v1/members/{id} says of the member's memberships: the effective tier, the active memberships, what they grant now. */
export interface MembershipProfile {
  readonly tier: string | null;
  readonly memberships: readonly {
    readonly membershipId: string;
    readonly planId: string;
    readonly status: ReturnType<typeof membershipStatusAt>;
    readonly currentPeriodEnd: Instant;
  }[];
  readonly benefits: { readonly multiplier: number; readonly tier: string | null; readonly rewardIds: readonly string[] };
}

/**
 * Judged at `now` by the domain's own rules (memberships/benefits.ts), so the
 * profile shows what the next purchase or redemption would get: a period that
 * ended counts as over before the daily job records the lapse.
 */
export async function membershipProfile(
  db: DataSource,
  memberId: string,
  qualifiedTier: string | null,
  policy: ProgramPolicy | undefined,
  now: Instant,
): Promise<MembershipProfile> {
  const rows = await queryRows<{ row: MembershipRow }>(
    db,
    `select to_json(t) as row from ${READ_MODEL_SCHEMA}.member_memberships t
      where member_id = $1 and not lapsed and period_end > $2::timestamptz order by started_at, membership_id`,
    [memberId, now],
  );
  const active = activeAt(
    rows.map(({ row }) => activeMembershipOf(row)),
    now,
  );
  const tiers = policy?.tiers ?? [];
  const benefits = benefitsAt({ tiers, rewards: policy?.rewards ?? [] }, active, now);
  return {
    tier: effectiveTier(tiers, qualifiedTier, active),
    memberships: active.map((m) => ({
      membershipId: m.membershipId,
      planId: m.planId,
      status: membershipStatusAt(m, now),
      currentPeriodEnd: m.periodEnd,
    })),
    benefits: { multiplier: basisPointsToMultiplier(benefits.multiplierBp), tier: benefits.tier, rewardIds: benefits.rewardIds },
  };
}

/** The tier a member earns and redeems at now, as GET /v1/members/{id} reports it: the balance read says the same. */
export function effectiveTierOf(
  qualifiedTier: string | null,
  rows: readonly MembershipRow[],
  policy: ProgramPolicy | undefined,
  now: Instant,
) {
  return effectiveTier(policy?.tiers ?? [], qualifiedTier, activeAt(rows.map(activeMembershipOf), now));
}

type ActiveMembership = MembershipGrant & { readonly cancelled: boolean; readonly trialEndsAt: Instant | null };

function activeMembershipOf(row: MembershipRow): ActiveMembership {
  return {
    membershipId: row.membership_id,
    planId: row.plan_id,
    multiplierBp: row.multiplier_bp,
    tier: row.tier,
    // A row projected before the column existed: the membership had started, or there would be no row.
    startedAt: row.started_at === null ? INSTANT_MIN : normaliseInstant(row.started_at),
    periodEnd: normaliseInstant(row.period_end),
    lapsed: row.lapsed,
    cancelled: row.cancelled,
    trialEndsAt: row.trial_ends_at === null ? null : normaliseInstant(row.trial_ends_at),
  };
}
