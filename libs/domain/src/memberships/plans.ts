import { addDays, Instant, toMillis } from '../values/time';
import { zonedInstant, zonedParts } from '../values/zoned-time';

/** A paid membership plan (docs/programs/memberships.md): a fee per month or year, an optional free trial, benefits while active. */
export interface MembershipPlan {
  readonly planId: string;
  readonly feeMinor: number;
  readonly period: MembershipPeriod;
  /** 0 or absent: the first period is paid at once. */
  readonly trialDays?: number;
  readonly benefits: MembershipBenefits;
}

export type MembershipPeriod = 'month' | 'year';

export interface MembershipBenefits {
  /** Applied to purchase points while the membership is active; absent: 10,000 (no change). */
  readonly multiplierBp?: number;
  /** A tier (by name) the member holds at least while the membership is active; absent: none. */
  readonly tier?: string;
}

export const MEMBERSHIP_LIMITS = { plansMax: 20, trialDaysMax: 365, feeMinorMax: 100_000_000, multiplierBpMax: 1_000_000 } as const;

const PERIODS: readonly MembershipPeriod[] = ['month', 'year'];

const inRange = (value: number | undefined, min: number, max: number) =>
  value !== undefined && Number.isSafeInteger(value) && value >= min && value <= max;

export function planProblems(plans: readonly MembershipPlan[], tierNames: ReadonlySet<string>): string[] {
  const L = MEMBERSHIP_LIMITS;
  const problems: string[] = [];
  if (plans.length > L.plansMax) problems.push(`at most ${L.plansMax} plans`);
  if (new Set(plans.map((p) => p.planId)).size !== plans.length) problems.push('planIds must be unique');
  for (const plan of plans) {
    const at = `plan ${plan.planId}`;
    if (plan.planId.trim() === '') problems.push('a plan needs a planId');
    if (!inRange(plan.feeMinor, 1, L.feeMinorMax)) problems.push(`${at}: feeMinor must be 1-${L.feeMinorMax}`);
    if (!PERIODS.includes(plan.period)) problems.push(`${at}: period must be month or year`);
    if (plan.trialDays !== undefined && !inRange(plan.trialDays, 0, L.trialDaysMax))
      problems.push(`${at}: trialDays must be 0-${L.trialDaysMax}`);
    const bp = plan.benefits.multiplierBp;
    if (bp !== undefined && !inRange(bp, 0, L.multiplierBpMax))
      problems.push(`${at}: benefits.multiplierBp must be 0-${L.multiplierBpMax}`);
    const tier = plan.benefits.tier;
    if (tier !== undefined && !tierNames.has(tier)) problems.push(`${at}: benefits.tier ${tier} is not one of the program's tiers`);
  }
  return problems;
}

const MONTHS_PER_PERIOD: Readonly<Record<MembershipPeriod, number>> = { month: 1, year: 12 };

/**
 * Where a paid period starting at `from` ends: the same local wall-clock time
 * one month or one year later in the membership's zone (the last day of a
 * shorter month), so a daylight-saving change in between does not move it.
 */
export function periodEndAfter(membership: { readonly period: MembershipPeriod }, from: Instant, timeZone: string): Instant {
  const local = zonedParts(from, timeZone);
  const monthIndex = local.month - 1 + MONTHS_PER_PERIOD[membership.period];
  const year = local.year + Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const minute = zonedInstant({ year, month, day: Math.min(local.day, lastDay), hour: local.hour, minute: local.minute }, timeZone);
  return new Date(toMillis(minute) + subMinuteMs(from)).toISOString();
}

const MS_PER_MINUTE = 60_000;

/** Seconds and milliseconds past the minute: no zone offset in use has seconds, so they carry over as they are. */
const subMinuteMs = (instant: Instant) => ((toMillis(instant) % MS_PER_MINUTE) + MS_PER_MINUTE) % MS_PER_MINUTE;

export const trialEndAfter = (plan: MembershipPlan, from: Instant): Instant => addDays(from, plan.trialDays ?? 0);

export const findPlan = (plans: readonly MembershipPlan[] | undefined, planId: string) => plans?.find((p) => p.planId === planId);
