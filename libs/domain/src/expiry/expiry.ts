import type { MemberEvent } from '../member/events';
import type { ProgramPolicy } from '../program/policy';
import { PROGRAM_LIMITS, programTimeZone } from '../program/policy';
import { addMonths, Instant, isAfter, isAtOrBefore } from '../values/time';
import { endOfPeriod, zonedInstant, zonedParts } from '../values/zoned-time';

/** What keeps points alive under an inactivity policy. `earning`: any accrual (purchase, bonus, offer, referral...). */
export type ActivityKind = 'purchase' | 'redemption' | 'earning' | 'action';
export const ACTIVITY_KINDS: readonly ActivityKind[] = ['purchase', 'redemption', 'earning', 'action'];

/** The calendar period an after-earning expiry is rounded up to the end of, in the program's time zone. */
export type ExpiryRounding = 'month' | 'quarter' | 'year';
export const EXPIRY_ROUNDINGS: readonly ExpiryRounding[] = ['month', 'quarter', 'year'];

export type ExpiryPolicy =
  | { readonly kind: 'never' }
  /** N calendar months after earning; rounded: to the end of the period (local time) that instant falls in. */
  | { readonly kind: 'afterEarning'; readonly months: number; readonly roundTo?: ExpiryRounding }
  /** Everything still held expires once N months pass without one of the activities. */
  | { readonly kind: 'inactivity'; readonly months: number; readonly activities: readonly ActivityKind[] };

export type ExpiryKind = ExpiryPolicy['kind'];
export const EXPIRY_KINDS: readonly ExpiryKind[] = ['never', 'afterEarning', 'inactivity'];

/** A tier's own expiry policy, which replaces the program's for points earned while the member holds the tier. */
export interface TierExpiry {
  readonly expiry?: ExpiryPolicy;
}

/** The inactivity window a lot was earned under: it travels with the lot, so a later program change does not move it. */
export interface InactivityRule {
  readonly months: number;
  readonly activities: readonly ActivityKind[];
}

/** How a new lot expires: a deadline (null: never) and, under inactivity, the rule that moves it with activity. */
export interface LotExpiry {
  readonly expiresAt: Instant | null;
  readonly inactivity?: InactivityRule;
}

/** The program's own policy: `expiry` when given, else `expiryMonths` as it always meant (0: never; N months in UTC). */
export function programExpiry(policy: ProgramPolicy): ExpiryPolicy {
  if (policy.expiry) return policy.expiry;
  return policy.expiryMonths > 0 ? { kind: 'afterEarning', months: policy.expiryMonths } : { kind: 'never' };
}

/** The policy for points a member earns while holding `tier`: the tier's override, else the program's. */
export function expiryPolicyFor(policy: ProgramPolicy, tier: string | null): ExpiryPolicy {
  const override = tier === null ? undefined : policy.tiers.find((t) => t.name === tier)?.expiry;
  return override ?? programExpiry(policy);
}

/**
 * The expiry of points earned at `earnedAt` by a member holding `tier`.
 * Decided once, at earning, and written into the accrual: a later program
 * change or tier change never moves points already earned.
 */
export function lotExpiry(policy: ProgramPolicy, tier: string | null, earnedAt: Instant): LotExpiry {
  const expiry = expiryPolicyFor(policy, tier);
  switch (expiry.kind) {
    case 'never':
      return { expiresAt: null };
    case 'afterEarning':
      return { expiresAt: afterEarning(expiry.months, expiry.roundTo, earnedAt, programTimeZone(policy)) };
    case 'inactivity':
      return { expiresAt: addMonths(earnedAt, expiry.months), inactivity: { months: expiry.months, activities: expiry.activities } };
  }
}

function afterEarning(months: number, roundTo: ExpiryRounding | undefined, earnedAt: Instant, timeZone: string): Instant {
  if (roundTo === undefined) return addMonths(earnedAt, months);
  // Rounded, only the local month matters: the end of the period holding the local month N months on.
  const local = zonedParts(earnedAt, timeZone);
  const monthIndex = local.month - 1 + months;
  const monthStart = zonedInstant({ year: local.year + Math.floor(monthIndex / 12), month: (monthIndex % 12) + 1, day: 1 }, timeZone);
  return endOfPeriod(roundTo, monthStart, timeZone);
}

/** The activities a member event is, for inactivity windows. */
export function activitiesOf(event: MemberEvent): readonly ActivityKind[] {
  switch (event.type) {
    case 'PurchaseRecorded':
      return ['purchase'];
    case 'PointsRedeemed':
      return ['redemption'];
    case 'PointsAccrued':
      return ['earning'];
    case 'ActionRecorded':
      return ['action'];
    default:
      return [];
  }
}

/**
 * A lot's deadline after an activity at `at`: N months on from it when the
 * rule counts the activity and the lot had not lapsed by then (an activity at
 * or after the deadline revives nothing); otherwise unchanged.
 */
export function deadlineAfterActivity(
  expiresAt: Instant | null,
  rule: InactivityRule | undefined,
  activity: ActivityKind,
  at: Instant,
): Instant | null {
  if (expiresAt === null || rule === undefined || !rule.activities.includes(activity) || isAtOrBefore(expiresAt, at)) return expiresAt;
  const extended = addMonths(at, rule.months);
  return isAfter(extended, expiresAt) ? extended : expiresAt;
}

/** What is wrong with a configuration's expiry policies (the program's and every tier's). */
export function expiryProblems(policy: ProgramPolicy): string[] {
  const problems: string[] = [];
  if (policy.expiry) {
    problems.push(...policyProblems('expiry', policy.expiry));
    const months = 'months' in policy.expiry ? policy.expiry.months : 0;
    if (policy.expiryMonths !== 0 && policy.expiryMonths !== months) {
      problems.push('expiryMonths contradicts expiry: give expiry alone (or expiryMonths 0)');
    }
  }
  for (const tier of policy.tiers) {
    if (tier.expiry) problems.push(...policyProblems(`tier ${tier.name} expiry`, tier.expiry));
  }
  return problems;
}

function policyProblems(where: string, expiry: ExpiryPolicy): string[] {
  if (!EXPIRY_KINDS.includes(expiry.kind)) return [`${where}.kind must be one of ${EXPIRY_KINDS.join(', ')}`];
  if (expiry.kind === 'never') return [];
  const problems: string[] = [];
  const { months } = expiry;
  if (!Number.isInteger(months) || months < 1 || months > PROGRAM_LIMITS.expiryMonthsMax) {
    problems.push(`${where}.months must be an integer from 1 to ${PROGRAM_LIMITS.expiryMonthsMax}`);
  }
  if (expiry.kind === 'afterEarning' && expiry.roundTo !== undefined && !EXPIRY_ROUNDINGS.includes(expiry.roundTo)) {
    problems.push(`${where}.roundTo must be one of ${EXPIRY_ROUNDINGS.join(', ')}`);
  }
  if (expiry.kind === 'inactivity') {
    const { activities } = expiry;
    if (activities.length === 0) problems.push(`${where}.activities must name at least one activity`);
    if (activities.some((a) => !ACTIVITY_KINDS.includes(a)))
      problems.push(`${where}.activities must be among ${ACTIVITY_KINDS.join(', ')}`);
    if (new Set(activities).size !== activities.length) problems.push(`${where}.activities must be unique`);
  }
  return problems;
}
