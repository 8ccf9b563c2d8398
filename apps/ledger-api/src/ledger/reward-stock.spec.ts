import { Pool } from 'pg';
import { DomainError, memberStreamId } from '@loyalty/domain';
import { PostgresEventStore } from '@loyalty/event-store';
import { programInForce } from '../../../../libs/domain/src/testing/fixtures';
import { enrol, redeem } from '../../../../libs/domain/src/testing/member-commands';
import { createTestDatabase } from '../../../../test/support/postgres';
import { ExecuteMemberCommand } from './execute-member.command';
import { MemberLedger } from './member-ledger';

const STOCK = 3;
const MEMBERS = 12;
/** Separate write paths, as separate processes would be: their in-process locks do not see each other. */
const PROCESSES = 3;

describe('reward stock under concurrent redemptions', () => {
  let pool: Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    pool = new Pool({ connectionString: await createTestDatabase('reward_stock'), max: 8 });
    store = await PostgresEventStore.open(pool);
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
  });

  it(`grants exactly ${STOCK} of ${MEMBERS} concurrent redemptions and refuses the rest with REWARD_OUT_OF_STOCK`, async () => {
    const program = programInForce({ rewards: [{ rewardId: 'mug', points: 10, stock: STOCK }] });
    const ledgers = Array.from({ length: PROCESSES }, () => new MemberLedger(store));
    const memberIds = Array.from({ length: MEMBERS }, (_, i) => `stock-${i}`);
    for (const memberId of memberIds) await ledgers[0]!.execute(new ExecuteMemberCommand(enrol({ memberId, program })));

    const outcomes = await Promise.allSettled(
      memberIds.map((memberId, i) =>
        ledgers[i % PROCESSES]!.execute(
          new ExecuteMemberCommand(redeem({ memberId, redemptionId: `mug-${memberId}`, points: null, rewardId: 'mug', program })),
        ),
      ),
    );

    const refusals = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(STOCK);
    expect(refusals).toHaveLength(MEMBERS - STOCK);
    for (const refusal of refusals)
      expect(refusal).toMatchObject({ code: 'REWARD_OUT_OF_STOCK', details: { rewardId: 'mug', stock: STOCK } });
    expect(refusals.every((r) => r instanceof DomainError)).toBe(true);
    const redeemed = await Promise.all(
      memberIds.map(async (id) => (await store.readStream(memberStreamId(id))).some((e) => e.type === 'PointsRedeemed')),
    );
    expect(redeemed.filter(Boolean)).toHaveLength(STOCK);
  });

  it('answers a repeated redemption as first recorded without spending another unit', async () => {
    const program = programInForce({ rewards: [{ rewardId: 'pen', points: 10, stock: 1 }] });
    const ledger = new MemberLedger(store);
    for (const memberId of ['repeat', 'late']) await ledger.execute(new ExecuteMemberCommand(enrol({ memberId, program })));
    const command = redeem({ memberId: 'repeat', redemptionId: 'pen-1', points: null, rewardId: 'pen', program });
    expect(await ledger.execute(new ExecuteMemberCommand(command))).toMatchObject({ created: true });
    expect(await ledger.execute(new ExecuteMemberCommand(command))).toMatchObject({ created: false });
    const late = redeem({ memberId: 'late', redemptionId: 'pen-2', points: null, rewardId: 'pen', program });
    await expect(ledger.execute(new ExecuteMemberCommand(late))).rejects.toMatchObject({ code: 'REWARD_OUT_OF_STOCK' });
  });
});
