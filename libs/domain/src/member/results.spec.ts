import { MemberEvent } from './events';
import { decideMember } from './decide';
import { foldMember } from './state';
import { MemberCommandOf, MemberCommandType, MemberResult, resultOf } from './results';
import { programInForce } from '../testing/fixtures';
import { action, adjust, enrol, historyOf, purchase, redeem, refund, reverse, settle, transfer } from '../testing/member-commands';

/** The result of deciding `command` after `history`, read from the events the decision produced. */
function decided<T extends MemberCommandType>(history: readonly MemberEvent[], command: MemberCommandOf<T>): MemberResult<T> {
  return resultOf(command, decideMember(command, foldMember(history)));
}

describe('what a member command did, read from its events', () => {
  it('a purchase tells the points it accrued and until when they are pending', () => {
    const pending = programInForce({ pendingDays: 14 });
    expect(decided(historyOf(enrol()), purchase({ program: pending }))).toEqual({
      type: 'RecordPurchase',
      pointsAccrued: 19,
      pendingUntil: '2026-01-24T09:00:00.000Z',
      couponsApplied: [],
    });
  });

  it('a purchase too small to earn tells zero points and no pending window', () => {
    expect(decided(historyOf(enrol()), purchase({ amountMinor: 99 }))).toEqual({
      type: 'RecordPurchase',
      pointsAccrued: 0,
      pendingUntil: null,
      couponsApplied: [],
    });
  });

  it('a redemption and its reversal tell the points taken and put back', () => {
    const history = historyOf(enrol());
    expect(decided(history, redeem({ points: 60 }))).toEqual({ type: 'RedeemPoints', pointsRedeemed: 60, coupon: null });
    expect(decided(historyOf(enrol(), redeem({ points: 60 })), reverse())).toEqual({ type: 'ReverseRedemption', pointsRestored: 60 });
  });

  it('a refund of points already spent tells the clawback and the debt it left', () => {
    const history = historyOf(enrol(), purchase(), redeem({ points: 119 }));
    expect(decided(history, refund({ amountMinor: 1999 }))).toEqual({ type: 'RefundPurchase', pointsClawedBack: 19, debtIncurred: 19 });
  });

  it('an action past its cap tells that no points were awarded', () => {
    const history = historyOf(enrol(), action({ actionId: 'a1' }), action({ actionId: 'a2' }));
    expect(decided(history, action({ actionId: 'a3' }))).toEqual({ type: 'RecordAction', pointsAwarded: 0, capReached: true });
    expect(decided(historyOf(enrol()), action())).toEqual({ type: 'RecordAction', pointsAwarded: 50, capReached: false });
  });

  it('an adjustment and a transfer tell the points moved and who moved them', () => {
    const history = historyOf(enrol());
    expect(decided(history, adjust({ points: -30, actor: 'admin:abc' }))).toEqual({
      type: 'AdjustPoints',
      points: -30,
      actor: 'admin:abc',
    });
    expect(decided(history, transfer({ points: 40 }))).toEqual({ type: 'TransferPoints', points: 40 });
  });

  it('a settlement counts what it activated, expired, granted and requalified', () => {
    const pending = programInForce({ pendingDays: 14 });
    const history = historyOf(enrol(), purchase({ program: pending }));
    expect(decided(history, settle('2027-02-01T00:00:00.000Z', { birthDate: '1990-01-15' }))).toEqual({
      type: 'SettleMember',
      activated: 1,
      expired: 2,
      birthdayBonuses: 1,
      tierChanges: 1,
      debtRepayments: 0,
      couponsExpired: 0,
    });
  });
});
