import fc from 'fast-check';
import {
  DomainError,
  MemberEvent,
  decideMember,
  evolveMember,
  initialMemberState,
  MemberState,
  availablePoints,
  pendingOf,
} from '@loyalty/domain';
import { commandsOf, memberPlan } from '../../../domain/src/testing/arbitrary-history';
import {
  adjust,
  enrol,
  historyOf,
  purchase,
  receive,
  redeem,
  refund,
  reverse,
  settle,
  transfer,
} from '../../../domain/src/testing/member-commands';
import { programInForce, T0 } from '../../../domain/src/testing/fixtures';
import { memberEntry, programEntry, recordedLog } from '../testing/log';
import { asOfWindow, AuditFold, foldEvent, startFold } from './audit-fold';
import { availableOf } from './member-position';
import { liabilityReport } from '../reports/liability';
import { rollForwardReport } from '../reports/roll-forward';

const ms = (iso: string) => Date.parse(iso);
const at = (days: number) => new Date(ms(T0) + days * 86_400_000).toISOString();

function foldAll(events: readonly MemberEvent[], asOf: string, fromIso?: string): AuditFold {
  const fold = startFold({ asOfMs: ms(asOf), fromMs: fromIso ? ms(fromIso) : Number.NEGATIVE_INFINITY, untilPosition: null });
  for (const e of recordedLog([programEntry(1, T0, { pointValueMinor: 1, currency: 'EUR' }), ...events.map(memberEntry)]))
    foldEvent(fold, e);
  return fold;
}

function play(commands: ReturnType<typeof commandsOf>): MemberEvent[] {
  let state: MemberState = initialMemberState();
  const history: MemberEvent[] = [];
  for (const command of commands) {
    try {
      const events = decideMember(command, state);
      history.push(...events);
      state = events.reduce(evolveMember, state);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  }
  return history;
}

describe('audit fold', () => {
  it('agrees with the domain fold on every movement type', () => {
    const history = historyOf(
      enrol(), // welcome 100
      purchase({ transactionId: 'tx1', amountMinor: 10_000, occurredAt: at(1) }), // 100
      redeem({ redemptionId: 'r1', points: 150, occurredAt: at(2) }),
      reverse({ redemptionId: 'r1', occurredAt: at(3) }),
      redeem({ redemptionId: 'r2', points: 180, occurredAt: at(4) }),
      refund({ transactionId: 'tx1', refundId: 'rf1', amountMinor: 10_000, occurredAt: at(5) }), // 100 back: 20 from lots, 80 debt
      adjust({ adjustmentId: 'a1', points: 90, occurredAt: at(6) }), // repays the debt first
      adjust({ adjustmentId: 'a2', points: 40, occurredAt: at(7) }),
      transfer({ transferId: 't1', toMemberId: 'm2', points: 30, occurredAt: at(8) }),
      receive({
        memberId: 'm1',
        transferId: 't2',
        fromMemberId: 'm3',
        points: 25,
        lots: [{ lotId: 'x', points: 25, expiresAt: at(100) }],
        occurredAt: at(9),
      }),
      settle(at(200)),
    );
    const fold = foldAll(history, at(300));
    const p = fold.members.get('m1')!;
    expect(p.period).toEqual({
      issued: 200,
      redeemed: 180,
      expired: expect.any(Number),
      clawedBack: 100,
      adjusted: 130,
      transferredIn: 25,
      transferredOut: 30,
    });
    const domain = history.reduce(evolveMember, initialMemberState());
    expect({ available: availableOf(p), pending: p.pending, debt: p.debt }).toEqual({
      available: availablePoints(domain),
      pending: pendingOf(domain),
      debt: domain.debt,
    });
    expect(p.period.expired).toBe(domain.movements.expired);
    expect(p.period.expired).toBe(25); // the transferred-in lot expired at day 100
  });

  it('equals the domain fold on random histories, at the end and at every as-of cut (fast-check)', () => {
    fc.assert(
      fc.property(memberPlan, fc.integer({ min: 0, max: 1000 }), (plan, cutDays) => {
        const history = play(commandsOf(plan));
        const asOf = new Date(ms('2025-01-01T00:00:00Z') + cutDays * 86_400_000).toISOString();
        // Exactly the events dated at or before asOf, in stream order: that is the as-of rule.
        const cut = history.filter((e) => ms(e.data.occurredAt) <= ms(asOf));
        const domain = cut.reduce(evolveMember, initialMemberState());
        const p = foldAll(history, asOf).members.get('m1');
        if (!p) return expect(cut).toEqual([]);
        // Points of a lot expired in the cut but consumed after it were still held as of the cut (member-position.spec.ts).
        const heldPastExpiry = domain.lots.reduce((sum, l) => (l.status === 'expired' ? sum + l.remaining : sum), 0);
        expect({ available: availableOf(p), pending: p.pending, debt: p.debt, ...p.period }).toEqual({
          available: availablePoints(domain) + heldPastExpiry,
          pending: pendingOf(domain),
          debt: domain.debt,
          ...domain.movements,
        });
      }),
      { numRuns: 200 },
    );
  });

  it('counts an event dated exactly at asOf, and not one a millisecond later', () => {
    const history = historyOf(enrol(), purchase({ transactionId: 'tx1', amountMinor: 5000, occurredAt: at(10) }));
    expect(liabilityReport(foldAll(history, at(10)), at(10)).outstandingPoints).toBe(150);
    expect(liabilityReport(foldAll(history, new Date(ms(at(10)) - 1).toISOString()), at(10)).outstandingPoints).toBe(100);
  });

  it('places events by occurredAt, not position: a later-appended offline sale dated earlier is counted', () => {
    const early = historyOf(enrol({ memberId: 'a' }));
    const late = historyOf(
      enrol({ memberId: 'b', occurredAt: at(5) }),
      purchase({ memberId: 'b', transactionId: 'tb', amountMinor: 2000, occurredAt: at(5) }),
    );
    // b's events come first in the log; then a's offline purchase, appended later but dated day 1.
    const offline = historyOf(
      enrol({ memberId: 'a' }),
      purchase({ memberId: 'a', transactionId: 'ta', amountMinor: 3000, occurredAt: at(1) }),
    ).slice(early.length);
    const log = recordedLog([...late, ...early, ...offline].map(memberEntry));
    const fold = startFold(asOfWindow(ms(at(2))));
    for (const e of log) foldEvent(fold, e);
    expect(fold.members.get('a')!.period.issued).toBe(130);
    expect(fold.members.get('b')).toBeUndefined();
    expect(fold.eventsRead).toBe(log.length);
    expect(fold.lastPosition).toBe(BigInt(log.length));
  });

  it('folds a settlement dated at the lot expiry, written after later commands, in stream order', () => {
    const program = programInForce({ expiryMonths: 3 });
    const history = historyOf(
      enrol({ program }), // welcome lot of 100 expires 2026-04-10T09:00
      purchase({ transactionId: 'tx1', amountMinor: 10_000, occurredAt: at(1), program }), // 100, expires 2026-04-11T09:00
      // Past the welcome lot's expiry but before the job ran: the lot is still available and pays 30.
      redeem({ redemptionId: 'r1', points: 30, occurredAt: '2026-04-20T00:00:00.000Z', program }),
      // The job runs later and dates each expiry at the lot's expiresAt: 70 at 04-10, 100 at 04-11.
      settle('2026-05-01T00:00:00.000Z', { program }),
    );
    const expiries = history
      .filter((e) => e.type === 'PointsExpired')
      .map((e) => [e.data.occurredAt, (e.data as { points: number }).points]);
    expect(expiries).toEqual([
      ['2026-04-10T09:00:00.000Z', 70],
      ['2026-04-11T09:00:00.000Z', 100],
    ]);
    // On 04-15 both expiries (dated earlier, logged later) count and the redemption does not: 30 still held.
    const mid = liabilityReport(foldAll(history, '2026-04-15T00:00:00.000Z'), '2026-04-15T00:00:00.000Z');
    expect(mid).toMatchObject({ outstandingPoints: 30, breakage: { maturedIssuedPoints: 200, maturedExpiredPoints: 170 } });
    expect(liabilityReport(foldAll(history, '2026-04-20T00:00:00.000Z'), '2026-04-20T00:00:00.000Z').outstandingPoints).toBe(0);
  });

  it('splits a period (from, to]: an event at from is opening, an event at to is in the period', () => {
    const history = historyOf(
      enrol(),
      purchase({ transactionId: 'tx1', amountMinor: 1000, occurredAt: at(10) }),
      purchase({ transactionId: 'tx2', amountMinor: 2000, occurredAt: at(20) }),
      redeem({ redemptionId: 'r1', points: 5, occurredAt: at(25) }),
    );
    const report = rollForwardReport(foldAll(history, at(20), at(10)), at(10), at(20));
    expect(report.points).toEqual({
      opening: 110,
      issued: 20,
      redeemed: 0,
      expired: 0,
      clawedBack: 0,
      adjusted: 0,
      transferredIn: 0,
      transferredOut: 0,
      closing: 130,
    });
    expect(report.issuedBySource).toMatchObject({ purchases: 20, bonuses: 0 });
    const next = rollForwardReport(foldAll(history, at(30), at(20)), at(20), at(30));
    expect(next.points.opening).toBe(report.points.closing);
    expect(next.points).toMatchObject({ redeemed: 5, closing: 125 });
  });

  it('counts a reversal as negative redemption in its own period; debt repayment moves nothing', () => {
    const history = historyOf(
      enrol(),
      purchase({ transactionId: 'tx1', amountMinor: 10_000, occurredAt: at(1) }),
      redeem({ redemptionId: 'r1', points: 200, occurredAt: at(2) }),
      refund({ transactionId: 'tx1', refundId: 'rf1', amountMinor: 10_000, occurredAt: at(3) }), // 100 as debt
      purchase({ transactionId: 'tx2', amountMinor: 15_000, occurredAt: at(12) }), // 150: 100 repays the debt
      reverse({ redemptionId: 'r1', occurredAt: at(13) }),
    );
    expect(history.map((e) => e.type)).toContain('DebtRepaid');
    const first = rollForwardReport(foldAll(history, at(10), at(0)), at(0), at(10));
    expect(first.points).toMatchObject({ opening: 100, issued: 100, redeemed: 200, clawedBack: 100, closing: -100 });
    const second = rollForwardReport(foldAll(history, at(20), at(10)), at(10), at(20));
    expect(second.points).toMatchObject({ opening: -100, issued: 150, redeemed: -200, clawedBack: 0, closing: 250 });
  });
});
