import { Instant, toMillis } from '../values/time';
import { RfmScoring, SegmentCriterion } from './criteria';
import { CalendarDate, calendarDateOf, MemberFacts, PurchaseFact } from './member-facts';

const MS_PER_DAY = 86_400_000;

/** The instant criteria are judged at, parsed once for every criterion and member judged at it. */
interface AsOf {
  readonly ms: number;
  readonly on: CalendarDate;
  /** Midnight UTC of `on`. */
  readonly dayMs: number;
}

function asOfOf(asOf: Instant): AsOf {
  const ms = toMillis(asOf);
  const on = calendarDateOf(ms);
  return { ms, on, dayMs: Date.UTC(on.year, on.month - 1, on.day) };
}

/** Whole days from atMs to asOfMs, floored: a member enrolled 23 hours ago enrolled 0 days ago. */
const daysBetween = (atMs: number, asOfMs: number) => Math.floor((asOfMs - atMs) / MS_PER_DAY);

/** Full calendar years from one date to another. */
const fullYears = (from: CalendarDate, to: CalendarDate) =>
  to.year - from.year - (to.month < from.month || (to.month === from.month && to.day < from.day) ? 1 : 0);

/** Days since the last enrolment anniversary; one on a day the month lacks (29 February) falls on the month's last day. */
function daysSinceAnniversary(enrolledOn: CalendarDate, asOf: AsOf): { years: number; days: number } {
  const years = fullYears(enrolledOn, asOf.on);
  const { year, month, day } = enrolledOn;
  const lastDay = new Date(Date.UTC(year + years, month, 0)).getUTCDate();
  const anniversary = Date.UTC(year + years, month - 1, Math.min(day, lastDay));
  return { years, days: Math.round((asOf.dayMs - anniversary) / MS_PER_DAY) };
}

/** The last withinDays days up to asOf, or everything up to it: after fromMs, at or before toMs. */
interface Window {
  readonly fromMs: number;
  readonly toMs: number;
}

const windowOf = (asOf: AsOf, withinDays: number | undefined): Window => ({
  fromMs: withinDays === undefined ? -Infinity : asOf.ms - withinDays * MS_PER_DAY,
  toMs: asOf.ms,
});

const within = (p: PurchaseFact, w: Window) => p.atMs <= w.toMs && p.atMs > w.fromMs;

/** How many purchases fall in the window and their net amount (integer minor units), in one pass. */
function windowed(purchases: readonly PurchaseFact[], w: Window): { count: number; netMinor: number } {
  let count = 0;
  let netMinor = 0;
  for (const p of purchases) {
    if (!within(p, w)) continue;
    count += 1;
    netMinor += p.netMinor;
  }
  return { count, netMinor };
}

function lastAtMs(purchases: readonly PurchaseFact[], asOf: AsOf): number | null {
  let last: number | null = null;
  for (const p of purchases) if (p.atMs <= asOf.ms && (last === null || p.atMs > last)) last = p.atMs;
  return last;
}

const inRange = (value: number, min: number | undefined, max: number | undefined) =>
  (min === undefined || value >= min) && (max === undefined || value <= max);

export interface RfmScores {
  readonly recency: number;
  readonly frequency: number;
  readonly monetary: number;
}

function scoresAt(facts: MemberFacts, scoring: RfmScoring, asOf: AsOf): RfmScores {
  const last = lastAtMs(facts.purchases, asOf);
  const recentDays = last === null ? undefined : daysBetween(last, asOf.ms);
  const { count, netMinor } = windowed(facts.purchases, windowOf(asOf, scoring.windowDays));
  return {
    recency: recentDays === undefined ? 1 : 5 - scoring.recencyDays.filter((t) => recentDays >= t).length,
    frequency: 1 + scoring.frequency.filter((t) => count >= t).length,
    monetary: 1 + scoring.monetaryMinor.filter((t) => netMinor >= t).length,
  };
}

export const rfmScores = (facts: MemberFacts, scoring: RfmScoring, asOf: Instant): RfmScores => scoresAt(facts, scoring, asOfOf(asOf));

/**
 * The one evaluator of criteria: judges any criterion for any member as of
 * one instant, parsed once. Pure; the segments projection calls it for every
 * member at every fact event, offers for a member at a purchase.
 */
export function criteriaEvaluatorAt(asOf: Instant): (c: SegmentCriterion, facts: MemberFacts) => boolean {
  const at = asOfOf(asOf);
  return (c, facts) => matches(c, facts, at);
}

/** Does the member match, as of asOf? */
export const matchesCriterion = (c: SegmentCriterion, facts: MemberFacts, asOf: Instant): boolean => criteriaEvaluatorAt(asOf)(c, facts);

function matches(c: SegmentCriterion, f: MemberFacts, asOf: AsOf): boolean {
  switch (c.type) {
    case 'all':
      return c.of.every((child) => matches(child, f, asOf));
    case 'any':
      return c.of.some((child) => matches(child, f, asOf));
    case 'purchaseCount':
      return inRange(windowed(f.purchases, windowOf(asOf, c.withinDays)).count, c.min, c.max);
    case 'purchaseAmount':
      return inRange(windowed(f.purchases, windowOf(asOf, c.withinDays)).netMinor, c.minMinor, c.maxMinor);
    case 'averageBasket': {
      const { count, netMinor } = windowed(f.purchases, windowOf(asOf, c.withinDays));
      // Compared as net >= min * count, so no division rounds the boundary.
      return (
        count > 0 &&
        (c.minMinor === undefined || netMinor >= c.minMinor * count) &&
        (c.maxMinor === undefined || netMinor <= c.maxMinor * count)
      );
    }
    case 'lastPurchase': {
      const last = lastAtMs(f.purchases, asOf);
      return last !== null && inRange(daysBetween(last, asOf.ms), c.minDaysAgo, c.maxDaysAgo);
    }
    case 'noPurchaseFor': {
      const w = windowOf(asOf, c.days);
      return !f.purchases.some((p) => within(p, w));
    }
    case 'bought': {
      const w = windowOf(asOf, c.withinDays);
      return f.purchases.some(
        (p) => within(p, w) && (p.skus.some((s) => c.skus?.includes(s)) || p.categories.some((k) => c.categories?.includes(k))),
      );
    }
    case 'store': {
      const w = windowOf(asOf, c.withinDays);
      return f.purchases.some((p) => within(p, w) && p.storeId !== null && c.storeIds.includes(p.storeId));
    }
    case 'tier':
      return f.tier !== null && c.tiers.includes(f.tier);
    case 'memberType':
      return f.memberType === c.memberType;
    case 'enrolled':
      return f.enrolledAtMs <= asOf.ms && inRange(daysBetween(f.enrolledAtMs, asOf.ms), c.minDaysAgo, c.maxDaysAgo);
    case 'enrolmentAnniversary': {
      const { years, days } = daysSinceAnniversary(f.enrolledOn, asOf);
      return years >= 1 && days < c.withinDays;
    }
    case 'lastRedemption':
      return f.lastRedemptionAtMs !== null && inRange(daysBetween(f.lastRedemptionAtMs, asOf.ms), c.minDaysAgo, c.maxDaysAgo);
    case 'age':
      return f.bornOn !== null && inRange(fullYears(f.bornOn, asOf.on), c.minYears, c.maxYears);
    case 'rfm': {
      const s = scoresAt(f, c.scoring, asOf);
      return (
        inRange(s.recency, c.minRecency, c.maxRecency) &&
        inRange(s.frequency, c.minFrequency, c.maxFrequency) &&
        inRange(s.monetary, c.minMonetary, c.maxMonetary)
      );
    }
  }
}
