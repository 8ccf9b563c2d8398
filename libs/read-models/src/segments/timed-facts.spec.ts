import fc from 'fast-check';
import { builtinSegments, DEFAULT_SEGMENT_THRESHOLDS, matchesCriterion, MemberFacts, SegmentCriterion, toMillis } from '@loyalty/domain';
import { evaluatorAt, TimedFacts } from './timed-facts';

const FROM_MS = Date.parse('2023-01-01T00:00:00.000Z');
const TO_MS = Date.parse('2027-01-01T00:00:00.000Z');
const instant = fc.integer({ min: FROM_MS, max: TO_MS }).map((ms) => new Date(ms).toISOString());
const days = fc.integer({ min: 0, max: 800 });
const minor = fc.integer({ min: 0, max: 300_000 });
const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
/** Drops absent bounds, as validated criteria never carry `undefined`. */
const defined = <T extends object>(value: T): T => JSON.parse(JSON.stringify(value));

const purchase = fc.record({ occurredAt: instant, amountMinor: minor, refundShare: fc.integer({ min: 0, max: 100 }) }).chain((p) =>
  fc.record({
    occurredAt: fc.constant(p.occurredAt),
    amountMinor: fc.constant(p.amountMinor),
    refundedMinor: fc.constant(Math.floor((p.amountMinor * p.refundShare) / 100)),
    storeId: fc.option(fc.constantFrom('s1', 's2')),
    skus: fc.subarray(['latte', 'tea', 'cake']),
    categories: fc.subarray(['coffee', 'food']),
  }),
);

const facts: fc.Arbitrary<MemberFacts> = fc.record({
  memberType: fc.constantFrom('individual' as const, 'business' as const),
  enrolledAt: instant,
  birthDate: fc.option(
    fc.integer({ min: Date.parse('1930-01-01'), max: Date.parse('2015-12-31') }).map((ms) => new Date(ms).toISOString().slice(0, 10)),
  ),
  tier: fc.option(fc.constantFrom('silver', 'gold')),
  purchases: fc.array(purchase, { maxLength: 25 }),
  lastRedemptionAt: fc.option(instant),
});

const ascending = (n: number, max: number) =>
  fc.uniqueArray(fc.integer({ min: 0, max }), { minLength: n, maxLength: n }).map((xs) => [...xs].sort((a, b) => a - b));
const score = fc.integer({ min: 1, max: 5 });

const leaf: fc.Arbitrary<SegmentCriterion> = fc
  .oneof(
    fc.record({
      type: fc.constant('purchaseCount' as const),
      min: optional(fc.nat(10)),
      max: optional(fc.nat(10)),
      withinDays: optional(days),
    }),
    fc.record({
      type: fc.constant('purchaseAmount' as const),
      minMinor: optional(minor),
      maxMinor: optional(minor),
      withinDays: optional(days),
    }),
    fc.record({
      type: fc.constant('averageBasket' as const),
      minMinor: optional(minor),
      maxMinor: optional(minor),
      withinDays: optional(days),
    }),
    fc.record({ type: fc.constant('lastPurchase' as const), minDaysAgo: optional(days), maxDaysAgo: optional(days) }),
    fc.record({ type: fc.constant('noPurchaseFor' as const), days }),
    fc.record({
      type: fc.constant('bought' as const),
      skus: optional(fc.subarray(['latte', 'tea'])),
      categories: optional(fc.subarray(['coffee'])),
      withinDays: optional(days),
    }),
    fc.record({ type: fc.constant('store' as const), storeIds: fc.subarray(['s1', 's2']), withinDays: optional(days) }),
    fc.record({ type: fc.constant('tier' as const), tiers: fc.subarray(['silver', 'gold']) }),
    fc.record({ type: fc.constant('memberType' as const), memberType: fc.constantFrom('individual' as const, 'business' as const) }),
    fc.record({ type: fc.constant('enrolled' as const), minDaysAgo: optional(days), maxDaysAgo: optional(days) }),
    fc.record({ type: fc.constant('enrolmentAnniversary' as const), withinDays: fc.integer({ min: 1, max: 366 }) }),
    fc.record({ type: fc.constant('lastRedemption' as const), minDaysAgo: optional(days), maxDaysAgo: optional(days) }),
    fc.record({ type: fc.constant('age' as const), minYears: optional(fc.nat(90)), maxYears: optional(fc.nat(90)) }),
    fc.record({
      type: fc.constant('rfm' as const),
      scoring: fc.record({
        windowDays: fc.integer({ min: 1, max: 730 }),
        recencyDays: ascending(4, 730),
        frequency: ascending(4, 20),
        monetaryMinor: ascending(4, 500_000),
      }),
      minRecency: optional(score),
      maxRecency: optional(score),
      minFrequency: optional(score),
      maxFrequency: optional(score),
      minMonetary: optional(score),
      maxMonetary: optional(score),
    }),
  )
  .map(defined);

const criterion: fc.Arbitrary<SegmentCriterion> = fc.oneof(
  { weight: 3, arbitrary: leaf },
  {
    weight: 1,
    arbitrary: fc.record({ type: fc.constantFrom('all' as const, 'any' as const), of: fc.array(leaf, { minLength: 1, maxLength: 3 }) }),
  },
);

const timed = (f: MemberFacts): TimedFacts => ({
  memberType: f.memberType,
  enrolledAt: f.enrolledAt,
  enrolledAtMs: toMillis(f.enrolledAt),
  birthDate: f.birthDate,
  tier: f.tier,
  lastRedemptionAtMs: f.lastRedemptionAt === null ? null : toMillis(f.lastRedemptionAt),
  purchases: f.purchases.map((p) => ({
    atMs: toMillis(p.occurredAt),
    netMinor: p.amountMinor - p.refundedMinor,
    storeId: p.storeId,
    skus: p.skus,
    categories: p.categories,
  })),
});

describe("the segments projection's evaluator", () => {
  it("agrees with the domain's matchesCriterion on random criteria, facts and instants", () => {
    fc.assert(
      fc.property(criterion, facts, instant, (c, f, asOf) => {
        expect(evaluatorAt(asOf)(c, timed(f))).toBe(matchesCriterion(c, f, asOf));
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees on every built-in segment', () => {
    const builtins = builtinSegments(DEFAULT_SEGMENT_THRESHOLDS);
    fc.assert(
      fc.property(facts, instant, (f, asOf) => {
        const matches = evaluatorAt(asOf);
        for (const b of builtins)
          expect({ segment: b.name, matches: matches(b.criteria, timed(f)) }).toEqual({
            segment: b.name,
            matches: matchesCriterion(b.criteria, f, asOf),
          });
      }),
      { numRuns: 300 },
    );
  });
});
