import { daysSinceAnniversary, fullYears, Instant, MS_PER_DAY, SegmentCriterion, toMillis } from '@loyalty/domain';

/** A purchase as the evaluator reads it: the instant parsed once, the amount net of refunds (integer minor units). */
export interface TimedPurchase {
  readonly atMs: number;
  readonly netMinor: number;
  readonly storeId: string | null;
  readonly skus: readonly string[];
  readonly categories: readonly string[];
}

/** The domain's MemberFacts with instants parsed once, not once per criterion and purchase. */
export interface TimedFacts {
  readonly memberType: string;
  readonly enrolledAt: Instant;
  readonly enrolledAtMs: number;
  readonly birthDate: string | null;
  readonly tier: string | null;
  readonly lastRedemptionAtMs: number | null;
  readonly purchases: readonly TimedPurchase[];
}

/**
 * The domain's matchesCriterion, rule for rule, over parsed facts: the
 * segments projection evaluates every member at every fact event, where
 * parsing each purchase's instant for each criterion cost a millisecond a
 * member. A property test checks both evaluators agree; calendar rules
 * (ages, anniversaries) are the domain's own functions.
 */
export function evaluatorAt(asOf: Instant): (c: SegmentCriterion, facts: TimedFacts) => boolean {
  const asOfMs = toMillis(asOf);
  return (c, facts) => matches(c, facts, asOf, asOfMs);
}

function matches(c: SegmentCriterion, f: TimedFacts, asOf: Instant, asOfMs: number): boolean {
  switch (c.type) {
    case 'all':
      return c.of.every((child) => matches(child, f, asOf, asOfMs));
    case 'any':
      return c.of.some((child) => matches(child, f, asOf, asOfMs));
    case 'purchaseCount':
      return inRange(windowed(f, asOfMs, c.withinDays).count, c.min, c.max);
    case 'purchaseAmount':
      return inRange(windowed(f, asOfMs, c.withinDays).netMinor, c.minMinor, c.maxMinor);
    case 'averageBasket': {
      const { count, netMinor } = windowed(f, asOfMs, c.withinDays);
      // Compared as net >= min * count, so no division rounds the boundary.
      return (
        count > 0 &&
        (c.minMinor === undefined || netMinor >= c.minMinor * count) &&
        (c.maxMinor === undefined || netMinor <= c.maxMinor * count)
      );
    }
    case 'lastPurchase': {
      const last = lastAtMs(f, asOfMs);
      return last !== null && inRange(daysFrom(last, asOfMs), c.minDaysAgo, c.maxDaysAgo);
    }
    case 'noPurchaseFor': {
      const w = windowOf(asOfMs, c.days);
      return !f.purchases.some((p) => within(p, w));
    }
    case 'bought': {
      const w = windowOf(asOfMs, c.withinDays);
      return f.purchases.some(
        (p) => within(p, w) && (p.skus.some((s) => c.skus?.includes(s)) || p.categories.some((k) => c.categories?.includes(k))),
      );
    }
    case 'store': {
      const w = windowOf(asOfMs, c.withinDays);
      return f.purchases.some((p) => within(p, w) && p.storeId !== null && c.storeIds.includes(p.storeId));
    }
    case 'tier':
      return f.tier !== null && c.tiers.includes(f.tier);
    case 'memberType':
      return f.memberType === c.memberType;
    case 'enrolled':
      return !(f.enrolledAtMs > asOfMs) && inRange(daysFrom(f.enrolledAtMs, asOfMs), c.minDaysAgo, c.maxDaysAgo);
    case 'enrolmentAnniversary': {
      const { years, days } = daysSinceAnniversary(f.enrolledAt, asOf);
      return years >= 1 && days < c.withinDays;
    }
    case 'lastRedemption':
      return f.lastRedemptionAtMs !== null && inRange(daysFrom(f.lastRedemptionAtMs, asOfMs), c.minDaysAgo, c.maxDaysAgo);
    case 'age':
      return f.birthDate !== null && inRange(fullYears(f.birthDate, asOf), c.minYears, c.maxYears);
    case 'rfm': {
      const last = lastAtMs(f, asOfMs);
      const recentDays = last === null ? undefined : daysFrom(last, asOfMs);
      const { count, netMinor } = windowed(f, asOfMs, c.scoring.windowDays);
      const recency = recentDays === undefined ? 1 : 5 - c.scoring.recencyDays.filter((t) => recentDays >= t).length;
      const frequency = 1 + c.scoring.frequency.filter((t) => count >= t).length;
      const monetary = 1 + c.scoring.monetaryMinor.filter((t) => netMinor >= t).length;
      return (
        inRange(recency, c.minRecency, c.maxRecency) &&
        inRange(frequency, c.minFrequency, c.maxFrequency) &&
        inRange(monetary, c.minMonetary, c.maxMonetary)
      );
    }
  }
}

/** The last withinDays days up to asOf (or everything up to it): after fromMs, at or before toMs, as the domain's `within`. */
interface Window {
  readonly fromMs: number;
  readonly toMs: number;
}

const windowOf = (asOfMs: number, withinDays: number | undefined): Window => ({
  fromMs: withinDays === undefined ? -Infinity : asOfMs - withinDays * MS_PER_DAY,
  toMs: asOfMs,
});

const within = (p: TimedPurchase, w: Window) => p.atMs <= w.toMs && p.atMs > w.fromMs;

/** How many purchases fall in the window and their net amount (integer minor units), in one pass. */
function windowed(f: TimedFacts, asOfMs: number, withinDays: number | undefined): { count: number; netMinor: number } {
  const w = windowOf(asOfMs, withinDays);
  let count = 0;
  let netMinor = 0;
  for (const p of f.purchases) {
    if (!within(p, w)) continue;
    count += 1;
    netMinor += p.netMinor;
  }
  return { count, netMinor };
}

/** Whole days (floor), as the domain's daysBetween. */
const daysFrom = (atMs: number, asOfMs: number) => Math.floor((asOfMs - atMs) / MS_PER_DAY);

function lastAtMs(f: TimedFacts, asOfMs: number): number | null {
  let last: number | null = null;
  for (const p of f.purchases) if (p.atMs <= asOfMs && (last === null || p.atMs > last)) last = p.atMs;
  return last;
}

const inRange = (value: number, min: number | undefined, max: number | undefined) =>
  (min === undefined || value >= min) && (max === undefined || value <= max);
