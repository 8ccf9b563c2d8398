import { LATER, member, programInForce, T0 } from '../testing/fixtures';
import { enrol, purchase, redeem } from '../testing/member-commands';
import { enrolled, purchaseAccrued, purchaseRecorded, redeemed, tierChanged, welcomeAccrued } from '../testing/member-events';

const ENROLLED = [enrolled(), welcomeAccrued()];
const PENDING_UNTIL = '2026-01-24T09:00:00.000Z';

describe('member enrolment', () => {
  it('enrols a member at the lowest tier and accrues the welcome bonus as an expiring lot', () => {
    member
      .given([])
      .when(enrol())
      .then([
        {
          type: 'MemberEnrolled',
          data: {
            schemaVersion: 1,
            memberId: 'm1',
            occurredAt: T0,
            memberType: 'individual',
            personalData: 'v1.sealed',
            referredBy: null,
            tier: 'silver',
            requestHash: 'h-enrol',
          },
        },
        {
          type: 'PointsAccrued',
          data: {
            schemaVersion: 1,
            memberId: 'm1',
            occurredAt: T0,
            lotId: 'welcome:m1',
            points: 100,
            source: 'welcome',
            reference: 'm1',
            programVersion: 1,
            ruleIds: ['welcome'],
            pendingUntil: null,
            expiresAt: '2027-01-10T09:00:00.000Z',
          },
        },
      ]);
  });

  it('accrues no welcome lot when the program has no welcome bonus', () => {
    const noWelcome = programInForce({ earning: { ...programInForce().policy.earning, welcomeBonus: 0 } });
    member
      .given([])
      .when(enrol({ program: noWelcome }))
      .then([enrolled()]);
  });

  it('treats the same enrolment repeated as already done', () => {
    member.given(ENROLLED).when(enrol()).thenNothing();
  });

  it('refuses the same member id with a different request', () => {
    member
      .given(ENROLLED)
      .when(enrol({ requestHash: 'other' }))
      .thenThrows('IDEMPOTENCY_CONFLICT', { key: 'enrolment:m1' });
  });

  it('refuses an occurredAt in the future', () => {
    member
      .given([])
      .when(enrol({ occurredAt: '2030-01-01T00:00:00.000Z', receivedAt: LATER }))
      .thenThrows('OCCURRED_AT_IN_FUTURE', { occurredAt: '2030-01-01T00:00:00.000Z', receivedAt: LATER });
  });
});

describe('purchases', () => {
  it('earns points per currency unit, rounded down', () => {
    member
      .given(ENROLLED)
      .when(purchase({ amountMinor: 1999 }))
      .then([purchaseRecorded({ amountMinor: 1999 }), purchaseAccrued('tx1', 19)]);
  });

  it('applies category multipliers to the matching lines only', () => {
    const items = [
      { sku: 'espresso', category: 'coffee', quantity: 2, unitPriceMinor: 250 },
      { sku: 'mug', category: 'merch', quantity: 1, unitPriceMinor: 1000 },
    ];
    // coffee 500 x2 = 1000, merch 1000 x1 = 1000 -> 2000 weighted minor -> 20 points
    member
      .given(ENROLLED)
      .when(purchase({ amountMinor: 1500, items }))
      .then([purchaseRecorded({ amountMinor: 1500, items }), purchaseAccrued('tx1', 20, { ruleIds: ['base', 'category:coffee'] })]);
  });

  it('scales line weights down to the paid amount when the basket was discounted', () => {
    const items = [{ sku: 'espresso', category: 'coffee', quantity: 4, unitPriceMinor: 500 }];
    // 2000 listed, 1000 paid: the coffee line weighs 1000 x2 = 2000 -> 20 points
    member
      .given(ENROLLED)
      .when(purchase({ amountMinor: 1000, items }))
      .then([purchaseRecorded({ amountMinor: 1000, items }), purchaseAccrued('tx1', 20, { ruleIds: ['base', 'category:coffee'] })]);
  });

  it('records a pending lot during the return window', () => {
    member
      .given(ENROLLED)
      .when(purchase({ program: programInForce({ pendingDays: 14 }) }))
      .then([purchaseRecorded(), purchaseAccrued('tx1', 19, { pendingUntil: PENDING_UNTIL })]);
  });

  it('records the purchase but no accrual when it earns nothing', () => {
    member
      .given(ENROLLED)
      .when(purchase({ amountMinor: 99 }))
      .then([purchaseRecorded({ amountMinor: 99 })]);
  });

  it('upgrades the tier once rolling 12-month spend crosses the threshold, the crossing purchase earning at the old tier', () => {
    member
      .given(ENROLLED)
      .when(purchase({ transactionId: 'big', amountMinor: 100_000 }))
      .then([
        purchaseRecorded({ transactionId: 'big', amountMinor: 100_000 }),
        purchaseAccrued('big', 1000),
        tierChanged({ from: 'silver', to: 'gold', qualifyingSpendMinor: 100_000 }),
      ]);
  });

  it('earns at the tier the member holds', () => {
    const gold = [
      ...ENROLLED,
      purchaseRecorded({ transactionId: 'big', amountMinor: 100_000 }),
      purchaseAccrued('big', 1000),
      tierChanged({ from: 'silver', to: 'gold', qualifyingSpendMinor: 100_000 }),
    ];
    // 10 base points at gold's 1.5x
    member
      .given(gold)
      .when(purchase({ transactionId: 'next', amountMinor: 1000 }))
      .then([
        purchaseRecorded({ transactionId: 'next', amountMinor: 1000 }),
        purchaseAccrued('next', 15, { ruleIds: ['base', 'tier:gold'] }),
      ]);
  });

  it('does not count spend older than 12 months towards a tier', () => {
    const enrolledAt = '2024-12-01T00:00:00.000Z';
    const oldAt = '2025-01-01T00:00:00.000Z';
    member
      .given([
        enrolled({ occurredAt: enrolledAt }),
        welcomeAccrued({ occurredAt: enrolledAt, expiresAt: '2025-12-01T00:00:00.000Z' }),
        purchaseRecorded({ transactionId: 'old', amountMinor: 60_000, occurredAt: oldAt }),
        purchaseAccrued('old', 600, { occurredAt: oldAt, expiresAt: '2026-01-01T00:00:00.000Z' }),
      ])
      // 50,000 now + 60,000 from before 2025-01-10 would cross 100,000; only the 50,000 is in the window.
      .when(purchase({ amountMinor: 50_000 }))
      .then([purchaseRecorded({ amountMinor: 50_000 }), purchaseAccrued('tx1', 500)]);
  });

  it('refuses a purchase in another currency', () => {
    member
      .given(ENROLLED)
      .when(purchase({ currency: 'USD' }))
      .thenThrows('CURRENCY_MISMATCH', { expected: 'EUR', received: 'USD' });
  });

  it('refuses a purchase for a member that is not enrolled', () => {
    member.given([]).when(purchase()).thenThrows('MEMBER_NOT_FOUND', { memberId: 'm1' });
  });

  it('treats a repeated transaction as done and a reused id with another body as a conflict', () => {
    const history = [...ENROLLED, purchaseRecorded(), purchaseAccrued('tx1', 19)];
    member.given(history).when(purchase()).thenNothing();
    member
      .given(history)
      .when(purchase({ requestHash: 'different' }))
      .thenThrows('IDEMPOTENCY_CONFLICT', { key: 'purchase:tx1' });
  });
});

describe('redemptions', () => {
  it('consumes lots with the soonest expiry first', () => {
    const longLived = '2028-01-10T09:00:00.000Z';
    member
      .given([
        ...ENROLLED,
        purchaseRecorded({ transactionId: 'late', amountMinor: 10_000 }),
        purchaseAccrued('late', 100, { programVersion: 2, expiresAt: longLived }),
      ])
      .when(redeem({ points: 150 }))
      .then([
        redeemed({
          points: 150,
          lots: [
            { lotId: 'welcome:m1', points: 100 },
            { lotId: 'purchase:late', points: 50 },
          ],
        }),
      ]);
  });

  it('redeems a catalogue reward at its price', () => {
    member
      .given([...ENROLLED, purchaseRecorded({ amountMinor: 20_000 }), purchaseAccrued('tx1', 200)])
      .when(redeem({ points: null, rewardId: 'free-coffee', requestHash: 'h-coffee' }))
      .then([
        redeemed({
          points: 250,
          rewardId: 'free-coffee',
          lots: [
            { lotId: 'welcome:m1', points: 100 },
            { lotId: 'purchase:tx1', points: 150 },
          ],
          requestHash: 'h-coffee',
        }),
      ]);
  });

  it('refuses more points than are available', () => {
    member
      .given(ENROLLED)
      .when(redeem({ points: 101 }))
      .thenThrows('INSUFFICIENT_POINTS', { requested: 101, available: 100 });
  });

  it('does not spend pending points', () => {
    member
      .given([...ENROLLED, purchaseRecorded({ amountMinor: 10_000 }), purchaseAccrued('tx1', 100, { pendingUntil: PENDING_UNTIL })])
      .when(redeem({ points: 101 }))
      .thenThrows('INSUFFICIENT_POINTS', { requested: 101, available: 100 });
  });

  it('refuses an unknown reward and a request naming both points and a reward', () => {
    member
      .given(ENROLLED)
      .when(redeem({ points: null, rewardId: 'nope' }))
      .thenThrows('UNKNOWN_REWARD', { rewardId: 'nope' });
    member
      .given(ENROLLED)
      .when(redeem({ points: 5, rewardId: 'free-coffee' }))
      .thenThrows('INVALID_REDEMPTION');
  });

  it('records the redemption with the lots it consumed and the program version', () => {
    member
      .given(ENROLLED)
      .when(redeem({ points: 50 }))
      .then([
        {
          type: 'PointsRedeemed',
          data: {
            schemaVersion: 1,
            memberId: 'm1',
            occurredAt: T0,
            redemptionId: 'r1',
            points: 50,
            rewardId: null,
            lots: [{ lotId: 'welcome:m1', points: 50 }],
            programVersion: 1,
            requestHash: 'h-r1-50',
          },
        },
      ]);
  });

  it('treats a repeated redemption as done, and the same id with other points as a conflict', () => {
    const history = [...ENROLLED, redeemed()];
    member.given(history).when(redeem()).thenNothing();
    member
      .given(history)
      .when(redeem({ points: 60, requestHash: 'h-other' }))
      .thenThrows('IDEMPOTENCY_CONFLICT', { key: 'redemption:r1' });
  });
});
