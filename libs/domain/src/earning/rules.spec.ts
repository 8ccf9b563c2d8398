import { MemberCommand } from '../member/commands';
import { MemberEvent, PointsAccrued } from '../member/events';
import { resultOf } from '../member/results';
import { member, programInForce } from '../testing/fixtures';
import { enrol, purchase } from '../testing/member-commands';
import { EarningRule, earningRuleProblems, resolveRuleSegments } from './rules';

const rule = (o: Partial<EarningRule> & Pick<EarningRule, 'ruleId' | 'effect'>): EarningRule => ({ when: {}, cap: {}, ...o });
const accruals = (events: readonly MemberEvent[]) =>
  events.filter((e): e is PointsAccrued => e.type === 'PointsAccrued').map((e) => [e.data.ruleIds, e.data.points, e.data.lotId]);

describe('earning rules', () => {
  const base = programInForce();
  const programWith = (rules: EarningRule[], timeZone = 'America/New_York') =>
    programInForce({ timeZone, earning: { ...base.policy.earning, rules } });
  const latte = { sku: 'latte', category: 'coffee', quantity: 2, unitPriceMinor: 300 };
  const mug = { sku: 'mug', category: 'merch', quantity: 1, unitPriceMinor: 1400 };
  let history: MemberEvent[] = [];
  const run = (command: MemberCommand) => {
    let out: MemberEvent[] = [];
    member
      .given(history)
      .when(command)
      .thenMatches((events) => (out = events));
    history = [...history, ...out];
    return out;
  };
  beforeEach(() => (history = []));

  it("apply on local days and hours in the program's zone, to matching lines, each effect adding up, and the reply totals every accrual", () => {
    const program = programWith([
      rule({
        ruleId: 'weekend-coffee',
        when: {
          daysOfWeek: ['sat'],
          hours: { fromHour: 20, toHour: 2 },
          categories: ['coffee'],
          excludeSkus: ['mug'],
          minBasketMinor: 1000,
        },
        effect: { multiplierBp: 20_000, perUnit: { points: 1, unitMinor: 100, of: 'matchingLines' }, bonusPoints: 7, pointsPerItem: 3 },
      }),
    ]);
    run(enrol({ program }));
    // Sunday 01:30 UTC is Saturday 21:30 in New York.
    const command = purchase({
      program,
      transactionId: 'sat-night',
      amountMinor: 2000,
      items: [latte, mug],
      occurredAt: '2026-01-11T02:30:00.000Z',
    });
    const events = run(command);
    // Base 26 (coffee 2x on 600, 1x on 1400); multiplier +26, per unit 6 on the coffee lines, bonus 7, 2 lattes x 3.
    expect(accruals(events)).toEqual([
      [['base', 'category:coffee'], 26, 'purchase:sat-night'],
      [['rule:weekend-coffee'], 26 + 6 + 7 + 6, 'rule:weekend-coffee:sat-night'],
    ]);
    expect(resultOf(command, events)).toMatchObject({ pointsAccrued: 26 + 45 });
    const weekday = run(
      purchase({ program, transactionId: 'mon', amountMinor: 2000, items: [latte, mug], occurredAt: '2026-01-13T02:30:00.000Z' }),
    );
    expect(accruals(weekday)).toEqual([[['base', 'category:coffee'], 26, 'purchase:mon']]);
  });

  it('cap each purchase and each member per calendar month in the zone', () => {
    const program = programWith([
      rule({
        ruleId: 'per-item',
        effect: { pointsPerItem: 10 },
        cap: { perPurchase: 15, perMember: { points: 25, period: { calendar: 'month' } } },
      }),
    ]);
    run(enrol({ program }));
    const buy = (transactionId: string, occurredAt: string) =>
      accruals(run(purchase({ program, transactionId, amountMinor: 600, items: [latte], occurredAt })))[1]?.[1];
    expect(buy('a', '2026-01-10T12:00:00.000Z')).toBe(15);
    expect(buy('b', '2026-01-20T12:00:00.000Z')).toBe(10);
    expect(buy('c', '2026-01-25T12:00:00.000Z')).toBeUndefined();
    // 02:00 UTC on 1 February is still January in New York.
    expect(buy('d', '2026-02-01T02:00:00.000Z')).toBeUndefined();
    expect(buy('e', '2026-02-01T06:00:00.000Z')).toBe(15);
  });

  it('award no more than the budget stream granted, and nothing once it granted nothing', () => {
    const program = programWith([rule({ ruleId: 'budgeted', effect: { bonusPoints: 5 }, cap: { totalPoints: 20 } })]);
    run(enrol({ program }));
    expect(accruals(run(purchase({ program, transactionId: 'wanted' })))[1]).toEqual([['rule:budgeted'], 5, 'rule:budgeted:wanted']);
    expect(accruals(run(purchase({ program, transactionId: 'part', budgetGrants: { 'rule:budgeted': 2 } })))[1]?.[1]).toBe(2);
    expect(accruals(run(purchase({ program, transactionId: 'none', budgetGrants: {} })))).toHaveLength(1);
  });

  it('apply to the tiers, member types and stores they name only', () => {
    const program = programWith([
      rule({ ruleId: 'gold-store', when: { tiers: ['gold'] }, effect: { bonusPoints: 1 } }),
      rule({ ruleId: 'business', when: { memberTypes: ['business'] }, effect: { bonusPoints: 2 } }),
      rule({ ruleId: 'store', when: { storeIds: ['s1'] }, effect: { bonusPoints: 3 } }),
    ]);
    run(enrol({ program }));
    expect(accruals(run(purchase({ program, transactionId: 's1', storeId: 's1' }))).map((a) => a[0])).toEqual([['base'], ['rule:store']]);
  });

  it('name a segment, built-in or custom, by the criteria it had when the program was configured', () => {
    const named = rule({ ruleId: 'regulars', when: { segment: 'regulars' }, effect: { bonusPoints: 9 } });
    expect(earningRuleProblems([named])).toEqual(['earning rule regulars: no segment regulars']);
    const [resolved] = resolveRuleSegments(
      [named],
      [{ name: 'regulars', kind: 'custom', description: '', criteria: { type: 'purchaseCount', min: 1 } }],
    );
    expect(earningRuleProblems([resolved!])).toEqual([]);
    const program = programWith([resolved!]);
    run(enrol({ program }));
    expect(accruals(run(purchase({ program, transactionId: 'first', occurredAt: '2026-01-11T09:00:00.000Z' })))).toHaveLength(1);
    expect(accruals(run(purchase({ program, transactionId: 'second', occurredAt: '2026-01-12T09:00:00.000Z' })))[1]).toEqual([
      ['rule:regulars'],
      9,
      'rule:regulars:second',
    ]);
  });

  it('are validated with the program', () => {
    expect(
      earningRuleProblems([
        rule({ ruleId: 'x', effect: {} }),
        rule({
          ruleId: 'x',
          effect: { bonusPoints: 1 },
          when: { startsAt: '2026-02-01T00:00:00.000Z', endsAt: '2026-01-01T00:00:00.000Z', segment: 'nope' },
        }),
      ]),
    ).toEqual([
      'earning rule ids must be unique',
      'earning rule x: effect needs at least one of multiplier, perUnit, bonusPoints, pointsPerItem, coupon',
      'earning rule x: endsAt must be after startsAt',
      'earning rule x: no segment nope',
    ]);
  });
});
