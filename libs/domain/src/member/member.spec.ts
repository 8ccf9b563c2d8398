import { EnrolMember, RecordPurchase, RedeemPoints } from './commands';
import { MemberEvent } from './events';
import { LATER, member, programInForce, T0 } from '../testing/fixtures';

const program = programInForce();
const enrol = (overrides: Partial<EnrolMember> = {}): EnrolMember => ({
  type: 'EnrolMember',
  memberId: 'm1',
  memberType: 'individual',
  personalData: 'v1.sealed',
  referredBy: null,
  occurredAt: T0,
  receivedAt: LATER,
  requestHash: 'h-enrol',
  program,
  ...overrides,
});
const purchase = (overrides: Partial<RecordPurchase> = {}): RecordPurchase => ({
  type: 'RecordPurchase',
  memberId: 'm1',
  transactionId: 'tx1',
  amountMinor: 1999,
  currency: 'EUR',
  items: [],
  storeId: null,
  occurredAt: T0,
  receivedAt: LATER,
  requestHash: 'h-tx1',
  program,
  ...overrides,
});
const redeem = (overrides: Partial<RedeemPoints> = {}): RedeemPoints => ({
  type: 'RedeemPoints',
  memberId: 'm1',
  redemptionId: 'r1',
  points: 50,
  rewardId: null,
  occurredAt: T0,
  receivedAt: LATER,
  requestHash: 'h-r1',
  program,
  ...overrides,
});

function historyOf(...commands: Array<EnrolMember | RecordPurchase>): MemberEvent[] {
  const events: MemberEvent[] = [];
  for (const command of commands) {
    member
      .given(events)
      .when(command)
      .thenMatches((emitted) => events.push(...emitted));
  }
  return events;
}

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
      .thenMatches((events) => {
        expect(events.map((e) => e.type)).toEqual(['MemberEnrolled']);
      });
  });

  it('treats the same enrolment repeated as already done', () => {
    member.given(historyOf(enrol())).when(enrol()).thenNothing();
  });

  it('refuses the same member id with a different request', () => {
    member
      .given(historyOf(enrol()))
      .when(enrol({ requestHash: 'other' }))
      .thenThrows('IDEMPOTENCY_CONFLICT');
  });

  it('refuses an occurredAt in the future', () => {
    member
      .given([])
      .when(enrol({ occurredAt: '2030-01-01T00:00:00Z' }))
      .thenThrows('OCCURRED_AT_IN_FUTURE');
  });
});

describe('purchases', () => {
  const enrolled = () => historyOf(enrol());

  it('earns points per currency unit, rounded down', () => {
    member
      .given(enrolled())
      .when(purchase({ amountMinor: 1999 }))
      .thenMatches((events) => {
        expect(events.map((e) => e.type)).toEqual(['PurchaseRecorded', 'PointsAccrued']);
        expect(events[1]!.data).toMatchObject({ points: 19, source: 'purchase', reference: 'tx1', ruleIds: ['base'] });
      });
  });

  it('applies category multipliers to the matching lines only', () => {
    const items = [
      { sku: 'espresso', category: 'coffee', quantity: 2, unitPriceMinor: 250 },
      { sku: 'mug', category: 'merch', quantity: 1, unitPriceMinor: 1000 },
    ];
    member
      .given(enrolled())
      .when(purchase({ amountMinor: 1500, items }))
      .thenMatches((events) => {
        // coffee 500 x2 = 1000, merch 1000 x1 = 1000 -> 2000 weighted minor -> 20 points
        expect(events[1]!.data).toMatchObject({ points: 20, ruleIds: ['base', 'category:coffee'] });
      });
  });

  it('scales line weights down to the paid amount when the basket was discounted', () => {
    const items = [{ sku: 'espresso', category: 'coffee', quantity: 4, unitPriceMinor: 500 }];
    member
      .given(enrolled())
      .when(purchase({ amountMinor: 1000, items }))
      .thenMatches((events) => {
        expect(events[1]!.data).toMatchObject({ points: 20 });
      });
  });

  it('records a pending lot during the return window', () => {
    const pending = programInForce({ pendingDays: 14 });
    member
      .given(enrolled())
      .when(purchase({ program: pending }))
      .thenMatches((events) => {
        expect(events[1]!.data).toMatchObject({ pendingUntil: '2026-01-24T09:00:00.000Z' });
      });
  });

  it('records the purchase but no accrual when it earns nothing', () => {
    member
      .given(enrolled())
      .when(purchase({ amountMinor: 99 }))
      .thenMatches((events) => {
        expect(events.map((e) => e.type)).toEqual(['PurchaseRecorded']);
      });
  });

  it('upgrades the tier once rolling 12-month spend crosses the threshold, and earns at the new tier after', () => {
    const history = historyOf(enrol(), purchase({ transactionId: 'big', requestHash: 'hb', amountMinor: 100_000 }));
    expect(history.map((e) => e.type)).toEqual(['MemberEnrolled', 'PointsAccrued', 'PurchaseRecorded', 'PointsAccrued', 'TierChanged']);
    expect(history[3]!.data).toMatchObject({ points: 1000 });
    expect(history[4]!.data).toMatchObject({ from: 'silver', to: 'gold', qualifyingSpendMinor: 100_000 });
    member
      .given(history)
      .when(purchase({ transactionId: 'next', requestHash: 'hn', amountMinor: 1000 }))
      .thenMatches((events) => {
        expect(events[1]!.data).toMatchObject({ points: 15, ruleIds: ['base', 'tier:gold'] });
      });
  });

  it('does not count spend older than 12 months towards a tier', () => {
    const old = purchase({ transactionId: 'old', requestHash: 'ho', amountMinor: 60_000, occurredAt: '2025-01-01T00:00:00Z' });
    const history = historyOf(enrol({ occurredAt: '2024-12-01T00:00:00Z' }), old);
    member
      .given(history)
      .when(purchase({ amountMinor: 50_000 }))
      .thenMatches((events) => {
        expect(events.map((e) => e.type)).not.toContain('TierChanged');
      });
  });

  it('refuses a purchase in another currency', () => {
    member
      .given(enrolled())
      .when(purchase({ currency: 'USD' }))
      .thenThrows('CURRENCY_MISMATCH', { expected: 'EUR' });
  });

  it('refuses a purchase for a member that is not enrolled', () => {
    member.given([]).when(purchase()).thenThrows('MEMBER_NOT_FOUND');
  });

  it('treats a repeated transaction as done and a reused id with another body as a conflict', () => {
    const history = historyOf(enrol(), purchase());
    member.given(history).when(purchase()).thenNothing();
    member
      .given(history)
      .when(purchase({ requestHash: 'different' }))
      .thenThrows('IDEMPOTENCY_CONFLICT');
  });
});

describe('redemptions', () => {
  it('consumes lots with the soonest expiry first', () => {
    const longLived = programInForce({ expiryMonths: 24 }, 2);
    const history = historyOf(enrol(), purchase({ transactionId: 'late', requestHash: 'hl', amountMinor: 10_000, program: longLived }));
    member
      .given(history)
      .when(redeem({ points: 150 }))
      .thenMatches((events) => {
        expect(events).toHaveLength(1);
        expect(events[0]!.data).toMatchObject({
          points: 150,
          lots: [
            { lotId: 'welcome:m1', points: 100 },
            { lotId: 'purchase:late', points: 50 },
          ],
        });
      });
  });

  it('redeems a catalogue reward at its price', () => {
    const history = historyOf(enrol(), purchase({ amountMinor: 20_000 }));
    member
      .given(history)
      .when(redeem({ points: null, rewardId: 'free-coffee' }))
      .thenMatches((events) => {
        expect(events[0]!.data).toMatchObject({ points: 250, rewardId: 'free-coffee' });
      });
  });

  it('refuses more points than are available', () => {
    member
      .given(historyOf(enrol()))
      .when(redeem({ points: 101 }))
      .thenThrows('INSUFFICIENT_POINTS', {
        requested: 101,
        available: 100,
      });
  });

  it('does not spend pending points', () => {
    const pending = programInForce({ pendingDays: 14 });
    const history = historyOf(enrol(), purchase({ program: pending, amountMinor: 10_000 }));
    member
      .given(history)
      .when(redeem({ points: 101 }))
      .thenThrows('INSUFFICIENT_POINTS', { available: 100 });
  });

  it('refuses an unknown reward and a request naming both points and a reward', () => {
    const history = historyOf(enrol());
    member
      .given(history)
      .when(redeem({ points: null, rewardId: 'nope' }))
      .thenThrows('UNKNOWN_REWARD');
    member
      .given(history)
      .when(redeem({ points: 5, rewardId: 'free-coffee' }))
      .thenThrows('INVALID_REDEMPTION');
  });

  it('treats a repeated redemption as done', () => {
    const history = historyOf(enrol());
    member
      .given(history)
      .when(redeem())
      .thenMatches((events) => {
        member
          .given([...history, ...events])
          .when(redeem())
          .thenNothing();
        member
          .given([...history, ...events])
          .when(redeem({ points: 60, requestHash: 'h-other' }))
          .thenThrows('IDEMPOTENCY_CONFLICT');
      });
  });
});
