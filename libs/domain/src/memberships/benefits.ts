import { MULTIPLIER_SCALE } from '../values/integers';
import { Instant, isAfter } from '../values/time';
import type { CatalogueReward } from '../rewards/rewards';
import type { EarningResult } from '../earning/earning';

/** What a membership grants, as its events left it: the member state's records and the read model's rows both are these. */
export interface MembershipGrant {
  readonly membershipId: string;
  readonly planId: string;
  readonly multiplierBp: number | null;
  readonly tier: string | null;
  readonly startedAt: Instant;
  readonly periodEnd: Instant;
  readonly lapsed: boolean;
}

/** What applies at an instant, all active memberships together. */
export interface BenefitsNow {
  /** Every active membership's multiplier, one after the other. */
  readonly multiplierBp: number;
  /** The highest tier an active membership grants, null when none does. */
  readonly tier: string | null;
  /** Catalogue rewards reserved to the plans of the active memberships. */
  readonly rewardIds: readonly string[];
}

export type MembershipStatus = 'trial' | 'active' | 'cancelled-but-running';

/** How an active membership stands at an instant: cancelled first (benefits run to the period's end), then in its trial or paid. */
export function membershipStatusAt(
  m: { readonly cancelled: boolean; readonly trialEndsAt: Instant | null },
  at: Instant,
): MembershipStatus {
  if (m.cancelled) return 'cancelled-but-running';
  return m.trialEndsAt !== null && isAfter(m.trialEndsAt, at) ? 'trial' : 'active';
}

/** Benefits hold from the start (trial included) until the current period's end, unless the membership lapsed. */
export const isActiveAt = (m: MembershipGrant, at: Instant): boolean => !m.lapsed && !isAfter(m.startedAt, at) && isAfter(m.periodEnd, at);

export const activeAt = <M extends MembershipGrant>(memberships: Iterable<M>, at: Instant): M[] =>
  [...memberships].filter((m) => isActiveAt(m, at));

/**
 * The tier a member earns and redeems at: the higher of the tier qualified
 * for and any tier an active membership grants, in the program's tier order.
 * Computed, never recorded: the qualified tier stays what tier events made
 * it, so a membership's end needs no TierChanged to take its tier away. A
 * granted tier the program no longer has grants nothing.
 */
export function effectiveTier(
  tiers: readonly { readonly name: string }[],
  qualified: string | null,
  active: readonly MembershipGrant[],
): string | null {
  const granted = grantedTier(tiers, active);
  return rankOf(tiers, granted) > rankOf(tiers, qualified) ? granted : qualified;
}

/** The active membership whose tier raises the member above `qualified`, to name it in the accrual's rule ids. */
export function tierGrantor(
  tiers: readonly { readonly name: string }[],
  qualified: string | null,
  active: readonly MembershipGrant[],
): MembershipGrant | undefined {
  const granted = grantedTier(tiers, active);
  if (rankOf(tiers, granted) <= rankOf(tiers, qualified)) return undefined;
  return active.find((m) => m.tier === granted);
}

/** The effective tier of a member state at an instant. */
export const effectiveTierAt = (
  tiers: readonly { readonly name: string }[],
  state: { readonly tier: string | null; readonly memberships: ReadonlyMap<string, MembershipGrant> },
  at: Instant,
): string | null => effectiveTier(tiers, state.tier, activeAt(state.memberships.values(), at));

/**
 * A purchase's own points under the active memberships: each multiplier
 * scales them in turn (floor), and the accrual names every membership that
 * shaped it (rule id `membership:<planId>`), a tier it granted included.
 */
export function withMembershipBenefits(
  earned: EarningResult,
  active: readonly MembershipGrant[],
  tierGrantedBy: MembershipGrant | undefined,
): EarningResult {
  const boosted = active.reduce<EarningResult>(
    (e, m) =>
      m.multiplierBp === null
        ? e
        : { points: Math.floor((e.points * m.multiplierBp) / MULTIPLIER_SCALE), ruleIds: withRuleId(e.ruleIds, m) },
    earned,
  );
  return tierGrantedBy ? { ...boosted, ruleIds: withRuleId(boosted.ruleIds, tierGrantedBy) } : boosted;
}

const withRuleId = (ruleIds: readonly string[], m: MembershipGrant): readonly string[] => {
  const id = `membership:${m.planId}`;
  return ruleIds.includes(id) ? ruleIds : [...ruleIds, id];
};

function grantedTier(tiers: readonly { readonly name: string }[], active: readonly MembershipGrant[]): string | null {
  let best: string | null = null;
  for (const m of active) if (rankOf(tiers, m.tier) > rankOf(tiers, best)) best = m.tier;
  return best;
}

const rankOf = (tiers: readonly { readonly name: string }[], name: string | null): number =>
  name === null ? -1 : tiers.findIndex((t) => t.name === name);

/** The multipliers applied one after the other, rounded down to a basis point at each step. */
export const combinedMultiplierBp = (active: readonly MembershipGrant[]): number =>
  active.reduce((bp, m) => (m.multiplierBp === null ? bp : Math.floor((bp * m.multiplierBp) / MULTIPLIER_SCALE)), MULTIPLIER_SCALE);

/** Whether a reward reserved to plans is open to a member with these active memberships; a reward without plans is open to all. */
export function plansAllow(reward: CatalogueReward, active: readonly MembershipGrant[]): boolean {
  const { plans } = reward;
  return plans === undefined || active.some((m) => plans.includes(m.planId));
}

export function benefitsAt(
  policy: { readonly tiers: readonly { readonly name: string }[]; readonly rewards: readonly CatalogueReward[] },
  memberships: Iterable<MembershipGrant>,
  at: Instant,
): BenefitsNow {
  const active = activeAt(memberships, at);
  return {
    multiplierBp: combinedMultiplierBp(active),
    tier: grantedTier(policy.tiers, active),
    rewardIds: policy.rewards.filter((r) => r.plans !== undefined && plansAllow(r, active)).map((r) => r.rewardId),
  };
}
