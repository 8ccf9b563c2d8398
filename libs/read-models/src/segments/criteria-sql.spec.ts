import fc from 'fast-check';
import { Client } from 'pg';
import {
  builtinSegments,
  criteriaEvaluatorAt,
  criteriaProblems,
  DEFAULT_SEGMENT_THRESHOLDS,
  memberFacts,
  MemberInput,
  purchaseFact,
  PurchaseInput,
  SegmentCriterion,
} from '@loyalty/domain';
import { createTestDatabase } from '../../../../test/support/postgres';
import { criterionSql } from './criteria-sql';
import { segmentsDdl } from './segments.ddl';

const S = 'segments_sql';
const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Evaluation instants anywhere in a few years, and on the days calendar
 * rules turn on: leap days, month ends, UTC midnight.
 */
const asOfMs = fc.oneof(
  fc.integer({ min: Date.parse('2024-01-01T00:00:00Z'), max: Date.parse('2027-12-31T23:59:59Z') }),
  fc
    .tuple(
      fc.constantFrom('2024-02-28', '2024-02-29', '2024-03-01', '2025-02-28', '2025-03-01', '2026-12-31'),
      fc.constantFrom(0, 1, DAY_MS - 1),
    )
    .map(([date, offsetMs]) => Date.parse(`${date}T00:00:00Z`) + offsetMs),
);

/**
 * Day counts for both the members' instants and the criteria's bounds, drawn
 * mostly from a few small numbers and the built-ins' thresholds so that
 * instants land exactly on the bounds often.
 */
const dayCount = (min: number) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min, max: 6 }) },
    { weight: 1, arbitrary: fc.constantFrom(30, 45, 60, 90, 179, 180, 365) },
    { weight: 1, arbitrary: fc.integer({ min, max: 800 }) },
  );

/** An instant some days before asOf (or just after it), often exactly on a day boundary or a millisecond off it. */
const before = (asOf: number) =>
  fc
    .tuple(
      fc.oneof({ weight: 5, arbitrary: dayCount(0) }, { weight: 1, arbitrary: fc.integer({ min: -3, max: 1_500 }) }),
      fc.oneof({ weight: 3, arbitrary: fc.constantFrom(0, 1, -1) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: DAY_MS - 1 }) }),
    )
    .map(([days, offsetMs]) => iso(asOf - days * DAY_MS - offsetMs));

/** A date some whole years before asOf's UTC date, give or take a day, or any date. */
const dateBefore = (asOf: number) =>
  fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 90 }), fc.integer({ min: -1, max: 1 })).map(([years, days]) => {
      const at = new Date(asOf);
      return iso(Date.UTC(at.getUTCFullYear() - years, at.getUTCMonth(), at.getUTCDate() + days)).slice(0, 10);
    }),
    fc.constant('2000-02-29'),
    fc.integer({ min: Date.parse('1930-01-01'), max: Date.parse('2015-12-31') }).map((ms) => iso(ms).slice(0, 10)),
  );

const minor = fc.integer({ min: 0, max: 300_000 });

const purchase = (asOf: number): fc.Arbitrary<PurchaseInput> =>
  fc
    .record({
      occurredAt: before(asOf),
      amountMinor: minor,
      refundShare: fc.integer({ min: 0, max: 100 }),
      storeId: fc.option(fc.constantFrom('s1', 's2')),
      skus: fc.subarray(['latte', 'tea', 'cake']),
      categories: fc.subarray(['coffee', 'food']),
    })
    .map(({ refundShare, ...p }) => ({ ...p, refundedMinor: Math.floor((p.amountMinor * refundShare) / 100) }));

interface GeneratedMember {
  readonly member: MemberInput;
  readonly purchases: readonly PurchaseInput[];
}

const member = (asOf: number): fc.Arbitrary<GeneratedMember> =>
  fc.record({
    member: fc.record({
      memberType: fc.constantFrom('individual' as const, 'business' as const),
      enrolledAt: fc.oneof(
        before(asOf),
        dateBefore(asOf).map((date) => `${date}T13:45:00.000Z`),
      ),
      birthDate: fc.option(dateBefore(asOf)),
      tier: fc.option(fc.constantFrom('silver', 'gold')),
      lastRedemptionAt: fc.option(before(asOf)),
    }),
    purchases: fc.array(purchase(asOf), { maxLength: 12 }),
  });

const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const days = dayCount(0);
const withinDays = optional(dayCount(1));
const ascending = (max: number) =>
  fc.uniqueArray(fc.integer({ min: 1, max }), { minLength: 4, maxLength: 4 }).map((xs) => [...xs].sort((a, b) => a - b));
const score = optional(fc.integer({ min: 1, max: 5 }));
/** Drops absent bounds, as criteria stored as JSON never carry `undefined`. */
const defined = <T extends object>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const leaf: fc.Arbitrary<SegmentCriterion> = fc.oneof(
  fc.record({ type: fc.constant('purchaseCount' as const), min: optional(fc.nat(10)), max: optional(fc.nat(10)), withinDays }),
  fc.record({ type: fc.constant('purchaseAmount' as const), minMinor: optional(minor), maxMinor: optional(minor), withinDays }),
  fc.record({ type: fc.constant('averageBasket' as const), minMinor: optional(minor), maxMinor: optional(minor), withinDays }),
  fc.record({ type: fc.constant('lastPurchase' as const), minDaysAgo: optional(days), maxDaysAgo: optional(days) }),
  fc.record({ type: fc.constant('noPurchaseFor' as const), days: dayCount(1) }),
  fc.record({
    type: fc.constant('bought' as const),
    skus: optional(fc.subarray(['latte', 'tea'], { minLength: 1 })),
    categories: optional(fc.subarray(['coffee'], { minLength: 1 })),
    withinDays,
  }),
  fc.record({ type: fc.constant('store' as const), storeIds: fc.subarray(['s1', 's2'], { minLength: 1 }), withinDays }),
  fc.record({ type: fc.constant('tier' as const), tiers: fc.subarray(['silver', 'gold'], { minLength: 1 }) }),
  fc.record({ type: fc.constant('memberType' as const), memberType: fc.constantFrom('individual' as const, 'business' as const) }),
  fc.record({ type: fc.constant('enrolled' as const), minDaysAgo: optional(days), maxDaysAgo: optional(days) }),
  fc.record({
    type: fc.constant('enrolmentAnniversary' as const),
    withinDays: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 366 })),
  }),
  fc.record({ type: fc.constant('lastRedemption' as const), minDaysAgo: optional(days), maxDaysAgo: optional(days) }),
  fc.record({ type: fc.constant('age' as const), minYears: optional(fc.nat(90)), maxYears: optional(fc.nat(90)) }),
  fc.record({
    type: fc.constant('rfm' as const),
    scoring: fc.record({
      windowDays: fc.integer({ min: 1, max: 730 }),
      recencyDays: ascending(730),
      frequency: ascending(12),
      monetaryMinor: ascending(500_000),
    }),
    minRecency: score,
    maxRecency: score,
    minFrequency: score,
    maxFrequency: score,
    minMonetary: score,
    maxMonetary: score,
  }),
);

/** Trees the admin API would accept: the compiler is only ever given validated criteria. */
const criterion: fc.Arbitrary<SegmentCriterion> = fc
  .oneof(
    { weight: 3, arbitrary: leaf },
    {
      weight: 1,
      arbitrary: fc.record({ type: fc.constantFrom('all' as const, 'any' as const), of: fc.array(leaf, { minLength: 1, maxLength: 3 }) }),
    },
  )
  .map(defined)
  .filter((c) => criteriaProblems(c).length === 0);

/** A population of members judged at one instant. */
const population = asOfMs.chain((asOf) =>
  fc.record({ asOf: fc.constant(iso(asOf)), members: fc.array(member(asOf), { minLength: 1, maxLength: 12 }) }),
);

describe('the SQL compiler of criteria, for the query that judges every member at once', () => {
  let db: Client;

  beforeAll(async () => {
    db = new Client({ connectionString: await createTestDatabase('criteria_sql') });
    await db.connect();
    // Far from UTC and with a 45-minute offset: day arithmetic must not depend on the session's time zone.
    await db.query(`set time zone 'Pacific/Chatham'`);
    await db.query(`create schema ${S}`);
    await db.query(segmentsDdl(S));
  });
  afterAll(async () => db.end());

  async function store(members: readonly GeneratedMember[]): Promise<void> {
    await db.query(`truncate ${S}.segment_members, ${S}.segment_purchases`);
    const memberRows = members.map(({ member: m }, i) => ({
      member_id: `m${i}`,
      member_type: m.memberType,
      enrolled_at: m.enrolledAt,
      birth_date: m.birthDate,
      tier: m.tier,
      last_redemption_at: m.lastRedemptionAt,
    }));
    const purchaseRows = members.flatMap(({ purchases }, i) =>
      purchases.map((p, n) => ({
        member_id: `m${i}`,
        transaction_id: `t${n}`,
        occurred_at: p.occurredAt,
        amount_minor: p.amountMinor,
        refunded_minor: p.refundedMinor,
        store_id: p.storeId,
        skus: p.skus,
        categories: p.categories,
      })),
    );
    for (const [table, rows] of [
      ['segment_members', memberRows],
      ['segment_purchases', purchaseRows],
    ] as const) {
      await db.query(`insert into ${S}.${table} select * from json_populate_recordset(null::${S}.${table}, $1::json)`, [
        JSON.stringify(rows),
      ]);
    }
  }

  async function selected(c: SegmentCriterion, asOf: string): Promise<string[]> {
    // The instant is selected too: criteria that read no time (tier, member type) still bind $1.
    const { rows } = await db.query<{ member_id: string }>(
      `select f.member_id, $1::timestamptz as as_of from ${S}.segment_members f where ${criterionSql(c, S)}`,
      [asOf],
    );
    return rows.map((r) => r.member_id).sort();
  }

  function evaluated(c: SegmentCriterion, members: readonly GeneratedMember[], asOf: string): string[] {
    const matches = criteriaEvaluatorAt(asOf);
    return members
      .map(({ member: m, purchases }, i) => ({ id: `m${i}`, facts: memberFacts(m, purchases.map(purchaseFact)) }))
      .filter(({ facts }) => matches(c, facts))
      .map(({ id }) => id)
      .sort();
  }

  it("selects exactly the members the domain's evaluator matches, for random criteria, members and instants", async () => {
    await fc.assert(
      fc.asyncProperty(population, fc.array(criterion, { minLength: 1, maxLength: 4 }), async ({ asOf, members }, criteria) => {
        await store(members);
        for (const c of criteria) expect({ c, members: await selected(c, asOf) }).toEqual({ c, members: evaluated(c, members, asOf) });
      }),
      { numRuns: 200 },
    );
  });

  it('selects exactly the members the evaluator matches for every built-in segment', async () => {
    const builtins = builtinSegments(DEFAULT_SEGMENT_THRESHOLDS);
    await fc.assert(
      fc.asyncProperty(population, async ({ asOf, members }) => {
        await store(members);
        for (const b of builtins)
          expect({ segment: b.name, members: await selected(b.criteria, asOf) }).toEqual({
            segment: b.name,
            members: evaluated(b.criteria, members, asOf),
          });
      }),
      { numRuns: 40 },
    );
  });
});
