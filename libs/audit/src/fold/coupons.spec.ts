import fc from 'fast-check';
import { couponStatusAt, decideMember, DomainError, evolveMember, initialMemberState, MemberEvent } from '@loyalty/domain';
import { ARBITRARY_REWARDS, commandsOf, memberPlanWithCoupons } from '../../../domain/src/testing/arbitrary-history';
import { memberEntry, programEntry, recordedLog } from '../testing/log';
import { liabilityReport } from '../reports/liability';
import { rollForwardReport } from '../reports/roll-forward';
import { AuditFold, foldEvent, startFold } from './audit-fold';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 100);
const POINT_VALUE_MINOR = 3;
const POINTS_OF = new Map(ARBITRARY_REWARDS.map((r) => [r.rewardId, r.points]));

function historyOf(plan: Parameters<typeof commandsOf>[0]): MemberEvent[] {
  let state = initialMemberState();
  const history: MemberEvent[] = [];
  for (const command of commandsOf(plan)) {
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

/** The domain's own answer as of an instant: its coupons from the events dated up to it, each read with couponStatusAt. */
function domainCoupons(history: readonly MemberEvent[], asOfMs: number) {
  const state = history.filter((e) => Date.parse(e.data.occurredAt) <= asOfMs).reduce(evolveMember, initialMemberState());
  const active = [...state.coupons.values()].filter((c) => couponStatusAt(c, new Date(asOfMs).toISOString()) === 'active');
  const valueMinor = active.reduce((sum, c) => sum + (c.valueMinor ?? POINTS_OF.get(c.rewardId)! * POINT_VALUE_MINOR), 0);
  return { active: active.length, liabilityMinor: valueMinor };
}

function fold(history: readonly MemberEvent[], asOfMs: number, fromMs = Number.NEGATIVE_INFINITY): AuditFold {
  const f = startFold({ asOfMs, fromMs, untilPosition: null });
  const log = recordedLog([
    programEntry(1, '2024-01-01T00:00:00.000Z', { pointValueMinor: POINT_VALUE_MINOR, currency: 'EUR', rewards: [...ARBITRARY_REWARDS] }),
    ...history.map(memberEntry),
  ]);
  for (const event of log) foldEvent(f, event);
  return f;
}

/**
 * The audit's coupons and the domain's are separate computations: on
 * generated histories with coupons, as of every instant an event is dated at
 * or a coupon expires at, and just before it, the active coupons and their value agree, and every
 * period between two such instants rolls forward onto the next liability.
 */
describe('audit coupons against the domain (fast-check)', () => {
  it('agree on the active coupons and their value as of every event date, and periods chain', () => {
    let withCoupons = 0;
    fc.assert(
      fc.property(memberPlanWithCoupons, (plan) => {
        const history = historyOf(plan);
        if (history.some((e) => e.type === 'CouponUsed')) withCoupons += 1;
        // Every event date and every coupon's expiry, and the millisecond before each: where the answers change.
        const dates = history.flatMap((e) => [e.data.occurredAt, ...(e.type === 'CouponIssued' ? [e.data.expiresAt] : [])]);
        const instants = [...new Set(dates.flatMap((d) => [Date.parse(d) - 1, Date.parse(d)]))].sort((a, b) => a - b);
        let previous: number | undefined;
        for (const asOfMs of instants) {
          const liability = liabilityReport(fold(history, asOfMs), new Date(asOfMs).toISOString());
          const coupons = { active: liability.coupons.active, liabilityMinor: liability.coupons.liabilityMinor };
          expect(coupons).toEqual(domainCoupons(history, asOfMs));
          if (previous !== undefined) {
            const period = rollForwardReport(fold(history, asOfMs, previous), 'from', 'to').coupons;
            expect(period.count.opening).toBe(domainCoupons(history, previous).active);
            expect(period.count.closing).toBe(coupons.active);
            expect(period.valueMinor.closing).toBe(coupons.liabilityMinor);
          }
          previous = asOfMs;
        }
      }),
      { numRuns: RUNS },
    );
    // A bound, not a figure: some generated histories used a coupon, so the property is not vacuous.
    expect(withCoupons).toBeGreaterThan(0);
  });
});
