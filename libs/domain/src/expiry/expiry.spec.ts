import { lotDueAt } from '../member/due';
import { PointsAccrued } from '../member/events';
import { foldMember } from '../member/state';
import { policyProblems } from '../program/program';
import { ProgramPolicy } from '../program/policy';
import { member, policy, programInForce } from '../testing/fixtures';
import { adjust, enrol, purchase, settle } from '../testing/member-commands';
import {
  accrued,
  enrolled,
  expired,
  purchaseAccrued,
  purchaseRecorded,
  redeemed,
  tierChanged,
  welcomeAccrued,
} from '../testing/member-events';
import { ExpiryPolicy, InactivityRule, lotExpiry, programExpiry } from './expiry';

const NO_TIERS = { tiers: [] };
const under = (expiry: ExpiryPolicy, o: Partial<ProgramPolicy> = {}) => programInForce({ ...NO_TIERS, expiryMonths: 0, expiry, ...o });
const accrualOf = (events: readonly { type: string }[]) => events.find((e): e is PointsAccrued => e.type === 'PointsAccrued')!.data;

describe('expiryMonths, the shorthand', () => {
  it('means what it always meant: N calendar months after earning in UTC, 0 never', () => {
    expect(programExpiry(policy({ expiryMonths: 12 }))).toEqual({ kind: 'afterEarning', months: 12 });
    expect(programExpiry(policy({ expiryMonths: 0 }))).toEqual({ kind: 'never' });
    expect(lotExpiry(policy({ expiryMonths: 1, timeZone: 'Asia/Tokyo' }), null, '2026-01-31T20:00:00.000Z')).toEqual({
      expiresAt: '2026-02-28T20:00:00.000Z',
    });
  });
});

describe('after earning', () => {
  it('expires N months after earning, unrounded, as expiryMonths did', () => {
    member
      .given([enrolled({ tier: null })])
      .when(purchase({ program: under({ kind: 'afterEarning', months: 6 }) }))
      .thenMatches((events) => expect(accrualOf(events)).toMatchObject({ expiresAt: '2026-07-10T09:00:00.000Z' }));
  });

  it('rounds to the end of the local month N months on, in the program time zone', () => {
    // 31 January 23:30 in New York is already 1 February in UTC: the local month is January, so the end of July.
    const program = under({ kind: 'afterEarning', months: 6, roundTo: 'month' }, { timeZone: 'America/New_York' });
    member
      .given([enrolled({ tier: null })])
      .when(purchase({ program, occurredAt: '2026-02-01T04:30:00.000Z' }))
      .thenMatches((events) => expect(accrualOf(events).expiresAt).toBe('2026-08-01T04:00:00.000Z'));
  });

  it('rounds to the end of the local quarter', () => {
    const program = under({ kind: 'afterEarning', months: 12, roundTo: 'quarter' }, { timeZone: 'Europe/Paris' });
    member
      .given([enrolled({ tier: null })])
      .when(purchase({ program, occurredAt: '2026-02-15T12:00:00.000Z' }))
      .thenMatches((events) => expect(accrualOf(events).expiresAt).toBe('2027-03-31T22:00:00.000Z'));
  });

  it('rounds to the end of the local year', () => {
    // 31 December 23:30 UTC is New Year's Day in Tokyo: earned in 2027 there, so it lasts to the end of 2028.
    const program = under({ kind: 'afterEarning', months: 12, roundTo: 'year' }, { timeZone: 'Asia/Tokyo' });
    member
      .given([enrolled({ tier: null })])
      .when(purchase({ program, occurredAt: '2026-12-31T23:30:00.000Z', receivedAt: '2027-01-01T00:00:00.000Z' }))
      .thenMatches((events) => expect(accrualOf(events).expiresAt).toBe('2028-12-31T15:00:00.000Z'));
  });

  it('expires a rounded lot at its rounded instant', () => {
    const lot = { lotId: 'welcome:m1', expiresAt: '2026-08-01T04:00:00.000Z' };
    member
      .given([enrolled({ tier: null }), welcomeAccrued(lot)])
      .when(settle('2026-08-02T00:00:00.000Z', { program: under({ kind: 'afterEarning', months: 6, roundTo: 'month' }) }))
      .then([expired('welcome:m1', 100, '2026-08-01T04:00:00.000Z')]);
  });
});

describe('never', () => {
  it('issues lots without expiry, which no settlement expires', () => {
    const program = under({ kind: 'never' });
    member
      .given([enrolled({ tier: null })])
      .when(adjust({ program, points: 40 }))
      .thenMatches((events) => expect(events[0]!.data).toMatchObject({ expiresAt: null }));
    member
      .given([enrolled({ tier: null }), welcomeAccrued({ expiresAt: null })])
      .when(settle('2029-12-31T00:00:00.000Z', { program, receivedAt: '2029-12-31T00:00:00.000Z' }))
      .thenNothing();
  });
});

describe('inactivity', () => {
  const PURCHASES: InactivityRule = { months: 6, activities: ['purchase'] };
  const program = under({ kind: 'inactivity', ...PURCHASES });
  const SECOND_PURCHASE = '2026-03-10T09:00:00.000Z';
  /** Six months after the last purchase: the end of the inactivity window. */
  const WINDOW_END = '2026-09-10T09:00:00.000Z';
  const HISTORY = [
    enrolled({ tier: null }),
    welcomeAccrued({ expiresAt: '2026-07-10T09:00:00.000Z', inactivity: PURCHASES }),
    purchaseRecorded({ transactionId: 'tx2', occurredAt: SECOND_PURCHASE }),
    purchaseAccrued('tx2', 19, { occurredAt: SECOND_PURCHASE, expiresAt: WINDOW_END, inactivity: PURCHASES }),
  ];

  it('writes the window into the accrual: N months from earning, with the rule that moves it', () => {
    member
      .given([])
      .when(enrol({ program }))
      .thenMatches((events) => expect(accrualOf(events)).toMatchObject({ expiresAt: '2026-07-10T09:00:00.000Z', inactivity: PURCHASES }));
  });

  it('expires everything still held at the end of the window after the last activity, and nothing before', () => {
    member.given(HISTORY).when(settle('2026-09-10T08:59:59.999Z', { program })).thenNothing();
    member
      .given(HISTORY)
      .when(settle('2026-09-11T00:00:00.000Z', { program }))
      .then([expired('welcome:m1', 100, WINDOW_END), expired('purchase:tx2', 19, WINDOW_END)]);
  });

  it("makes the member due for settlement at the end of the window, not at the lots' first deadlines", () => {
    const lots = foldMember(HISTORY).lots;
    expect(lots.map(lotDueAt)).toEqual([WINDOW_END, WINDOW_END]);
  });

  it('counts only the configured activities: a redemption keeps no points alive under purchase-only inactivity', () => {
    const withRedemption = [...HISTORY, redeemed({ points: 30, occurredAt: '2026-08-01T00:00:00.000Z' })];
    member
      .given(withRedemption)
      .when(settle('2026-09-11T00:00:00.000Z', { program }))
      .then([expired('welcome:m1', 70, WINDOW_END), expired('purchase:tx2', 19, WINDOW_END)]);
  });

  it('resets the window on each counted activity (Sephora: purchases and redemptions)', () => {
    const rule: InactivityRule = { months: 12, activities: ['purchase', 'redemption'] };
    const history = [
      enrolled({ tier: null }),
      welcomeAccrued({ expiresAt: '2027-01-10T09:00:00.000Z', inactivity: rule }),
      redeemed({ points: 30, occurredAt: '2026-12-01T00:00:00.000Z' }),
    ];
    const sephora = under({ kind: 'inactivity', ...rule });
    member
      .given(history)
      .when(settle('2027-11-30T23:59:59.999Z', { program: sephora }))
      .thenNothing();
    member
      .given(history)
      .when(settle('2027-12-01T00:00:00.000Z', { program: sephora }))
      .then([expired('welcome:m1', 70, '2027-12-01T00:00:00.000Z')]);
  });

  it('revives nothing: an activity after the window ended leaves the lapsed points to expire at the window end', () => {
    const late = '2026-10-01T00:00:00.000Z';
    const history = [
      ...HISTORY,
      purchaseRecorded({ transactionId: 'tx3', occurredAt: late }),
      purchaseAccrued('tx3', 19, { occurredAt: late, expiresAt: '2027-04-01T00:00:00.000Z', inactivity: PURCHASES }),
    ];
    member
      .given(history)
      .when(settle('2026-10-02T00:00:00.000Z', { program }))
      .then([expired('welcome:m1', 100, WINDOW_END), expired('purchase:tx2', 19, WINDOW_END)]);
  });

  it('gives points earned after the last activity (a bonus that is no activity) their own window from earning', () => {
    const bonusAt = '2026-08-01T00:00:00.000Z';
    const birthday = accrued({
      lotId: 'birthday:2026',
      points: 200,
      source: 'birthday',
      reference: 'birthday:2026',
      ruleIds: ['birthday'],
      occurredAt: bonusAt,
      expiresAt: '2027-02-01T00:00:00.000Z',
      inactivity: PURCHASES,
    });
    const history = [...HISTORY, birthday];
    member
      .given(history)
      .when(settle('2026-09-11T00:00:00.000Z', { program }))
      .then([expired('welcome:m1', 100, WINDOW_END), expired('purchase:tx2', 19, WINDOW_END)]);
  });
});

describe('a tier override', () => {
  // Starbucks: Green Stars expire after 6 months without a purchase; Gold Stars never expire.
  const starbucks = programInForce({
    expiryMonths: 0,
    expiry: { kind: 'inactivity', months: 6, activities: ['purchase'] },
    tiers: [
      { name: 'green', minSpendMinor: 0, multiplierBp: 10_000 },
      { name: 'gold', minSpendMinor: 100_000, multiplierBp: 10_000, expiry: { kind: 'never' } },
    ],
  });
  const GOLD = [enrolled({ tier: 'green' }), tierChanged({ from: 'green', to: 'gold', qualifyingSpendMinor: 100_000 })];

  it('applies the tier held at earning: a Gold member earns points that never expire', () => {
    member
      .given(GOLD)
      .when(purchase({ program: starbucks, occurredAt: '2026-02-01T00:00:00.000Z' }))
      .thenMatches((events) => {
        expect(accrualOf(events).expiresAt).toBeNull();
        expect(accrualOf(events).inactivity).toBeUndefined();
      });
  });

  it('keeps points earned while Gold after a downgrade; points earned after it follow the program', () => {
    const downgradedAt = '2027-01-10T09:00:00.000Z';
    const history = [
      ...GOLD,
      purchaseRecorded(),
      purchaseAccrued('tx1', 19, { expiresAt: null }),
      tierChanged({ from: 'gold', to: 'green', reason: 'requalification', qualifyingSpendMinor: 0, occurredAt: downgradedAt }),
    ];
    member
      .given(history)
      .when(purchase({ program: starbucks, transactionId: 'tx2', occurredAt: downgradedAt, receivedAt: downgradedAt }))
      .thenMatches((events) =>
        expect(accrualOf(events)).toMatchObject({
          expiresAt: '2027-07-10T09:00:00.000Z',
          inactivity: { months: 6, activities: ['purchase'] },
        }),
      );
  });
});

describe('validation', () => {
  it('reports every problem of the program and tier policies', () => {
    const problems = policyProblems(
      policy({
        expiryMonths: 12,
        expiry: { kind: 'inactivity', months: 0, activities: [] },
        tiers: [
          {
            name: 'silver',
            minSpendMinor: 0,
            multiplierBp: 10_000,
            expiry: { kind: 'afterEarning', months: 3, roundTo: 'week' as 'month' },
          },
        ],
      }),
    );
    expect(problems).toEqual([
      'expiry.months must be an integer from 1 to 120',
      'expiry.activities must name at least one activity',
      'expiryMonths contradicts expiry: give expiry alone (or expiryMonths 0)',
      'tier silver expiry.roundTo must be one of month, quarter, year',
    ]);
    expect(policyProblems(policy({ expiryMonths: 6, expiry: { kind: 'afterEarning', months: 6, roundTo: 'month' } }))).toEqual([]);
    expect(policyProblems(policy({ expiry: { kind: 'inactivity', months: 6, activities: ['purchase', 'purchase'] } }))).toContain(
      'expiry.activities must be unique',
    );
  });
});

describe('inactivity counting any earning', () => {
  it('moves the deadline of every lot held on each accrual, so all of them expire together', () => {
    const rule: InactivityRule = { months: 6, activities: ['earning'] };
    const program = under({ kind: 'inactivity', ...rule });
    const earnedAt = '2026-04-10T09:00:00.000Z';
    const history = [
      enrolled({ tier: null }),
      welcomeAccrued({ expiresAt: '2026-07-10T09:00:00.000Z', inactivity: rule }),
      purchaseRecorded({ occurredAt: earnedAt }),
      purchaseAccrued('tx1', 19, { occurredAt: earnedAt, expiresAt: '2026-10-10T09:00:00.000Z', inactivity: rule }),
    ];
    member.given(history).when(settle('2026-10-10T08:00:00.000Z', { program })).thenNothing();
    member
      .given(history)
      .when(settle('2026-10-11T00:00:00.000Z', { program }))
      .then([expired('welcome:m1', 100, '2026-10-10T09:00:00.000Z'), expired('purchase:tx1', 19, '2026-10-10T09:00:00.000Z')]);
  });
});
