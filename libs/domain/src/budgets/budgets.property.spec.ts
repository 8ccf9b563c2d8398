import fc from 'fast-check';
import { BudgetEvent, decideReservation, foldBudget, ReservationRequest } from './budgets';

/**
 * Reservations in any order, with retries of the same transaction and
 * budgets changed by new configurations between them: what is reserved never
 * exceeds the budget in force, no transaction reserves twice, and none gets
 * more than it asked for.
 */
describe('budget reservations', () => {
  const request = fc.record({
    transaction: fc.integer({ min: 0, max: 30 }),
    points: fc.integer({ min: 1, max: 40 }),
    budget: fc.integer({ min: 1, max: 200 }),
  });

  it('never reserve beyond the budget, twice for one transaction, or more than asked', () => {
    fc.assert(
      fc.property(fc.array(request, { maxLength: 80 }), (requests) => {
        const log: BudgetEvent[] = [];
        let maxBudget = 0;
        for (const r of requests) {
          const asked: ReservationRequest = {
            ruleKey: 'rule:r',
            transactionId: `tx-${r.transaction}`,
            memberId: `m-${r.transaction}`,
            points: r.points,
            budget: r.budget,
            occurredAt: '2026-01-01T00:00:00.000Z',
          };
          const before = foldBudget(log);
          const decided = decideReservation(before, asked);
          for (const event of decided) expect(event.data.points).toBeLessThanOrEqual(r.points);
          log.push(...decided);
          maxBudget = Math.max(maxBudget, r.budget);
          const after = foldBudget(log);
          if (decided.length > 0) expect(after.reservedPoints).toBeLessThanOrEqual(r.budget);
          expect(after.reservedPoints).toBeLessThanOrEqual(maxBudget);
        }
        const transactions = log.map((e) => e.data.transactionId);
        expect(new Set(transactions).size).toBe(transactions.length);
      }),
    );
  });
});
