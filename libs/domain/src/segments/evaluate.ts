import { Instant, toMillis } from '../shared/time';
import { RfmScoring, SegmentCriterion } from './criteria';

export const MS_PER_DAY = 86_400_000;

export interface PurchaseFact {
  readonly occurredAt: Instant;
  readonly amountMinor: number;
  readonly refundedMinor: number;
  readonly storeId: string | null;
  readonly skus: readonly string[];
  readonly categories: readonly string[];
}

/** What a segment can know about a member: all of it comes from the member's own events. */
export interface MemberFacts {
  readonly memberType: 'individual' | 'business';
  readonly enrolledAt: Instant;
  readonly birthDate: string | null;
  readonly tier: string | null;
  readonly purchases: readonly PurchaseFact[];
  readonly lastRedemptionAt: Instant | null;
}

/** Whole days from `at` to `asOf` (floor), the same arithmetic as the SQL compiler's. */
export const daysBetween = (at: Instant, asOf: Instant) => Math.floor((toMillis(asOf) - toMillis(at)) / MS_PER_DAY);

/** Full calendar years from a YYYY-MM-DD date to asOf's UTC date. */
export function fullYears(fromDate: string, asOf: Instant): number {
  const [y, m, d] = fromDate.slice(0, 10).split('-').map(Number) as [number, number, number];
  const at = new Date(toMillis(asOf));
  const [ay, am, ad] = [at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate()];
  return ay - y - (am < m || (am === m && ad < d) ? 1 : 0);
}

/** Days since the last enrolment anniversary (clamped to the month's end like Postgres' date + interval). */
export function daysSinceAnniversary(enrolledAt: Instant, asOf: Instant): { years: number; days: number } {
  const enrolledDate = new Date(toMillis(enrolledAt)).toISOString().slice(0, 10);
  const years = fullYears(enrolledDate, asOf);
  const [y, m, d] = enrolledDate.split('-').map(Number) as [number, number, number];
  const lastDay = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  const anniversary = Date.UTC(y + years, m - 1, Math.min(d, lastDay));
  const asOfDate = Date.parse(new Date(toMillis(asOf)).toISOString().slice(0, 10));
  return { years, days: Math.round((asOfDate - anniversary) / MS_PER_DAY) };
}

function within(p: PurchaseFact, asOf: Instant, withinDays: number | undefined): boolean {
  const t = toMillis(p.occurredAt);
  const end = toMillis(asOf);
  return t <= end && (withinDays === undefined || t > end - withinDays * MS_PER_DAY);
}

const inRange = (value: number, min: number | undefined, max: number | undefined) =>
  (min === undefined || value >= min) && (max === undefined || value <= max);

function lastAt(purchases: readonly PurchaseFact[], asOf: Instant): Instant | null {
  let last: Instant | null = null;
  for (const p of purchases)
    if (within(p, asOf, undefined) && (last === null || toMillis(p.occurredAt) > toMillis(last))) last = p.occurredAt;
  return last;
}

export interface RfmScores {
  readonly recency: number;
  readonly frequency: number;
  readonly monetary: number;
}

export function rfmScores(facts: MemberFacts, scoring: RfmScoring, asOf: Instant): RfmScores {
  const last = lastAt(facts.purchases, asOf);
  const recentDays = last === null ? undefined : daysBetween(last, asOf);
  const windowed = facts.purchases.filter((p) => within(p, asOf, scoring.windowDays));
  const spend = windowed.reduce((sum, p) => sum + p.amountMinor - p.refundedMinor, 0);
  return {
    recency: recentDays === undefined ? 1 : 5 - scoring.recencyDays.filter((t) => recentDays >= t).length,
    frequency: 1 + scoring.frequency.filter((t) => windowed.length >= t).length,
    monetary: 1 + scoring.monetaryMinor.filter((t) => spend >= t).length,
  };
}

/** Does the member match, as of asOf? Pure; the SQL compiler in read-models implements the same rules. */
export function matchesCriterion(c: SegmentCriterion, facts: MemberFacts, asOf: Instant): boolean {
  switch (c.type) {
    case 'all':
      return c.of.every((child) => matchesCriterion(child, facts, asOf));
    case 'any':
      return c.of.some((child) => matchesCriterion(child, facts, asOf));
    case 'purchaseCount':
      return inRange(facts.purchases.filter((p) => within(p, asOf, c.withinDays)).length, c.min, c.max);
    case 'purchaseAmount': {
      const net = facts.purchases.filter((p) => within(p, asOf, c.withinDays)).reduce((s, p) => s + p.amountMinor - p.refundedMinor, 0);
      return inRange(net, c.minMinor, c.maxMinor);
    }
    case 'averageBasket': {
      const ps = facts.purchases.filter((p) => within(p, asOf, c.withinDays));
      const net = ps.reduce((s, p) => s + p.amountMinor - p.refundedMinor, 0);
      // Compared as net >= min * count, so no division rounds the boundary.
      return (
        ps.length > 0 &&
        (c.minMinor === undefined || net >= c.minMinor * ps.length) &&
        (c.maxMinor === undefined || net <= c.maxMinor * ps.length)
      );
    }
    case 'lastPurchase': {
      const last = lastAt(facts.purchases, asOf);
      return last !== null && inRange(daysBetween(last, asOf), c.minDaysAgo, c.maxDaysAgo);
    }
    case 'noPurchaseFor':
      return !facts.purchases.some((p) => within(p, asOf, c.days));
    case 'bought':
      return facts.purchases.some(
        (p) =>
          within(p, asOf, c.withinDays) && (p.skus.some((s) => c.skus?.includes(s)) || p.categories.some((k) => c.categories?.includes(k))),
      );
    case 'store':
      return facts.purchases.some((p) => within(p, asOf, c.withinDays) && p.storeId !== null && c.storeIds.includes(p.storeId));
    case 'tier':
      return facts.tier !== null && c.tiers.includes(facts.tier);
    case 'memberType':
      return facts.memberType === c.memberType;
    case 'enrolled':
      return !(toMillis(facts.enrolledAt) > toMillis(asOf)) && inRange(daysBetween(facts.enrolledAt, asOf), c.minDaysAgo, c.maxDaysAgo);
    case 'enrolmentAnniversary': {
      const { years, days } = daysSinceAnniversary(facts.enrolledAt, asOf);
      return years >= 1 && days < c.withinDays;
    }
    case 'lastRedemption':
      return facts.lastRedemptionAt !== null && inRange(daysBetween(facts.lastRedemptionAt, asOf), c.minDaysAgo, c.maxDaysAgo);
    case 'age':
      return facts.birthDate !== null && inRange(fullYears(facts.birthDate, asOf), c.minYears, c.maxYears);
    case 'rfm': {
      const s = rfmScores(facts, c.scoring, asOf);
      return (
        inRange(s.recency, c.minRecency, c.maxRecency) &&
        inRange(s.frequency, c.minFrequency, c.maxFrequency) &&
        inRange(s.monetary, c.minMonetary, c.maxMonetary)
      );
    }
  }
}
