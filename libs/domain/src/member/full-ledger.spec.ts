import { LATER, member, programInForce, T0 } from '../testing/fixtures';
import {
  action,
  adjust,
  enrol,
  erase,
  historyOf,
  purchase,
  receive,
  redeem,
  referrerBonus,
  refund,
  reverse,
  settle,
  transfer,
} from '../testing/member-commands';
import { MemberEvent } from './events';
import { availablePoints, foldMember, pendingOf } from './state';
import { ledgerProblems } from './invariants';

const types = (events: readonly MemberEvent[]) => events.map((e) => e.type);
const stateOf = (events: readonly MemberEvent[]) => foldMember(events);
const pending14 = programInForce({ pendingDays: 14 });
const noWelcome = (overrides = {}) => programInForce({ earning: { ...programInForce().policy.earning, welcomeBonus: 0 }, ...overrides });

describe('pending lots and the daily settlement', () => {
  it('activates a pending lot when its return window has passed, dated at its pendingUntil', () => {
    const history = historyOf(enrol(), purchase({ program: pending14, amountMinor: 5000 }));
    expect(pendingOf(stateOf(history))).toBe(50);
    member
      .given(history)
      .when(settle('2026-01-24T09:00:00.000Z'))
      .then([
        {
          type: 'PointsActivated',
          data: { schemaVersion: 1, memberId: 'm1', occurredAt: '2026-01-24T09:00:00.000Z', lotId: 'purchase:tx1', points: 50 },
        },
      ]);
  });

  it('leaves a lot pending until its window passes, and is harmless when run twice', () => {
    const history = historyOf(enrol(), purchase({ program: pending14, amountMinor: 5000 }));
    member.given(history).when(settle('2026-01-24T08:59:59.999Z')).thenNothing();
    const settled = historyOf(enrol(), purchase({ program: pending14, amountMinor: 5000 }), settle('2026-02-01T00:00:00Z'));
    member.given(settled).when(settle('2026-02-01T00:00:00Z')).thenNothing();
    member.given(settled).when(settle('2026-02-02T00:00:00Z')).thenNothing();
  });

  it('expires what is left of a lot at its expiresAt, after redemptions took the soonest-expiring points', () => {
    const history = historyOf(enrol(), redeem({ points: 30 }));
    member
      .given(history)
      .when(settle('2027-01-10T09:00:00.000Z'))
      .thenMatches((events) => {
        expect(events[0]).toEqual({
          type: 'PointsExpired',
          data: { schemaVersion: 1, memberId: 'm1', occurredAt: '2027-01-10T09:00:00.000Z', lotId: 'welcome:m1', points: 70 },
        });
        expect(availablePoints(stateOf([...history, ...events]))).toBe(0);
      });
  });

  it('never expires points when expiryMonths is 0', () => {
    const history = historyOf(enrol({ program: programInForce({ expiryMonths: 0 }) }));
    member
      .given(history)
      .when(settle('2035-01-01T00:00:00Z'))
      .thenMatches((events) => {
        expect(types(events)).not.toContain('PointsExpired');
      });
  });

  it('refuses to settle in the future', () => {
    member
      .given(historyOf(enrol()))
      .when(settle('2030-01-01T00:00:00Z', { occurredAt: LATER, receivedAt: LATER }))
      .thenThrows('AS_OF_IN_FUTURE');
  });
});

describe('refunds', () => {
  it('claws back points in proportion to the refunded amount, rounded down, pending points first', () => {
    const history = historyOf(enrol(), purchase({ program: pending14, amountMinor: 9999 }));
    member
      .given(history)
      .when(refund({ amountMinor: 5000 }))
      .thenMatches((events) => {
        expect(types(events)).toEqual(['PurchaseRefunded', 'PointsClawedBack']);
        // 99 points * 5000 / 9999 = 49.5 -> 49
        expect(events[1]!.data).toMatchObject({ points: 49, lots: [{ lotId: 'purchase:tx1', points: 49 }], debtIncurred: 0 });
      });
  });

  it('never claws back more over several partial refunds than a full refund would', () => {
    const history = historyOf(
      enrol(),
      purchase({ amountMinor: 9999 }),
      refund({ refundId: 'a', amountMinor: 3333 }),
      refund({ refundId: 'b', amountMinor: 3333 }),
      refund({ refundId: 'c', amountMinor: 3333 }),
    );
    const clawed = history.filter((e) => e.type === 'PointsClawedBack').reduce((sum, e) => sum + (e.data as { points: number }).points, 0);
    expect(clawed).toBe(99);
  });

  it('refuses a refund beyond the remaining purchase amount, and an unknown transaction', () => {
    const history = historyOf(enrol(), purchase({ amountMinor: 1000 }), refund({ refundId: 'a', amountMinor: 600 }));
    member
      .given(history)
      .when(refund({ refundId: 'b', amountMinor: 401 }))
      .thenThrows('REFUND_EXCEEDS_PURCHASE', { refundableMinor: 400 });
    member
      .given(history)
      .when(refund({ transactionId: 'nope', refundId: 'c' }))
      .thenThrows('TRANSACTION_NOT_FOUND');
  });

  it('records debt when the points were already spent, and repays it from the next points', () => {
    const program = noWelcome();
    const history = historyOf(
      enrol({ program }),
      purchase({ program, amountMinor: 10_000 }),
      redeem({ program, points: 80 }),
      refund({ program, amountMinor: 10_000 }),
    );
    const clawback = history.find((e) => e.type === 'PointsClawedBack')!;
    expect(clawback.data).toMatchObject({ points: 100, lots: [{ lotId: 'purchase:tx1', points: 20 }], debtIncurred: 80 });
    expect(availablePoints(stateOf(history))).toBe(-80);
    expect(stateOf(history).debt).toBe(80);

    member
      .given(history)
      .when(purchase({ program, transactionId: 'tx2', amountMinor: 5000 }))
      .thenMatches((events) => {
        expect(types(events)).toEqual(['PurchaseRecorded', 'PointsAccrued', 'DebtRepaid']);
        expect(events[2]!.data).toMatchObject({ points: 50, lots: [{ lotId: 'purchase:tx2', points: 50 }] });
        const after = stateOf([...history, ...events]);
        expect(after.debt).toBe(30);
        expect(availablePoints(after)).toBe(-30);
        expect(ledgerProblems(after)).toEqual([]);
      });
  });
});

describe('redemption reversal', () => {
  it('restores the consumed lots with their original expiry, once', () => {
    const history = historyOf(enrol(), redeem({ points: 60 }));
    member
      .given(history)
      .when(reverse())
      .thenMatches((events) => {
        expect(events).toEqual([
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
        const after = [...history, ...events];
        expect(availablePoints(stateOf(after))).toBe(100);
        member.given(after).when(reverse()).thenNothing();
      });
  });

  it('lets restored points that passed their expiry expire at the next settlement, never dated before the reversal', () => {
    const history = historyOf(enrol(), redeem({ points: 60 }), settle('2027-01-10T09:00:00Z', { receivedAt: '2027-02-01T00:00:00Z' }));
    const reversed = historyOf(
      enrol(),
      redeem({ points: 60 }),
      settle('2027-01-10T09:00:00Z', { receivedAt: '2027-02-01T00:00:00Z' }),
      reverse({ occurredAt: '2027-01-20T00:00:00Z', receivedAt: '2027-02-01T00:00:00Z' }),
    );
    expect(history.length + 1).toBe(reversed.length);
    member
      .given(reversed)
      .when(settle('2027-01-21T00:00:00Z', { receivedAt: '2027-02-01T00:00:00Z' }))
      .thenMatches((events) => {
        expect(events[0]).toMatchObject({
          type: 'PointsExpired',
          data: { lotId: 'welcome:m1', points: 60, occurredAt: '2027-01-20T00:00:00Z' },
        });
      });
  });

  it('refuses an unknown redemption', () => {
    member
      .given(historyOf(enrol()))
      .when(reverse({ redemptionId: 'nope' }))
      .thenThrows('REDEMPTION_NOT_FOUND');
  });
});

describe('bonuses', () => {
  it('awards the birthday bonus once per calendar year, on or after the birthday', () => {
    const history = historyOf(enrol());
    const birthDate = '1990-03-15';
    member.given(history).when(settle('2026-03-14T23:59:59Z', { birthDate })).thenNothing();
    member
      .given(history)
      .when(settle('2026-03-15T12:00:00Z', { birthDate }))
      .thenMatches((events) => {
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({
          type: 'PointsAccrued',
          data: { source: 'birthday', points: 200, lotId: 'birthday:2026', occurredAt: '2026-03-15T00:00:00.000Z' },
        });
        member
          .given([...history, ...events])
          .when(settle('2026-06-01T00:00:00Z', { birthDate }))
          .thenNothing();
      });
  });

  it('gives the referee a bonus with the first purchase and qualifies the referral for the referrer', () => {
    const history = historyOf(enrol({ referredBy: 'm0' }));
    member
      .given(history)
      .when(purchase())
      .thenMatches((events) => {
        expect(types(events)).toEqual(['PurchaseRecorded', 'PointsAccrued', 'ReferralQualified', 'PointsAccrued']);
        expect(events[2]!.data).toMatchObject({ referrerId: 'm0', transactionId: 'tx1' });
        expect(events[3]!.data).toMatchObject({ source: 'referral', points: 100 });
        member
          .given([...history, ...events])
          .when(purchase({ transactionId: 'tx2' }))
          .thenMatches((second) => {
            expect(types(second)).toEqual(['PurchaseRecorded', 'PointsAccrued']);
          });
      });
  });

  it('gives the referrer its bonus once per referee', () => {
    member
      .given(historyOf(enrol()))
      .when(referrerBonus())
      .thenMatches((events) => {
        expect(events[0]).toMatchObject({ type: 'PointsAccrued', data: { source: 'referral', points: 300, reference: 'm9' } });
      });
  });

  it('rewards actions up to the cap per period, recording the rest without points', () => {
    const history = historyOf(enrol(), action({ actionId: 'a1' }), action({ actionId: 'a2' }));
    member
      .given(history)
      .when(action({ actionId: 'a3' }))
      .thenMatches((events) => {
        expect(events).toEqual([expect.objectContaining({ type: 'ActionRecorded', data: expect.objectContaining({ rewarded: false }) })]);
      });
    member
      .given(history)
      .when(action({ actionId: 'a4', occurredAt: '2026-02-10T09:00:01Z' }))
      .thenMatches((events) => {
        expect(types(events)).toEqual(['ActionRecorded', 'PointsAccrued']);
      });
    member
      .given(history)
      .when(action({ actionId: 'a5', actionType: 'dance' }))
      .thenThrows('UNKNOWN_ACTION');
  });
});

describe('tiers', () => {
  const program = programInForce();
  it('keeps an upgraded tier until the yearly requalification, then follows the last 12 months of spend', () => {
    const history = historyOf(enrol(), purchase({ amountMinor: 100_000 }));
    expect(stateOf(history).tier).toBe('gold');
    member.given(history).when(settle('2026-12-01T00:00:00Z', { program })).thenNothing();
    member
      .given(history)
      .when(settle('2027-02-01T00:00:00Z', { program, receivedAt: '2027-02-01T00:00:00Z' }))
      .thenMatches((events) => {
        const tierChange = events.find((e) => e.type === 'TierChanged');
        // spend in the 12 months up to 2027-01-10 includes the 2026-01-10 purchase? No: the window is exclusive of its start.
        expect(tierChange?.data).toMatchObject({
          from: 'gold',
          to: 'silver',
          reason: 'requalification',
          occurredAt: '2027-01-10T09:00:00.000Z',
        });
      });
  });
});

describe('adjustments and transfers', () => {
  it('adds a positive adjustment as a new lot, and takes a negative one from available lots', () => {
    member
      .given(historyOf(enrol()))
      .when(adjust({ points: 25 }))
      .thenMatches((events) => {
        expect(events[0]!.data).toMatchObject({
          points: 25,
          lotId: 'adjustment:adj1',
          reason: 'goodwill',
          actor: 'admin',
          expiresAt: '2027-01-10T09:00:00.000Z',
        });
      });
    member
      .given(historyOf(enrol()))
      .when(adjust({ points: -30 }))
      .thenMatches((events) => {
        expect(events[0]!.data).toMatchObject({ points: -30, lotId: null, lots: [{ lotId: 'welcome:m1', points: 30 }] });
      });
    member
      .given(historyOf(enrol()))
      .when(adjust({ points: -101 }))
      .thenThrows('INSUFFICIENT_POINTS');
    member
      .given(historyOf(enrol()))
      .when(adjust({ reason: '  ' }))
      .thenThrows('INVALID_ADJUSTMENT');
  });

  it('moves points out with their expiries, and in as lots that keep them', () => {
    member
      .given(historyOf(enrol()))
      .when(transfer({ points: 40 }))
      .thenMatches((events) => {
        expect(events[0]!.data).toMatchObject({
          toMemberId: 'm2',
          points: 40,
          lots: [{ lotId: 'welcome:m1', points: 40, expiresAt: '2027-01-10T09:00:00.000Z' }],
        });
      });
    const receiver = historyOf(enrol({ memberId: 'm2', requestHash: 'h2' }));
    member
      .given(receiver)
      .when(receive({ lots: [{ lotId: 'welcome:m1', points: 10, expiresAt: '2027-01-10T09:00:00.000Z' }] }))
      .thenMatches((events) => {
        expect(events[0]!.data).toMatchObject({
          points: 10,
          lots: [{ lotId: 'transfer:tr1:0', points: 10, expiresAt: '2027-01-10T09:00:00.000Z' }],
        });
        expect(availablePoints(stateOf([...receiver, ...events]))).toBe(110);
      });
    member
      .given(historyOf(enrol()))
      .when(transfer({ toMemberId: 'm1' }))
      .thenThrows('INVALID_TRANSFER');
    member
      .given(historyOf(enrol()))
      .when(transfer({ points: 101 }))
      .thenThrows('INSUFFICIENT_POINTS');
  });
});

describe('personal data erasure', () => {
  it('records the erasure once and leaves the points untouched', () => {
    const history = historyOf(enrol(), purchase());
    member
      .given(history)
      .when(erase())
      .thenMatches((events) => {
        expect(events).toEqual([
          { type: 'MemberErased', data: { schemaVersion: 1, memberId: 'm1', occurredAt: T0, requestHash: 'h-erase' } },
        ]);
        const after = [...history, ...events];
        expect(availablePoints(stateOf(after))).toBe(availablePoints(stateOf(history)));
        member.given(after).when(erase()).thenNothing();
      });
    member.given([]).when(erase()).thenThrows('MEMBER_NOT_FOUND');
  });
});
