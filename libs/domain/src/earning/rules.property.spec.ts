import fc from 'fast-check';
import { decideMember } from '../member/decide';
import { MemberEvent, PointsAccrued } from '../member/events';
import { evolveMember, initialMemberState } from '../member/state';
import { DomainError } from '../values/errors';
import { zonedParts } from '../values/zoned-time';
import { commandsOf, memberPlan } from '../testing/arbitrary-history';
import { programInForce } from '../testing/fixtures';
import { EarningRule } from './rules';

const TIME_ZONE = 'America/Los_Angeles';
const PER_PURCHASE = 30;
const PER_MEMBER_MONTH = 70;
const rules: EarningRule[] = [
  {
    ruleId: 'coffee',
    when: { categories: ['coffee'] },
    effect: { multiplierBp: 30_000, perUnit: { points: 1, unitMinor: 100, of: 'matchingLines' } },
    cap: { perPurchase: PER_PURCHASE, perMember: { points: PER_MEMBER_MONTH, period: { calendar: 'month' } } },
  },
];

/**
 * Generated member histories (purchases, refunds, redemptions, expiries,
 * transfers) under a capped rule: the decider's ledger invariants hold, no
 * purchase gets more than the per-purchase cap, and no member more than the
 * monthly cap in any local calendar month.
 */
describe('earning rule caps on generated histories', () => {
  it('hold per purchase and per member per local month', () => {
    fc.assert(
      fc.property(memberPlan, (plan) => {
        const base = programInForce({ pendingDays: plan.pendingDays, expiryMonths: plan.expiryMonths });
        const program = { ...base, policy: { ...base.policy, timeZone: TIME_ZONE, earning: { ...base.policy.earning, rules } } };
        let state = initialMemberState();
        const awarded: PointsAccrued[] = [];
        for (const command of commandsOf(plan)) {
          let events: MemberEvent[];
          try {
            events = decideMember({ ...command, program }, state);
          } catch (error) {
            if (error instanceof DomainError) continue;
            throw error;
          }
          state = events.reduce(evolveMember, state);
          awarded.push(...events.filter((e): e is PointsAccrued => e.type === 'PointsAccrued' && e.data.ruleIds.includes('rule:coffee')));
        }
        const byMonth = new Map<string, number>();
        for (const accrual of awarded) {
          expect(accrual.data.points).toBeLessThanOrEqual(PER_PURCHASE);
          const local = zonedParts(accrual.data.occurredAt, TIME_ZONE);
          const month = `${local.year}-${local.month}`;
          byMonth.set(month, (byMonth.get(month) ?? 0) + accrual.data.points);
        }
        for (const points of byMonth.values()) expect(points).toBeLessThanOrEqual(PER_MEMBER_MONTH);
      }),
      { numRuns: 200 },
    );
  });
});
