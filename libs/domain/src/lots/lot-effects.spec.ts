import { MemberEvent } from '../member/events';
import { applyLotEffects, lotAfter, lotEffects, LotBook, NO_MOVEMENTS } from './lot-effects';

const base = (occurredAt: string) => ({ schemaVersion: 1, memberId: 'm1', occurredAt });
const accrued = (lotId: string, points: number, pendingUntil: string | null = null): MemberEvent => ({
  type: 'PointsAccrued',
  data: {
    ...base('2026-01-01T00:00:00.000Z'),
    lotId,
    points,
    source: 'purchase',
    reference: lotId,
    programVersion: 1,
    ruleIds: [],
    pendingUntil,
    expiresAt: '2026-04-01T00:00:00.000Z',
  },
});
const apply = (events: readonly MemberEvent[], from: LotBook = { lots: [], debt: 0, movements: NO_MOVEMENTS }) =>
  events.reduce((book, event) => applyLotEffects(book, lotEffects(event)), from);

describe('lot effects', () => {
  it('opens a lot pending until its return window passes, then activates it', () => {
    const pending = apply([accrued('a', 100, '2026-01-15T00:00:00.000Z')]);
    expect(pending.lots).toMatchObject([{ lotId: 'a', remaining: 100, status: 'pending', sequence: 0 }]);
    expect(pending.movements.issued).toBe(100);
    const activated = apply([{ type: 'PointsActivated', data: { ...base('2026-01-15T00:00:00.000Z'), lotId: 'a', points: 100 } }], pending);
    expect(activated.lots).toMatchObject([{ lotId: 'a', remaining: 100, status: 'active' }]);
  });

  it('makes an expired lot that gets points back active again, dated at the reversal', () => {
    const expired = apply([
      accrued('a', 100),
      {
        type: 'PointsRedeemed',
        data: {
          ...base('2026-02-01T00:00:00.000Z'),
          redemptionId: 'r1',
          points: 60,
          rewardId: null,
          lots: [{ lotId: 'a', points: 60 }],
          programVersion: 1,
          requestHash: 'h',
        },
      },
      { type: 'PointsExpired', data: { ...base('2026-04-01T00:00:00.000Z'), lotId: 'a', points: 40 } },
    ]);
    expect(expired.lots).toMatchObject([{ remaining: 0, status: 'expired' }]);
    const reversedAt = '2026-05-01T00:00:00.000Z';
    const restored = apply(
      [{ type: 'RedemptionReversed', data: { ...base(reversedAt), redemptionId: 'r1', points: 60, lots: [{ lotId: 'a', points: 60 }] } }],
      expired,
    );
    expect(restored.lots).toMatchObject([{ remaining: 60, status: 'active', addedAt: reversedAt }]);
    expect(restored.movements).toMatchObject({ issued: 100, redeemed: 0, expired: 40 });
  });

  it('keeps a pending lot pending when points come back to it', () => {
    expect(
      lotAfter({ remaining: 10, status: 'pending' }, { kind: 'restore', lotId: 'a', points: 5, at: '2026-01-01T00:00:00.000Z' }),
    ).toEqual({
      remaining: 15,
      status: 'pending',
    });
  });

  it('records a clawback beyond the lots as debt, and its repayment from later lots', () => {
    const clawed = apply([
      accrued('a', 30),
      {
        type: 'PointsClawedBack',
        data: {
          ...base('2026-01-02T00:00:00.000Z'),
          transactionId: 't',
          refundId: 'rf',
          points: 50,
          lots: [{ lotId: 'a', points: 30 }],
          debtIncurred: 20,
        },
      },
    ]);
    expect(clawed).toMatchObject({ debt: 20, lots: [{ remaining: 0 }], movements: { clawedBack: 50 } });
    const repaid = apply(
      [
        accrued('b', 25),
        { type: 'DebtRepaid', data: { ...base('2026-01-03T00:00:00.000Z'), points: 20, lots: [{ lotId: 'b', points: 20 }] } },
      ],
      clawed,
    );
    expect(repaid).toMatchObject({
      debt: 0,
      lots: [{ lotId: 'a' }, { lotId: 'b', remaining: 5, sequence: 1 }],
      movements: { clawedBack: 50, issued: 55 },
    });
  });

  it('opens one lot per transferred lot, in order, and changes nothing for a lot it does not hold', () => {
    const received = apply([
      {
        type: 'PointsTransferredIn',
        data: {
          ...base('2026-01-01T00:00:00.000Z'),
          transferId: 't',
          fromMemberId: 'm2',
          points: 30,
          lots: [
            { lotId: 'x', points: 10, expiresAt: null },
            { lotId: 'y', points: 20, expiresAt: null },
          ],
        },
      },
    ]);
    expect(received.lots.map((l) => [l.lotId, l.sequence, l.status])).toEqual([
      ['x', 0, 'active'],
      ['y', 1, 'active'],
    ]);
    const unknown = apply([{ type: 'PointsExpired', data: { ...base('2026-02-01T00:00:00.000Z'), lotId: 'nope', points: 5 } }], received);
    expect(unknown.lots).toEqual(received.lots);
  });

  it('has no effect for events that move no points', () => {
    const enrolled: MemberEvent = {
      type: 'MemberEnrolled',
      data: {
        ...base('2026-01-01T00:00:00.000Z'),
        memberType: 'individual',
        personalData: null,
        referredBy: null,
        tier: null,
        requestHash: 'h',
      },
    };
    const book: LotBook = { lots: [], debt: 0, movements: NO_MOVEMENTS };
    expect(lotEffects(enrolled)).toEqual([]);
    expect(applyLotEffects(book, lotEffects(enrolled))).toBe(book);
  });
});
