import { LATER, member, programInForce, T0 } from '../testing/fixtures';
import { action, adjust, erase, purchase, receive, referrerBonus, refund, reverse, settle, transfer } from '../testing/member-commands';
import {
  accrued,
  actionAccrued,
  actionRecorded,
  activated,
  adjusted,
  clawedBack,
  debtRepaid,
  enrolled,
  erased,
  expired,
  purchaseAccrued,
  purchaseRecorded,
  redeemed,
  redemptionReversed,
  referralQualified,
  refunded,
  T0_EXPIRY,
  tierChanged,
  transferredIn,
  transferredOut,
  welcomeAccrued,
} from '../testing/member-events';
import { MemberEvent } from './events';
import { availablePoints, foldMember, pendingOf } from './state';
import { ledgerProblems } from './invariants';

const ENROLLED = [enrolled(), welcomeAccrued()];
const noWelcome = programInForce({ earning: { ...programInForce().policy.earning, welcomeBonus: 0 } });
/** T0 plus the 14-day return window. */
const PENDING_UNTIL = '2026-01-24T09:00:00.000Z';
/** The first anniversary of the tier given at enrolment (T0): the yearly requalification. */
const REQUALIFIED_AT = '2027-01-10T09:00:00.000Z';
const requalified = (from: string, to: string, qualifyingSpendMinor: number) =>
  tierChanged({ from, to, reason: 'requalification', qualifyingSpendMinor, occurredAt: REQUALIFIED_AT });
const stateOf = (...histories: ReadonlyArray<readonly MemberEvent[]>) => foldMember(histories.flat());

describe('pending lots and the daily settlement', () => {
  const PENDING_PURCHASE = [
    ...ENROLLED,
    purchaseRecorded({ amountMinor: 5000 }),
    purchaseAccrued('tx1', 50, { pendingUntil: PENDING_UNTIL }),
  ];

  it('activates a pending lot when its return window has passed, dated at its pendingUntil', () => {
    expect(pendingOf(stateOf(PENDING_PURCHASE))).toBe(50);
    member
      .given(PENDING_PURCHASE)
      .when(settle(PENDING_UNTIL))
      .then([
        {
          type: 'PointsActivated',
          data: { schemaVersion: 1, memberId: 'm1', occurredAt: PENDING_UNTIL, lotId: 'purchase:tx1', points: 50 },
        },
      ]);
  });

  it('leaves a lot pending until its window passes, and is harmless when run twice', () => {
    member.given(PENDING_PURCHASE).when(settle('2026-01-24T08:59:59.999Z')).thenNothing();
    const settled = [...PENDING_PURCHASE, activated('purchase:tx1', 50, PENDING_UNTIL)];
    member.given(settled).when(settle('2026-02-01T00:00:00.000Z')).thenNothing();
    member.given(settled).when(settle('2026-02-02T00:00:00.000Z')).thenNothing();
  });

  it('expires what is left of a lot at its expiresAt, after redemptions took the soonest-expiring points', () => {
    const history = [...ENROLLED, redeemed({ points: 30 })];
    const settlement = [expired('welcome:m1', 70, T0_EXPIRY), requalified('silver', 'silver', 0)];
    member.given(history).when(settle(T0_EXPIRY)).then(settlement);
    expect(availablePoints(stateOf(history, settlement))).toBe(0);
  });

  it('never expires points when expiryMonths is 0', () => {
    // Only the yearly requalification is due, however late the run.
    member
      .given([enrolled(), welcomeAccrued({ expiresAt: null })])
      .when(settle('2035-01-01T00:00:00.000Z'))
      .then([requalified('silver', 'silver', 0)]);
  });

  it('refuses to settle in the future', () => {
    member
      .given(ENROLLED)
      .when(settle('2030-01-01T00:00:00.000Z', { occurredAt: LATER, receivedAt: LATER }))
      .thenThrows('AS_OF_IN_FUTURE', { asOf: '2030-01-01T00:00:00.000Z' });
  });
});

describe('refunds', () => {
  it('claws back points in proportion to the refunded amount, rounded down, pending points first', () => {
    // 99 points * 5000 / 9999 = 49.5 -> 49, from the purchase's own pending lot
    member
      .given([...ENROLLED, purchaseRecorded({ amountMinor: 9999 }), purchaseAccrued('tx1', 99, { pendingUntil: PENDING_UNTIL })])
      .when(refund({ amountMinor: 5000 }))
      .then([refunded({ amountMinor: 5000 }), clawedBack({ points: 49, lots: [{ lotId: 'purchase:tx1', points: 49 }] })]);
  });

  it('rounds on the running total, so partial refunds claw back exactly what a full refund would', () => {
    // 100 points over 10,000: refunds of 3333, 3333 and 3334 claw back floor(33.33) = 33, floor(66.66) - 33 = 33, 100 - 66 = 34.
    const partly = [
      ...ENROLLED,
      purchaseRecorded({ amountMinor: 10_000 }),
      purchaseAccrued('tx1', 100),
      refunded({ refundId: 'a', amountMinor: 3333 }),
      clawedBack({ refundId: 'a', points: 33, lots: [{ lotId: 'purchase:tx1', points: 33 }] }),
      refunded({ refundId: 'b', amountMinor: 3333 }),
      clawedBack({ refundId: 'b', points: 33, lots: [{ lotId: 'purchase:tx1', points: 33 }] }),
    ];
    member
      .given(partly)
      .when(refund({ refundId: 'c', amountMinor: 3334 }))
      .then([
        refunded({ refundId: 'c', amountMinor: 3334 }),
        clawedBack({ refundId: 'c', points: 34, lots: [{ lotId: 'purchase:tx1', points: 34 }] }),
      ]);
  });

  it('refuses a refund beyond the remaining purchase amount, and an unknown transaction', () => {
    const history = [
      ...ENROLLED,
      purchaseRecorded({ amountMinor: 1000 }),
      purchaseAccrued('tx1', 10),
      refunded({ refundId: 'a', amountMinor: 600 }),
      clawedBack({ refundId: 'a', points: 6, lots: [{ lotId: 'purchase:tx1', points: 6 }] }),
    ];
    member
      .given(history)
      .when(refund({ refundId: 'b', amountMinor: 401 }))
      .thenThrows('REFUND_EXCEEDS_PURCHASE', { requestedMinor: 401, refundableMinor: 400 });
    member
      .given(history)
      .when(refund({ transactionId: 'nope', refundId: 'c' }))
      .thenThrows('TRANSACTION_NOT_FOUND', { transactionId: 'nope' });
  });

  describe('when the refunded points were already spent', () => {
    const spent = [
      enrolled(),
      purchaseRecorded({ amountMinor: 10_000 }),
      purchaseAccrued('tx1', 100),
      redeemed({ points: 80, lots: [{ lotId: 'purchase:tx1', points: 80 }] }),
    ];
    const clawback = [
      refunded({ amountMinor: 10_000 }),
      clawedBack({ points: 100, lots: [{ lotId: 'purchase:tx1', points: 20 }], debtIncurred: 80 }),
    ];

    it('takes what is left of the lot and records the rest as debt', () => {
      member
        .given(spent)
        .when(refund({ program: noWelcome, amountMinor: 10_000 }))
        .then(clawback);
      expect(availablePoints(stateOf(spent, clawback))).toBe(-80);
      expect(stateOf(spent, clawback).debt).toBe(80);
    });

    it('repays the debt from the next points', () => {
      const next = [
        purchaseRecorded({ transactionId: 'tx2', amountMinor: 5000 }),
        purchaseAccrued('tx2', 50),
        debtRepaid(50, [{ lotId: 'purchase:tx2', points: 50 }]),
      ];
      member
        .given([...spent, ...clawback])
        .when(purchase({ program: noWelcome, transactionId: 'tx2', amountMinor: 5000 }))
        .then(next);
      const after = stateOf(spent, clawback, next);
      expect({ debt: after.debt, available: availablePoints(after), problems: ledgerProblems(after) }).toEqual({
        debt: 30,
        available: -30,
        problems: [],
      });
    });
  });
});

describe('redemption reversal', () => {
  const REDEEMED_60 = [...ENROLLED, redeemed({ points: 60 })];
  const reversal = redemptionReversed({ points: 60, lots: [{ lotId: 'welcome:m1', points: 60 }] });

  it('restores the consumed lots with their original expiry, once', () => {
    member
      .given(REDEEMED_60)
      .when(reverse())
      .then([
        {
          type: 'RedemptionReversed',
          data: {
            schemaVersion: 1,
            memberId: 'm1',
            occurredAt: T0,
            redemptionId: 'r1',
            points: 60,
            lots: [{ lotId: 'welcome:m1', points: 60 }],
          },
        },
      ]);
    expect(availablePoints(stateOf(REDEEMED_60, [reversal]))).toBe(100);
    member
      .given([...REDEEMED_60, reversal])
      .when(reverse())
      .thenNothing();
  });

  it('lets restored points that passed their expiry expire at the next settlement, never dated before the reversal', () => {
    const reversedAt = '2027-01-20T00:00:00.000Z';
    const runAt = '2027-02-01T00:00:00.000Z';
    member
      .given([
        ...REDEEMED_60,
        expired('welcome:m1', 40, T0_EXPIRY),
        requalified('silver', 'silver', 0),
        redemptionReversed({ occurredAt: reversedAt, points: 60, lots: [{ lotId: 'welcome:m1', points: 60 }] }),
      ])
      .when(settle('2027-01-21T00:00:00.000Z', { receivedAt: runAt }))
      .then([expired('welcome:m1', 60, reversedAt)]);
  });

  it('refuses an unknown redemption', () => {
    member
      .given(ENROLLED)
      .when(reverse({ redemptionId: 'nope' }))
      .thenThrows('REDEMPTION_NOT_FOUND', { redemptionId: 'nope' });
  });
});

describe('bonuses', () => {
  it('awards the birthday bonus once per calendar year, on or after the birthday', () => {
    const birthDate = '1990-03-15';
    const birthday = '2026-03-15T00:00:00.000Z';
    const bonus = accrued({
      occurredAt: birthday,
      lotId: 'birthday:2026',
      points: 200,
      source: 'birthday',
      reference: 'birthday:2026',
      ruleIds: ['birthday'],
      expiresAt: '2027-03-15T00:00:00.000Z',
    });
    member.given(ENROLLED).when(settle('2026-03-14T23:59:59.000Z', { birthDate })).thenNothing();
    member.given(ENROLLED).when(settle('2026-03-15T12:00:00.000Z', { birthDate })).then([bonus]);
    member
      .given([...ENROLLED, bonus])
      .when(settle('2026-06-01T00:00:00.000Z', { birthDate }))
      .thenNothing();
  });

  it('gives the referee a bonus with the first purchase and qualifies the referral for the referrer', () => {
    const referred = [enrolled({ referredBy: 'm0' }), welcomeAccrued()];
    const firstPurchase = [
      purchaseRecorded(),
      purchaseAccrued('tx1', 19),
      referralQualified({ referrerId: 'm0' }),
      accrued({ lotId: 'referral:referee:m1', points: 100, source: 'referral', reference: 'm0', ruleIds: ['referral:referee'] }),
    ];
    member.given(referred).when(purchase()).then(firstPurchase);
    member
      .given([...referred, ...firstPurchase])
      .when(purchase({ transactionId: 'tx2' }))
      .then([purchaseRecorded({ transactionId: 'tx2' }), purchaseAccrued('tx2', 19)]);
  });

  it('gives the referrer its bonus once per referee', () => {
    const bonus = accrued({
      lotId: 'referral:referrer:m9',
      points: 300,
      source: 'referral',
      reference: 'm9',
      ruleIds: ['referral:referrer'],
    });
    member.given(ENROLLED).when(referrerBonus()).then([bonus]);
    member
      .given([...ENROLLED, bonus])
      .when(referrerBonus())
      .thenNothing();
  });

  it('rewards actions up to the cap per period, recording the rest without points', () => {
    // The fixture policy caps reviews at 2 per 30 days.
    const twoReviews = [
      ...ENROLLED,
      actionRecorded({ actionId: 'a1' }),
      actionAccrued('a1', 50),
      actionRecorded({ actionId: 'a2' }),
      actionAccrued('a2', 50),
    ];
    member
      .given(twoReviews)
      .when(action({ actionId: 'a3' }))
      .then([actionRecorded({ actionId: 'a3', rewarded: false })]);
    const windowPassed = '2026-02-10T09:00:01.000Z';
    member
      .given(twoReviews)
      .when(action({ actionId: 'a4', occurredAt: windowPassed }))
      .then([
        actionRecorded({ actionId: 'a4', occurredAt: windowPassed }),
        actionAccrued('a4', 50, { occurredAt: windowPassed, expiresAt: '2027-02-10T09:00:01.000Z' }),
      ]);
    member
      .given(twoReviews)
      .when(action({ actionId: 'a5', actionType: 'dance' }))
      .thenThrows('UNKNOWN_ACTION', { actionType: 'dance' });
  });
});

describe('tiers', () => {
  it('keeps an upgraded tier until the yearly requalification, then follows the last 12 months of spend', () => {
    const gold = [
      ...ENROLLED,
      purchaseRecorded({ amountMinor: 100_000 }),
      purchaseAccrued('tx1', 1000),
      tierChanged({ from: 'silver', to: 'gold', qualifyingSpendMinor: 100_000 }),
    ];
    expect(stateOf(gold).tier).toBe('gold');
    member.given(gold).when(settle('2026-12-01T00:00:00.000Z')).thenNothing();
    // At the anniversary both lots expire, and the purchase made exactly 12 months before is outside the window.
    member
      .given(gold)
      .when(settle('2027-02-01T00:00:00.000Z'))
      .then([expired('welcome:m1', 100, T0_EXPIRY), expired('purchase:tx1', 1000, T0_EXPIRY), requalified('gold', 'silver', 0)]);
  });
});

describe('adjustments and transfers', () => {
  it('adds a positive adjustment as a new lot, and takes a negative one from available lots', () => {
    member
      .given(ENROLLED)
      .when(adjust({ points: 25 }))
      .then([adjusted({ points: 25, lotId: 'adjustment:adj1', expiresAt: T0_EXPIRY, lots: [] })]);
    member
      .given(ENROLLED)
      .when(adjust({ points: -30 }))
      .then([adjusted({ points: -30, lotId: null, expiresAt: null, lots: [{ lotId: 'welcome:m1', points: 30 }] })]);
    member
      .given(ENROLLED)
      .when(adjust({ points: -101 }))
      .thenThrows('INSUFFICIENT_POINTS', { requested: 101, available: 100 });
    member
      .given(ENROLLED)
      .when(adjust({ reason: '  ' }))
      .thenThrows('INVALID_ADJUSTMENT');
  });

  it('moves points out with their expiries, and in as lots that keep them', () => {
    member
      .given(ENROLLED)
      .when(transfer({ points: 40 }))
      .then([transferredOut({ points: 40, lots: [{ lotId: 'welcome:m1', points: 40, expiresAt: T0_EXPIRY }] })]);
    const receiver = [enrolled({ memberId: 'm2', requestHash: 'h2' }), welcomeAccrued({ memberId: 'm2' })];
    const received = transferredIn({ points: 10, lots: [{ lotId: 'transfer:tr1:0', points: 10, expiresAt: T0_EXPIRY }] });
    member
      .given(receiver)
      .when(receive({ lots: [{ lotId: 'welcome:m1', points: 10, expiresAt: T0_EXPIRY }] }))
      .then([received]);
    expect(availablePoints(stateOf(receiver, [received]))).toBe(110);
    member
      .given(ENROLLED)
      .when(transfer({ toMemberId: 'm1' }))
      .thenThrows('INVALID_TRANSFER');
    member
      .given(ENROLLED)
      .when(transfer({ points: 101 }))
      .thenThrows('INSUFFICIENT_POINTS', { requested: 101, available: 100 });
  });
});

describe('personal data erasure', () => {
  it('records the erasure once and leaves the points untouched', () => {
    const history = [...ENROLLED, purchaseRecorded(), purchaseAccrued('tx1', 19)];
    member
      .given(history)
      .when(erase())
      .then([{ type: 'MemberErased', data: { schemaVersion: 1, memberId: 'm1', occurredAt: T0, requestHash: 'h-erase' } }]);
    expect(availablePoints(stateOf(history, [erased()]))).toBe(availablePoints(stateOf(history)));
    member
      .given([...history, erased()])
      .when(erase())
      .thenNothing();
    member.given([]).when(erase()).thenThrows('MEMBER_NOT_FOUND', { memberId: 'm1' });
  });
});
