import { ProgramPolicy, TierPolicy } from '../program/policy';

/**
 * How tiers are reached and kept: what qualifies, over which window, how long
 * a status lasts once reached and what happens when it ends. A program
 * without one runs on LEGACY_TIER_RULES, the rules every configuration
 * written before tier policies existed was written under.
 */
export type TierQualifier = 'spend' | 'points' | 'purchases';

export type TierWindow =
  /** The N calendar months up to the instant judged (a purchase, a status end). */
  | { readonly kind: 'rolling'; readonly months: number }
  /** The calendar year, in the program's time zone, of the instant judged (at a status end: the year that just closed). */
  | { readonly kind: 'calendarYear' };

export type TierStatusDuration =
  /** The tier is reviewed every N months from enrolment, then from each review; upgrades in between do not move the review. */
  | { readonly kind: 'review'; readonly months: number }
  /** A status lasts N calendar months from the instant it was reached (an upgrade or a review). */
  | { readonly kind: 'months'; readonly months: number }
  /** A status lasts N calendar years counting the one it was reached in (2: the rest of that year and the whole next one). */
  | { readonly kind: 'calendarYears'; readonly years: number };

/** At a status end: the tier the window qualifies for, or at most one tier below the current one. */
export type TierDowngrade = 'toQualified' | 'oneTier';

export interface TierRules {
  readonly qualifyBy: TierQualifier;
  readonly window: TierWindow;
  readonly status: TierStatusDuration;
  readonly downgrade: TierDowngrade;
}

/** Today's rules: net spend over a rolling 12 months, reviewed yearly, straight to the qualified tier. */
export const LEGACY_TIER_RULES: TierRules = {
  qualifyBy: 'spend',
  window: { kind: 'rolling', months: 12 },
  status: { kind: 'review', months: 12 },
  downgrade: 'toQualified',
};

export const TIER_POLICY_LIMITS = {
  windowMonthsMax: 120,
  statusMonthsMax: 120,
  statusYearsMax: 10,
} as const;

export const tierRulesOf = (policy: ProgramPolicy): TierRules => policy.tierPolicy ?? LEGACY_TIER_RULES;

/** A tier's threshold in the policy's qualifying unit; undefined when the configuration does not give it. */
export function tierThreshold(tier: TierPolicy, qualifyBy: TierQualifier): number | undefined {
  switch (qualifyBy) {
    case 'spend':
      return tier.minSpendMinor;
    case 'points':
      return tier.minPoints;
    case 'purchases':
      return tier.minPurchases;
  }
}

const THRESHOLD_FIELD: Readonly<Record<TierQualifier, string>> = {
  spend: 'minSpendMinor',
  points: 'minPoints',
  purchases: 'minPurchases',
};

/** The tiers' thresholds and the tier policy's numbers, as configuration problems. */
export function tierProblems(policy: ProgramPolicy): string[] {
  const rules = tierRulesOf(policy);
  const field = THRESHOLD_FIELD[rules.qualifyBy];
  const thresholds = policy.tiers.map((t) => tierThreshold(t, rules.qualifyBy));
  const problems = rulesProblems(rules);
  if (thresholds.some((t) => t === undefined || !Number.isSafeInteger(t) || t < 0)) {
    problems.push(`every tier needs ${field} (tiers qualify by ${rules.qualifyBy}), a non-negative integer`);
    return problems;
  }
  const values = thresholds as number[];
  if (values.length > 0 && values[0] !== 0) problems.push(`the lowest tier must have ${field} 0`);
  if (values.some((v, i) => i > 0 && v <= values[i - 1]!)) problems.push(`tiers must have strictly increasing ${field}`);
  if (new Set(policy.tiers.map((t) => t.name)).size !== policy.tiers.length) problems.push('tier names must be unique');
  return problems;
}

function rulesProblems({ window, status }: TierRules): string[] {
  const problems: string[] = [];
  const L = TIER_POLICY_LIMITS;
  if (window.kind === 'rolling' && !inRange(window.months, 1, L.windowMonthsMax))
    problems.push(`tierPolicy.window.months must be 1-${L.windowMonthsMax}`);
  if (status.kind !== 'calendarYears' && !inRange(status.months, 1, L.statusMonthsMax))
    problems.push(`tierPolicy.status.months must be 1-${L.statusMonthsMax}`);
  if (status.kind === 'calendarYears' && !inRange(status.years, 1, L.statusYearsMax))
    problems.push(`tierPolicy.status.years must be 1-${L.statusYearsMax}`);
  return problems;
}

const inRange = (n: number, min: number, max: number) => Number.isSafeInteger(n) && n >= min && n <= max;
