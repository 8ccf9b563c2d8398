import { ChangeTier } from '../member/commands';
import { MemberEvent, TierChanged } from '../member/events';
import { foldMember } from '../member/state';
import { ProgramPolicy } from '../program/policy';
import { policyProblems } from '../program/program';
import { member, programInForce, T0 } from '../testing/fixtures';
import { purchase, refund, settle } from '../testing/member-commands';
import { clawedBack, enrolled, purchaseAccrued, purchaseRecorded, refunded, tierChanged, welcomeAccrued } from '../testing/member-events';
import { isAfter } from '../values/time';
import { qualifyingValue, statusEndDue, statusEndsAt, tierProgress } from './qualification';
import { TierRules } from './tier-policy';

const LA = 'America/Los_Angeles';
const RECEIVED = '2035-01-01T00:00:00.000Z';

const rules = (o: Partial<TierRules> = {}): TierRules => ({
  qualifyBy: 'spend',
  window: { kind: 'rolling', months: 12 },
  status: { kind: 'months', months: 12 },
  downgrade: 'toQualified',
  ...o,
});

/** Starbucks-like: Stars earned over a rolling 12 months, a status for 12 months from reaching it. */
const stars = programInForce({
  tierPolicy: rules({ qualifyBy: 'points' }),
  tiers: [
    { name: 'green', minPoints: 0, multiplierBp: 10_000 },
    { name: 'gold', minPoints: 500, multiplierBp: 12_000 },
    { name: 'reserve', minPoints: 2_500, multiplierBp: 17_000 },
  ],
});

/** Sephora-like: spend in the calendar year (Los Angeles), kept for the rest of that year and the whole next one. */
const beauty = programInForce({
  timeZone: LA,
  tierPolicy: rules({ window: { kind: 'calendarYear' }, status: { kind: 'calendarYears', years: 2 } }),
  tiers: [
    { name: 'insider', minSpendMinor: 0, multiplierBp: 10_000 },
    { name: 'vib', minSpendMinor: 35_000, multiplierBp: 10_000 },
    { name: 'rouge', minSpendMinor: 100_000, multiplierBp: 10_000 },
  ],
});

const visits = programInForce({
  tierPolicy: rules({ qualifyBy: 'purchases', window: { kind: 'rolling', months: 3 } }),
  tiers: [
    { name: 'regular', minPurchases: 0, multiplierBp: 10_000 },
    { name: 'frequent', minPurchases: 3, multiplierBp: 10_000 },
  ],
});

const bought = (transactionId: string, amountMinor: number, occurredAt: string, points = 0): MemberEvent[] => [
  purchaseRecorded({ transactionId, amountMinor, occurredAt }),
  ...(points > 0 ? [purchaseAccrued(transactionId, points, { occurredAt })] : []),
];

const tierChanges = (events: readonly MemberEvent[]) => events.filter((e): e is TierChanged => e.type === 'TierChanged');

const changeTier = (o: Partial<ChangeTier> = {}): ChangeTier => ({
  type: 'ChangeTier',
  memberId: 'm1',
  changeId: 'c1',
  tier: 'gold',
  reason: 'status match',
  until: '2026-06-01T00:00:00.000Z',
  actor: 'admin:abc',
  requestHash: 'h-c1',
  occurredAt: '2026-02-01T00:00:00.000Z',
  receivedAt: RECEIVED,
  program: stars,
  ...o,
});

describe('tier qualification by what the policy names', () => {
  it('counts the points purchases earned, net of clawbacks: the purchase that reaches 500 upgrades after earning at the old tier', () => {
    const history = [enrolled({ tier: 'green' }), ...bought('tx0', 30_000, T0, 300)];
    const crossing = purchase({ transactionId: 'tx1', amountMinor: 20_000, occurredAt: '2026-02-01T00:00:00.000Z', program: stars });
    member
      .given(history)
      .when(crossing)
      .thenMatches((events) => {
        expect(events.find((e) => e.type === 'PointsAccrued')?.data).toMatchObject({ points: 200, ruleIds: ['base'] });
        expect(tierChanges(events)).toEqual([
          tierChanged({
            from: 'green',
            to: 'gold',
            reason: 'qualifying-points',
            qualifyingSpendMinor: 50_000,
            qualifyingValue: 500,
            occurredAt: '2026-02-01T00:00:00.000Z',
          }),
        ]);
      });
  });

  it('does not count points that are not a purchase’s (a welcome bonus), nor points a refund clawed back', () => {
    const state = foldMember([
      enrolled({ tier: 'green' }),
      welcomeAccrued(),
      ...bought('tx0', 60_000, T0, 600),
      refunded({ transactionId: 'tx0', amountMinor: 20_000 }),
      clawedBack({ transactionId: 'tx0', points: 200, lots: [{ lotId: 'purchase:tx0', points: 200 }] }),
    ]);
    expect(qualifyingValue(stars.policy, state.purchases.values(), '2026-02-01T00:00:00.000Z')).toBe(400);
  });

  it('counts purchases not wholly refunded over a rolling 3 months: the third upgrades', () => {
    const history = [
      enrolled({ tier: 'regular' }),
      ...bought('old', 1_000, '2025-10-01T00:00:00.000Z'),
      ...bought('tx1', 1_000, '2026-01-05T00:00:00.000Z'),
      ...bought('gone', 1_000, '2026-01-06T00:00:00.000Z'),
      refunded({ transactionId: 'gone', refundId: 'rf-gone', amountMinor: 1_000 }),
      ...bought('tx2', 1_000, '2026-01-07T00:00:00.000Z'),
    ];
    member
      .given(history)
      .when(purchase({ transactionId: 'tx3', amountMinor: 1_000, program: visits, occurredAt: T0 }))
      .thenMatches((events) =>
        expect(tierChanges(events)).toEqual([
          tierChanged({ from: 'regular', to: 'frequent', reason: 'qualifying-purchases', qualifyingSpendMinor: 3_000, qualifyingValue: 3 }),
        ]),
      );
  });
});

describe('the calendar-year window in the program’s time zone', () => {
  // 2026-01-01T05:00Z is still 31 December 2025, 21:00 in Los Angeles.
  const history = [enrolled({ tier: 'insider' }), ...bought('eve', 30_000, '2026-01-01T05:00:00.000Z')];
  const newYear = purchase({ transactionId: 'tx1', amountMinor: 10_000, occurredAt: '2026-01-01T09:00:00.000Z', program: beauty });

  it('counts a purchase in the local year it was made: New Year’s Eve in Los Angeles is 2025 there', () => {
    member
      .given(history)
      .when(newYear)
      .thenMatches((events) => expect(tierChanges(events)).toEqual([]));
  });

  it('reads the same instants as one year in UTC', () => {
    const utc = programInForce({ ...beauty.policy, timeZone: 'UTC' });
    member
      .given(history)
      .when({ ...newYear, program: utc })
      .thenMatches((events) => expect(tierChanges(events).map((e) => [e.data.to, e.data.qualifyingValue])).toEqual([['vib', 40_000]]));
  });
});

describe('status duration and the downgrade at its end', () => {
  const reachedVib = [
    enrolled({ tier: 'insider' }),
    ...bought('tx1', 40_000, '2026-03-01T18:00:00.000Z'),
    tierChanged({
      from: 'insider',
      to: 'vib',
      qualifyingSpendMinor: 40_000,
      qualifyingValue: 40_000,
      occurredAt: '2026-03-01T18:00:00.000Z',
    }),
  ];
  /** Midnight of 1 January 2028 in Los Angeles: the end of "the rest of 2026 and the whole of 2027". */
  const STATUS_END = '2028-01-01T08:00:00.000Z';

  it('keeps a calendar-year status through the next year and ends it at local midnight, dated there', () => {
    member
      .given(reachedVib)
      .when(settle('2028-01-01T07:59:59.999Z', { program: beauty, receivedAt: RECEIVED }))
      .thenNothing();
    member
      .given(reachedVib)
      .when(settle('2028-01-05T00:00:00.000Z', { program: beauty, receivedAt: RECEIVED }))
      .then([
        tierChanged({
          from: 'vib',
          to: 'insider',
          reason: 'requalification',
          qualifyingSpendMinor: 0,
          qualifyingValue: 0,
          occurredAt: STATUS_END,
        }),
      ]);
  });

  it('requalifies on the year that closed: spend in 2027 keeps VIB through 2028, the year after the one qualified in', () => {
    const kept = [...reachedVib, ...bought('tx2', 35_000, '2027-12-31T20:00:00.000Z')];
    member
      .given(kept)
      .when(settle('2028-01-05T00:00:00.000Z', { program: beauty, receivedAt: RECEIVED }))
      .thenMatches((events) => expect(tierChanges(events).map((e) => [e.data.to, e.data.qualifyingValue])).toEqual([['vib', 35_000]]));
    const afterKeeping = foldMember([
      ...kept,
      tierChanged({ from: 'vib', to: 'vib', reason: 'requalification', qualifyingSpendMinor: 35_000, occurredAt: STATUS_END }),
    ]);
    expect(statusEndsAt(beauty.policy, afterKeeping)).toBe('2029-01-01T08:00:00.000Z');
  });

  it('lets the daily job find a status renewed at a year boundary when it ends', () => {
    const renewed = foldMember([
      ...reachedVib,
      tierChanged({ from: 'vib', to: 'vib', reason: 'requalification', qualifyingSpendMinor: 35_000, occurredAt: STATUS_END }),
    ]);
    const due = statusEndDue(beauty.policy, '2029-01-02T00:00:00.000Z')!;
    expect(statusEndsAt(beauty.policy, renewed)).toBe('2029-01-01T08:00:00.000Z');
    expect(isAfter(renewed.tierReachedAt!, due.reachedAtOrBefore!)).toBe(false);
  });

  it('keeps a one-year status kept at its end for the whole next year: one review per year, never one at the same instant again', () => {
    const oneYear = programInForce({
      ...beauty.policy,
      tierPolicy: rules({ window: { kind: 'calendarYear' }, status: { kind: 'calendarYears', years: 1 } }),
    });
    const newYear2027 = '2027-01-01T08:00:00.000Z';
    const kept = [...reachedVib, ...bought('tx2', 35_000, '2026-12-31T20:00:00.000Z')];
    member
      .given(kept)
      .when(settle('2027-06-01T00:00:00.000Z', { program: oneYear, receivedAt: RECEIVED }))
      .then([
        tierChanged({
          from: 'vib',
          to: 'vib',
          reason: 'requalification',
          qualifyingSpendMinor: 75_000,
          qualifyingValue: 75_000,
          occurredAt: newYear2027,
        }),
      ]);
    const afterKeeping = foldMember([
      ...kept,
      tierChanged({ from: 'vib', to: 'vib', reason: 'requalification', qualifyingSpendMinor: 75_000, occurredAt: newYear2027 }),
    ]);
    expect(statusEndsAt(oneYear.policy, afterKeeping)).toBe('2028-01-01T08:00:00.000Z');
  });

  it('lasts N months from reaching it, and under oneTier goes down at most one tier', () => {
    const oneTier = programInForce({ ...stars.policy, tierPolicy: rules({ qualifyBy: 'points', downgrade: 'oneTier' }) });
    const reserve = [
      enrolled({ tier: 'green' }),
      tierChanged({
        from: 'green',
        to: 'reserve',
        reason: 'qualifying-points',
        qualifyingSpendMinor: 0,
        occurredAt: '2026-02-01T00:00:00.000Z',
      }),
    ];
    expect(statusEndsAt(oneTier.policy, foldMember(reserve))).toBe('2027-02-01T00:00:00.000Z');
    member
      .given(reserve)
      .when(settle('2027-02-02T00:00:00.000Z', { program: oneTier, receivedAt: RECEIVED }))
      .then([
        tierChanged({
          from: 'reserve',
          to: 'gold',
          reason: 'requalification',
          qualifyingSpendMinor: 0,
          qualifyingValue: 0,
          occurredAt: '2027-02-01T00:00:00.000Z',
        }),
      ]);
  });

  it('never ends the lowest tier’s status under a status duration', () => {
    expect(statusEndsAt(stars.policy, foldMember([enrolled({ tier: 'green' })]))).toBeNull();
  });
});

describe('manual tier changes', () => {
  const green = [enrolled({ tier: 'green' })];
  const manual = tierChanged({
    from: 'green',
    to: 'gold',
    reason: 'manual',
    qualifyingSpendMinor: 0,
    qualifyingValue: 0,
    occurredAt: '2026-02-01T00:00:00.000Z',
    manual: { changeId: 'c1', actor: 'admin:abc', reason: 'status match', until: '2026-06-01T00:00:00.000Z', requestHash: 'h-c1' },
  });

  it('records the change with its actor, reason and end', () => {
    member.given(green).when(changeTier()).then([manual]);
  });

  it('is idempotent by changeId: the same request changes nothing, another one is a conflict', () => {
    member
      .given([...green, manual])
      .when(changeTier())
      .thenNothing();
    member
      .given([...green, manual])
      .when(changeTier({ tier: 'reserve', requestHash: 'h-other' }))
      .thenThrows('IDEMPOTENCY_CONFLICT');
  });

  it('refuses a tier the program does not have, no reason, and an end not after the change', () => {
    member
      .given(green)
      .when(changeTier({ tier: 'platinum' }))
      .thenThrows('UNKNOWN_TIER');
    member
      .given(green)
      .when(changeTier({ reason: '  ' }))
      .thenThrows('INVALID_TIER_CHANGE');
    member
      .given(green)
      .when(changeTier({ until: '2026-02-01T00:00:00.000Z' }))
      .thenThrows('INVALID_TIER_CHANGE');
  });

  it('holds the tier until `until`: no upgrade meanwhile; then the policy takes over, dated at `until`', () => {
    const held = [...green, manual, ...bought('tx1', 300_000, '2026-03-01T00:00:00.000Z', 3_000)];
    member
      .given([...green, manual])
      .when(purchase({ transactionId: 'tx1', amountMinor: 300_000, occurredAt: '2026-03-01T00:00:00.000Z', program: stars }))
      .thenMatches((events) => expect(tierChanges(events)).toEqual([]));
    member
      .given(held)
      .when(settle('2026-05-31T23:59:59.999Z', { program: stars, receivedAt: RECEIVED }))
      .thenNothing();
    member
      .given(held)
      .when(settle('2026-06-02T00:00:00.000Z', { program: stars, receivedAt: RECEIVED }))
      .then([
        tierChanged({
          from: 'gold',
          to: 'reserve',
          reason: 'requalification',
          qualifyingSpendMinor: 300_000,
          qualifyingValue: 3_000,
          occurredAt: '2026-06-01T00:00:00.000Z',
        }),
      ]);
  });

  it('holds indefinitely without `until`', () => {
    const forever = tierChanged({ ...manual.data, manual: { ...manual.data.manual!, until: null } });
    expect(statusEndsAt(stars.policy, foldMember([...green, forever]))).toBeNull();
  });

  it('works under the program without a tier policy: its events carry no qualifyingValue, and the hold ends at `until`', () => {
    const legacy = programInForce();
    const change = changeTier({ tier: 'gold', program: legacy });
    member
      .given([enrolled()])
      .when(change)
      .thenMatches((events) => {
        expect(tierChanges(events).map((e) => e.data.qualifyingValue)).toEqual([undefined]);
        expect(statusEndsAt(legacy.policy, foldMember([enrolled(), ...events]))).toBe(change.until);
      });
  });
});

describe('progress to the next tier', () => {
  it('says the value so far, the next tier and what it still takes, and when the status ends', () => {
    const state = foldMember([
      enrolled({ tier: 'green' }),
      ...bought('tx0', 60_000, T0, 600),
      tierChanged({ from: 'green', to: 'gold', reason: 'qualifying-points', qualifyingSpendMinor: 60_000, occurredAt: T0 }),
    ]);
    expect(tierProgress(stars.policy, state, state.purchases.values(), '2026-03-01T00:00:00.000Z')).toEqual({
      qualifyingValue: 600,
      nextTier: 'reserve',
      remainingToNext: 1_900,
      statusUntil: '2027-01-10T09:00:00.000Z',
    });
    expect(tierProgress(stars.policy, state, state.purchases.values(), '2027-01-11T00:00:00.000Z').qualifyingValue).toBe(0);
  });
});

describe('tier policy validation', () => {
  const problemsOf = (o: Partial<ProgramPolicy>) => policyProblems({ ...stars.policy, ...o });

  it('needs every tier to carry the threshold of what qualifies, from 0 and strictly increasing', () => {
    expect(problemsOf({ tiers: [{ name: 'green', minSpendMinor: 0, multiplierBp: 10_000 }] })).toEqual([
      'every tier needs minPoints (tiers qualify by points), a non-negative integer',
    ]);
    expect(
      problemsOf({
        tiers: [
          { name: 'green', minPoints: 10, multiplierBp: 10_000 },
          { name: 'gold', minPoints: 10, multiplierBp: 10_000 },
        ],
      }),
    ).toEqual(['the lowest tier must have minPoints 0', 'tiers must have strictly increasing minPoints']);
  });

  it('bounds the window and the status duration', () => {
    expect(problemsOf({ tierPolicy: rules({ qualifyBy: 'points', window: { kind: 'rolling', months: 0 } }) })).toEqual([
      'tierPolicy.window.months must be 1-120',
    ]);
    expect(problemsOf({ tierPolicy: rules({ qualifyBy: 'points', status: { kind: 'calendarYears', years: 11 } }) })).toEqual([
      'tierPolicy.status.years must be 1-10',
    ]);
  });

  it('keeps today’s messages for spend tiers without a tier policy', () => {
    expect(policyProblems({ ...programInForce().policy, tiers: [{ name: 'silver', minSpendMinor: 5, multiplierBp: 10_000 }] })).toEqual([
      'the lowest tier must have minSpendMinor 0',
    ]);
  });
});

describe('refunds after an upgrade', () => {
  it('change nothing until the status ends', () => {
    const history = [
      enrolled({ tier: 'green' }),
      ...bought('tx1', 50_000, T0, 500),
      tierChanged({ from: 'green', to: 'gold', reason: 'qualifying-points', qualifyingSpendMinor: 50_000, occurredAt: T0 }),
    ];
    member
      .given(history)
      .when(refund({ transactionId: 'tx1', amountMinor: 50_000, program: stars, occurredAt: '2026-02-01T00:00:00.000Z' }))
      .thenMatches((events) => expect(tierChanges(events)).toEqual([]));
  });
});
