import { TestClock } from '../support/clock';
import { PROGRAM, startTestLedger, TestLedger } from '../support/ledger';

const BUDGET_POINTS = 20;
const CONCURRENT_PURCHASES = 64;

/** Earning rules through HTTP: configured with the program, explained on the ledger, budgets exact across concurrent purchases. */
describe('earning rules over HTTP', () => {
  let t: TestLedger;
  const clock = new TestClock();
  const rules = [
    {
      ruleId: 'monday-coffee',
      when: { daysOfWeek: ['mon'], hours: { fromHour: 12, toHour: 18 }, categories: ['coffee'], minBasketMinor: 500 },
      effect: { multiplier: 2, pointsPerItem: 5 },
      cap: { perPurchase: 100, perMember: { points: 1000, period: 'month' } },
    },
    { ruleId: 'five', effect: { bonusPoints: 5 }, cap: { totalPoints: BUDGET_POINTS } },
    { ruleId: 'business-club', when: { segment: 'business-club' }, effect: { bonusPoints: 3 } },
  ];

  beforeAll(async () => {
    t = await startTestLedger('earning_rules_http', {}, clock);
    const segment = { description: 'business members', criteria: { type: 'memberType', memberType: 'business' } };
    expect((await t.call('PUT', '/v1/segments/business-club', segment)).status).toBe(201);
    const program = { ...PROGRAM, timeZone: 'Europe/Paris', earning: { ...PROGRAM.earning, rules } };
    expect((await t.call('PUT', '/v1/program', program)).status).toBe(201);
  });
  afterAll(async () => t.close());

  it('returns the rules as written and refuses a bad one with INVALID_PROGRAM', async () => {
    const program = await t.call('GET', '/v1/program');
    expect(program.body.earning.rules).toEqual([
      { ruleId: 'monday-coffee', when: rules[0]!.when, effect: rules[0]!.effect, cap: rules[0]!.cap },
      { ruleId: 'five', when: {}, effect: { bonusPoints: 5 }, cap: { totalPoints: BUDGET_POINTS } },
      { ruleId: 'business-club', when: { segment: 'business-club' }, effect: { bonusPoints: 3 }, cap: {} },
    ]);
    const again = await t.call('PUT', '/v1/program', { ...PROGRAM, timeZone: 'Europe/Paris', earning: { ...PROGRAM.earning, rules } });
    expect(again.status).toBe(200);
    const bad = { ...PROGRAM, earning: { ...PROGRAM.earning, rules: [{ ruleId: 'empty', effect: {} }] } };
    const refused = await t.call('PUT', '/v1/program', bad);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('INVALID_PROGRAM');
    const unknownField = {
      ...PROGRAM,
      earning: {
        ...PROGRAM.earning,
        rules: [{ ruleId: 'x', effect: { bonusPoints: 1 }, cap: { perMember: { points: 1, period: 'week' } } }],
      },
    };
    expect((await t.call('PUT', '/v1/program', unknownField)).status).toBe(400);
  });

  it('answers a purchase with everything it earned and lists each accrual with its rule ids', async () => {
    await t.call('POST', '/v1/members', { memberId: 'rita', type: 'individual' });
    const bought = await t.call('POST', '/v1/purchases', {
      transactionId: 'rita-1',
      memberId: 'rita',
      amountMinor: 1000,
      currency: 'EUR',
      items: [{ sku: 'latte', category: 'coffee', quantity: 2, unitPriceMinor: 500 }],
    });
    // Monday 14:00 in Paris: base 20 (coffee 2x), rule +20 and 2 x 5, the budgeted bonus 5.
    expect(bought.body).toMatchObject({ pointsAccrued: 20 + 30 + 5 });
    const ledger = await t.call('GET', `/v1/members/rita/ledger?minPosition=${bought.body.position}`);
    const accruals = ledger.body.entries.filter((e: { reference: string }) => e.reference === 'rita-1');
    const explained = accruals.map((e: { points: number; detail: { ruleIds: string[] } }) => [e.detail.ruleIds, e.points]);
    expect(explained).toHaveLength(3);
    expect(explained).toEqual(
      expect.arrayContaining([
        [['base', 'category:coffee'], 20],
        [['rule:monday-coffee'], 30],
        [['rule:five'], 5],
      ]),
    );
  });

  it('awards a rule naming a custom segment to its members only', async () => {
    await t.call('POST', '/v1/members', { memberId: 'bea', type: 'business' });
    const bought = await t.call('POST', '/v1/purchases', { transactionId: 'bea-1', memberId: 'bea', amountMinor: 100, currency: 'EUR' });
    // 1 base point, the budgeted 5 and the segment's 3.
    expect(bought.body.pointsAccrued).toBe(1 + 5 + 3);
  });

  it(`awards exactly the budget across ${CONCURRENT_PURCHASES} concurrent purchases, in the events and the read models`, async () => {
    const members = Array.from({ length: CONCURRENT_PURCHASES }, (_, i) => `budget-${i}`);
    for (const memberId of members) await t.call('POST', '/v1/members', { memberId, type: 'individual' });
    const replies = await Promise.all(
      members.map((memberId) =>
        t.call('POST', '/v1/purchases', { transactionId: `tx-${memberId}`, memberId, amountMinor: 100, currency: 'EUR' }),
      ),
    );
    expect(replies.every((r) => r.status === 201)).toBe(true);
    // Each purchase earns 1 base point; what rita's and bea's purchases left of the budget (10) is all the rule awards.
    expect(replies.reduce((sum, r) => sum + r.body.pointsAccrued - 1, 0)).toBe(BUDGET_POINTS - 10);
    const last = Math.max(...replies.map((r) => r.body.position));
    await t.caughtUp(last);
    let fromRule = 0;
    for (const memberId of members) {
      const balance = await t.call('GET', `/v1/members/${memberId}/balance`);
      // The welcome bonus is 100 and the base point 1.
      fromRule += balance.body.available - 100 - 1;
    }
    expect(fromRule).toBe(BUDGET_POINTS - 10);
    const budgets = await t.call('GET', '/v1/offers/budgets');
    expect(budgets.body.budgets).toEqual([
      { ruleKey: 'rule:five', totalPoints: BUDGET_POINTS, pointsReserved: BUDGET_POINTS, pointsRemaining: 0, reservations: 4 },
    ]);
  });
});
