import { Pool } from 'pg';
import { budgetStreamId, claimStreamId, MemberCommandOf, MemberCommandType, memberStreamId } from '@loyalty/domain';
import { PostgresEventStore } from '@loyalty/event-store';
import { programInForce } from '../../../../libs/domain/src/testing/fixtures';
import { enrol, purchase, redeem } from '../../../../libs/domain/src/testing/member-commands';
import { createTestDatabase } from '../../../../test/support/postgres';
import { ExecuteMemberCommand, GlobalIdClaim } from './execute-member.command';
import { MemberLedger } from './member-ledger';

describe('the member write path: decide, claim, append', () => {
  let pool: Pool;
  let store: PostgresEventStore;
  let ledger: MemberLedger;
  /** Every read and append the ledger makes, in order. */
  let calls: string[];
  /** A write by another process, landing on a stream just before the ledger's own append to it. */
  let interleaved: { streamId: string; write: () => Promise<unknown> } | undefined;

  beforeAll(async () => {
    pool = new Pool({ connectionString: await createTestDatabase('member_ledger'), max: 4 });
    store = await PostgresEventStore.open(pool);
    const readStream = store.readStream.bind(store);
    const append = store.append.bind(store);
    store.readStream = (streamId, options) => (calls.push(`read ${streamId}`), readStream(streamId, options));
    store.append = async (streamId, events, expected) => {
      const other = interleaved?.streamId === streamId ? interleaved : undefined;
      if (other) interleaved = undefined;
      await other?.write();
      calls.push(`append ${streamId}`);
      return append(streamId, events, expected);
    };
    ledger = new MemberLedger(store);
  });
  beforeEach(() => (calls = []));
  afterAll(async () => {
    await store.close();
    await pool.end();
  });

  const run = <T extends MemberCommandType>(command: MemberCommandOf<T>, claim?: GlobalIdClaim) =>
    ledger.execute(new ExecuteMemberCommand(command, claim));

  it('reads the member stream once, claims the id as new and appends at the revision it decided on', async () => {
    await run(enrol({ memberId: 'once' }));
    calls = [];
    const reply = await run(purchase({ memberId: 'once', transactionId: 'tx-once' }), { kind: 'purchase', id: 'tx-once' });
    expect(reply).toMatchObject({ created: true, result: { type: 'RecordPurchase', pointsAccrued: 19, pendingUntil: null } });
    expect(calls).toEqual(['read member-once', `append ${claimStreamId('purchase', 'tx-once')}`, 'append member-once']);
  });

  it('reserves a budgeted award on its budget stream between the claim and the member append', async () => {
    const base = programInForce();
    const rule = { ruleId: 'pinned', when: {}, effect: { bonusPoints: 5 }, cap: { totalPoints: 100 } };
    const program = programInForce({ earning: { ...base.policy.earning, rules: [rule] } });
    await run(enrol({ memberId: 'budgeted', program }));
    calls = [];
    const reply = await run(purchase({ memberId: 'budgeted', transactionId: 'tx-budgeted', program }), {
      kind: 'purchase',
      id: 'tx-budgeted',
    });
    expect(reply.result).toMatchObject({ pointsAccrued: 24 });
    expect(calls).toEqual([
      'read member-budgeted',
      `append ${claimStreamId('purchase', 'tx-budgeted')}`,
      `read ${budgetStreamId('rule:pinned')}`,
      `append ${budgetStreamId('rule:pinned')}`,
      'append member-budgeted',
    ]);
  });

  it('claims nothing for a request the domain refuses', async () => {
    await run(enrol({ memberId: 'refused' }));
    calls = [];
    const refused = run(purchase({ memberId: 'refused', transactionId: 'tx-refused', currency: 'USD' }), {
      kind: 'purchase',
      id: 'tx-refused',
    });
    await expect(refused).rejects.toMatchObject({ code: 'CURRENCY_MISMATCH' });
    expect(calls).toEqual(['read member-refused']);
    expect(await store.readStream(claimStreamId('purchase', 'tx-refused'))).toEqual([]);
  });

  it('answers a repeat with the first result read from the recorded events, claiming and appending nothing', async () => {
    await run(enrol({ memberId: 'again' }));
    const command = purchase({ memberId: 'again', transactionId: 'tx-again' });
    const first = await run(command, { kind: 'purchase', id: 'tx-again' });
    calls = [];
    const repeat = await run(command, { kind: 'purchase', id: 'tx-again' });
    expect(repeat).toEqual({ ...first, created: false });
    expect(calls).toEqual(['read member-again']);
  });

  it('decides again when another write lands between its read and its append, so it never spends points twice', async () => {
    await run(enrol({ memberId: 'race' }));
    const elsewhere = new MemberLedger(store);
    interleaved = {
      streamId: memberStreamId('race'),
      write: () => elsewhere.execute(new ExecuteMemberCommand(redeem({ memberId: 'race', redemptionId: 'r-first', points: 80 }))),
    };
    const late = run(redeem({ memberId: 'race', redemptionId: 'r-late', points: 80 }));
    await expect(late).rejects.toMatchObject({ code: 'INSUFFICIENT_POINTS' });
    const redeemed = (await store.readStream(memberStreamId('race'))).filter((e) => e.type === 'PointsRedeemed');
    expect(redeemed.map((e) => e.data.redemptionId)).toEqual(['r-first']);
  });
});
