import { builtinSegments, DEFAULT_SEGMENT_THRESHOLDS, thresholdsProblems } from './builtins';
import { criteriaProblems, SegmentCriterion } from './criteria';
import { decideSegmentDefinition, evolveSegmentDefinitions, initialSegmentDefinitions, segmentsInForce } from './definitions';
import { matchesCriterion, rfmScores } from './evaluate';
import { MemberFacts, memberFacts, MemberInput, purchaseFact, PurchaseInput } from './member-facts';

const AS_OF = '2026-06-30T12:00:00.000Z';
const daysAgo = (days: number) => new Date(Date.parse(AS_OF) - days * 86_400_000).toISOString();
const buy = (days: number, amountMinor: number, extra: Partial<PurchaseInput> = {}): PurchaseInput => ({
  occurredAt: daysAgo(days),
  amountMinor,
  refundedMinor: 0,
  storeId: null,
  skus: [],
  categories: [],
  ...extra,
});
const facts = ({ purchases = [], ...o }: Partial<MemberInput> & { purchases?: PurchaseInput[] } = {}): MemberFacts =>
  memberFacts(
    { memberType: 'individual', enrolledAt: daysAgo(400), birthDate: null, tier: 'silver', lastRedemptionAt: null, ...o },
    purchases.map(purchaseFact),
  );
const inSegment = (name: string, f: MemberFacts) => {
  const segment = builtinSegments(DEFAULT_SEGMENT_THRESHOLDS).find((s) => s.name === name)!;
  return matchesCriterion(segment.criteria, f, AS_OF);
};

describe('built-in segments, evaluated as of an explicit instant', () => {
  it('new members: enrolled less than 30 days before asOf', () => {
    expect(inSegment('new-members', facts({ enrolledAt: daysAgo(29) }))).toBe(true);
    expect(inSegment('new-members', facts({ enrolledAt: daysAgo(30) }))).toBe(false);
  });

  it('loyal: four purchases within 90 days; older ones do not count', () => {
    const recent = [buy(1, 100), buy(10, 100), buy(50, 100)];
    expect(inSegment('loyal', facts({ purchases: [...recent, buy(89, 100)] }))).toBe(true);
    expect(inSegment('loyal', facts({ purchases: [...recent, buy(90, 100)] }))).toBe(false);
  });

  it('big orders: average net basket (refunds deducted) of 100.00 or more', () => {
    expect(inSegment('big-orders', facts({ purchases: [buy(1, 15_000), buy(2, 5_000)] }))).toBe(true);
    expect(inSegment('big-orders', facts({ purchases: [buy(1, 15_000, { refundedMinor: 1 }), buy(2, 5_000)] }))).toBe(false);
    expect(inSegment('big-orders', facts())).toBe(false);
  });

  it('at risk: a repeat buyer silent for 45 days, until dormant at 180', () => {
    expect(inSegment('at-risk', facts({ purchases: [buy(100, 1), buy(45, 1)] }))).toBe(true);
    expect(inSegment('at-risk', facts({ purchases: [buy(100, 1), buy(44, 1)] }))).toBe(false);
    expect(inSegment('at-risk', facts({ purchases: [buy(300, 1), buy(180, 1)] }))).toBe(false);
    expect(inSegment('dormant', facts({ purchases: [buy(300, 1), buy(180, 1)] }))).toBe(true);
  });

  it('dormant includes members who never bought, once enrolled long enough', () => {
    expect(inSegment('dormant', facts({ enrolledAt: daysAgo(180) }))).toBe(true);
    expect(inSegment('dormant', facts({ enrolledAt: daysAgo(179) }))).toBe(false);
  });

  it('active redeemers, member types and age bands', () => {
    expect(inSegment('active-redeemers', facts({ lastRedemptionAt: daysAgo(59) }))).toBe(true);
    expect(inSegment('active-redeemers', facts({ lastRedemptionAt: daysAgo(60) }))).toBe(false);
    expect(inSegment('b2b', facts({ memberType: 'business' }))).toBe(true);
    expect(inSegment('b2c', facts({ memberType: 'business' }))).toBe(false);
    expect(inSegment('age-25-34', facts({ birthDate: '2001-06-30' }))).toBe(true);
    expect(inSegment('age-25-34', facts({ birthDate: '2001-07-01' }))).toBe(false);
    expect(inSegment('age-18-24', facts({ birthDate: '2001-07-01' }))).toBe(true);
    expect(inSegment('age-65-plus', facts({ birthDate: '1950-01-01' }))).toBe(true);
    expect(inSegment('age-65-plus', facts())).toBe(false);
  });

  it('RFM scores from the thresholds: champions and lost', () => {
    const champion = facts({ purchases: [1, 2, 3, 4, 5, 6, 7, 8].map((d) => buy(d, 10_000)) });
    expect(rfmScores(champion, DEFAULT_SEGMENT_THRESHOLDS.rfm, AS_OF)).toEqual({ recency: 5, frequency: 4, monetary: 4 });
    expect(inSegment('rfm-champions', champion)).toBe(true);
    const lost = facts({ purchases: [buy(400, 100)] });
    expect(rfmScores(lost, DEFAULT_SEGMENT_THRESHOLDS.rfm, AS_OF)).toEqual({ recency: 1, frequency: 1, monetary: 1 });
    expect(inSegment('rfm-lost', lost)).toBe(true);
    expect(inSegment('rfm-lost', facts())).toBe(false);
  });
});

describe('custom criteria', () => {
  const criteria: SegmentCriterion = {
    type: 'all',
    of: [
      {
        type: 'any',
        of: [
          { type: 'bought', categories: ['coffee'], withinDays: 30 },
          { type: 'store', storeIds: ['web'] },
        ],
      },
      { type: 'purchaseAmount', minMinor: 1000 },
      { type: 'tier', tiers: ['gold', 'silver'] },
    ],
  };

  it('combine AND / OR over purchases, stores and tiers', () => {
    expect(matchesCriterion(criteria, facts({ purchases: [buy(3, 1000, { categories: ['coffee'] })] }), AS_OF)).toBe(true);
    expect(matchesCriterion(criteria, facts({ purchases: [buy(31, 1000, { categories: ['coffee'] })] }), AS_OF)).toBe(false);
    expect(matchesCriterion(criteria, facts({ purchases: [buy(300, 1000, { storeId: 'web' })] }), AS_OF)).toBe(true);
    expect(matchesCriterion(criteria, facts({ tier: null, purchases: [buy(300, 1000, { storeId: 'web' })] }), AS_OF)).toBe(false);
  });

  it('enrolment anniversary: within the days after each yearly anniversary', () => {
    const c: SegmentCriterion = { type: 'enrolmentAnniversary', withinDays: 7 };
    expect(matchesCriterion(c, facts({ enrolledAt: '2025-06-25T08:00:00Z' }), AS_OF)).toBe(true);
    expect(matchesCriterion(c, facts({ enrolledAt: '2025-06-23T08:00:00Z' }), AS_OF)).toBe(false);
    expect(matchesCriterion(c, facts({ enrolledAt: '2026-06-25T08:00:00Z' }), AS_OF)).toBe(false);
  });

  it('a 29 February date completes its years on 1 March in other years, its anniversary counted from 28 February', () => {
    const leapling = facts({ enrolledAt: '2024-02-29T00:00:00Z', birthDate: '2000-02-29' });
    const anniversary = (withinDays: number, asOf: string) =>
      matchesCriterion({ type: 'enrolmentAnniversary', withinDays }, leapling, asOf);
    expect(anniversary(2, '2025-03-01T00:00:00Z')).toBe(true);
    expect(anniversary(1, '2025-03-01T00:00:00Z')).toBe(false);
    expect(anniversary(366, '2025-02-28T23:59:59Z')).toBe(false);
    expect(matchesCriterion({ type: 'age', maxYears: 24 }, leapling, '2025-02-28T23:59:59Z')).toBe(true);
    expect(matchesCriterion({ type: 'age', minYears: 25 }, leapling, '2025-03-01T00:00:00Z')).toBe(true);
  });

  it('reads instants with offsets as the same instants in UTC', () => {
    const paris = facts({ enrolledAt: '2026-06-01T01:30:00+02:00', purchases: [buy(0, 500, { occurredAt: '2026-06-30T14:00:00+02:00' })] });
    expect(paris.enrolledOn).toEqual({ year: 2026, month: 5, day: 31 });
    expect(matchesCriterion({ type: 'purchaseCount', min: 1, withinDays: 1 }, paris, AS_OF)).toBe(true);
    expect(matchesCriterion({ type: 'purchaseCount', min: 1, withinDays: 1 }, paris, '2026-06-30T11:59:59.999Z')).toBe(false);
  });

  it('reports every problem of a malformed tree with its path', () => {
    expect(criteriaProblems({ type: 'all', of: [{ type: 'purchaseCount' }, { type: 'nope' }, { type: 'tier', tiers: ['a b'] }] })).toEqual([
      'criteria.of[0] needs min or max',
      expect.stringContaining('criteria.of[1].type must be one of'),
      expect.stringContaining('criteria.of[2].tiers must be'),
    ]);
    expect(criteriaProblems({ type: 'purchaseCount', min: 5, max: 2, extra: 1 })).toEqual([
      'criteria.extra is not a field of purchaseCount',
      'criteria: min exceeds max',
    ]);
    expect(criteriaProblems(criteria)).toEqual([]);
  });
});

describe('segment definitions stream', () => {
  const at = '2026-01-01T00:00:00.000Z';
  const define = {
    type: 'DefineSegment' as const,
    name: 'coffee-lovers',
    description: 'coffee',
    criteria: { type: 'bought', categories: ['coffee'] },
    occurredAt: at,
  };

  it('defines, repeats idempotently, refuses built-in names and bad criteria, removes', () => {
    const events = decideSegmentDefinition(define, initialSegmentDefinitions());
    expect(events).toEqual([
      {
        type: 'SegmentDefined',
        data: { schemaVersion: 1, name: 'coffee-lovers', description: 'coffee', criteria: define.criteria, occurredAt: at },
      },
    ]);
    const state = events.reduce(evolveSegmentDefinitions, initialSegmentDefinitions());
    expect(decideSegmentDefinition(define, state)).toEqual([]);
    expect(segmentsInForce(state).map((s) => s.name)).toContain('coffee-lovers');
    expect(() => decideSegmentDefinition({ ...define, name: 'loyal' }, state)).toThrow(
      expect.objectContaining({ code: 'SEGMENT_NAME_RESERVED' }),
    );
    expect(() => decideSegmentDefinition({ ...define, criteria: { type: 'x' } }, state)).toThrow(
      expect.objectContaining({ code: 'INVALID_SEGMENT_CRITERIA' }),
    );
    expect(decideSegmentDefinition({ type: 'RemoveSegment', name: 'coffee-lovers', occurredAt: at }, state)[0]?.type).toBe(
      'SegmentRemoved',
    );
    expect(() => decideSegmentDefinition({ type: 'RemoveSegment', name: 'nope', occurredAt: at }, state)).toThrow(
      expect.objectContaining({ code: 'SEGMENT_NOT_FOUND' }),
    );
  });

  it('changes thresholds only to a valid set', () => {
    expect(thresholdsProblems(DEFAULT_SEGMENT_THRESHOLDS)).toEqual([]);
    const changed = { ...DEFAULT_SEGMENT_THRESHOLDS, loyalMinPurchases: 6 };
    expect(
      decideSegmentDefinition({ type: 'ChangeSegmentThresholds', thresholds: changed, occurredAt: at }, initialSegmentDefinitions()),
    ).toHaveLength(1);
    expect(() =>
      decideSegmentDefinition(
        { type: 'ChangeSegmentThresholds', thresholds: { ...changed, atRiskSilentDays: 200 }, occurredAt: at },
        initialSegmentDefinitions(),
      ),
    ).toThrow(expect.objectContaining({ code: 'INVALID_SEGMENT_THRESHOLDS' }));
  });
});
