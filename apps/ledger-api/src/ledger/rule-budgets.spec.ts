import { Pool } from 'pg';
import { budgetStreamId, decodeMemberEvent, EarningRule, memberStreamId, OfferPolicy } from '@loyalty/domain';
import { PostgresEventStore } from '@loyalty/event-store';
import { programInForce } from '../../../../libs/domain/src/testing/fixtures';
import { enrol, purchase } from '../../../../libs/domain/src/testing/member-commands';
import { createTestDatabase } from '../../../../test/support/postgres';
import { ExecuteMemberCommand } from './execute-member.command';
import { MemberLedger } from './member-ledger';

const BUDGET_POINTS = 20;
const rule: EarningRule = { ruleId: 'five', when: {}, effect: { bonusPoints: 5 }, cap: { totalPoints: BUDGET_POINTS } };
const offer: OfferPolicy = {
  offerId: 'five-offer',
  startsAt: '2026-01-01T00:00:00.000Z',
  endsAt: '2027-01-01T00:00:00.000Z',
  multiplierBp: null,
  bonusPoints: 5,
  criteria: null,
  boughtSkus: [],
  boughtCategories: [],
  pointsBudget: BUDGET_POINTS,
};
const base = programInForce();
const program = programInForce({ offers: [offer], earning: { ...base.policy.earning, rules: [rule] } });
const CONCURRENT_PURCHASES = 64;
/** Writers in separate processes each have their own in-process locks: only the budget stream's revision keeps them apart. */
const PROCESSES = 4;

describe('rule budgets on the write path', () => {
  let pool: Pool;
  let store: PostgresEventStore;
  let ledgers: MemberLedger[];

  beforeAll(async () => {
    pool = new Pool({ connectionString: await createTestDatabase('rule_budgets'), max: 8 });
    store = await PostgresEventStore.open(pool);
    ledgers = Array.from({ length: PROCESSES }, () => new MemberLedger(store));
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
  });

  const awardedIn = async (memberIds: readonly string[], ruleKey: string) => {
    let points = 0;
    for (const memberId of memberIds) {
      for (const recorded of await store.readStream(memberStreamId(memberId))) {
        const event = decodeMemberEvent(recorded);
        if (event?.type === 'PointsAccrued' && event.data.ruleIds.includes(ruleKey)) points += event.data.points;
      }
    }
    return points;
  };

  it(`awards exactly the budget to ${CONCURRENT_PURCHASES} concurrent purchases that would each earn 5, for a rule and for an offer`, async () => {
    const members = Array.from({ length: CONCURRENT_PURCHASES }, (_, i) => `race-${i}`);
    await Promise.all(
      members.map((memberId, i) => ledgers[i % PROCESSES]!.execute(new ExecuteMemberCommand(enrol({ memberId, program })))),
    );
    const replies = await Promise.all(
      members.map((memberId, i) =>
        ledgers[i % PROCESSES]!.execute(
          new ExecuteMemberCommand(purchase({ memberId, transactionId: `tx-${memberId}`, amountMinor: 1000, program }), {
            kind: 'purchase',
            id: `tx-${memberId}`,
          }),
        ),
      ),
    );
    const basePoints = 10 * CONCURRENT_PURCHASES;
    expect(replies.reduce((sum, r) => sum + r.result.pointsAccrued, 0)).toBe(basePoints + 2 * BUDGET_POINTS);
    expect(await awardedIn(members, 'rule:five')).toBe(BUDGET_POINTS);
    expect(await awardedIn(members, 'offer:five-offer')).toBe(BUDGET_POINTS);
    const reserved = (await store.readStream(budgetStreamId('rule:five'))).map((e) => Number(e.data.points));
    expect(reserved).toEqual([5, 5, 5, 5]);
  });

  it('reuses its reservation when the purchase is retried after the member append failed, and reserves nothing more', async () => {
    const budgeted = {
      ...program,
      policy: { ...program.policy, offers: [], earning: { ...program.policy.earning, rules: [{ ...rule, ruleId: 'retry' }] } },
    };
    const ledger = new MemberLedger(store);
    await ledger.execute(new ExecuteMemberCommand(enrol({ memberId: 'crash', program: budgeted })));
    const command = purchase({ memberId: 'crash', transactionId: 'tx-crash', amountMinor: 1000, program: budgeted });
    const append = store.append.bind(store);
    store.append = async (streamId, events, expected) => {
      if (streamId === memberStreamId('crash')) throw new Error('crashed before the member append');
      return append(streamId, events, expected);
    };
    await expect(ledger.execute(new ExecuteMemberCommand(command))).rejects.toThrow('crashed');
    store.append = append;
    const reply = await ledger.execute(new ExecuteMemberCommand(command));
    expect(reply.result.pointsAccrued).toBe(15);
    expect((await store.readStream(budgetStreamId('rule:retry'))).map((e) => e.data)).toEqual([
      expect.objectContaining({ transactionId: 'tx-crash', memberId: 'crash', points: 5, budget: BUDGET_POINTS }),
    ]);
    expect(await awardedIn(['crash'], 'rule:retry')).toBe(5);
  });
});
