import { Pool } from 'pg';
import { memberStreamId } from '@loyalty/domain';
import { PostgresEventStore } from '@loyalty/event-store';
import { programInForce } from '../../../../libs/domain/src/testing/fixtures';
import { enrol, purchase, redeem } from '../../../../libs/domain/src/testing/member-commands';
import { createTestDatabase } from '../../../../test/support/postgres';
import { ExecuteMemberCommand } from '../ledger/execute-member.command';
import { MemberLedger } from '../ledger/member-ledger';
import { newCouponCode } from './coupon-codes';

const RACERS = 6;
/** Separate write paths, as separate processes would be: their in-process locks do not see each other. */
const PROCESSES = 3;

describe('one coupon, purchases racing for it from several processes', () => {
  let pool: Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    pool = new Pool({ connectionString: await createTestDatabase('coupon_race'), max: 8 });
    store = await PostgresEventStore.open(pool);
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
  });

  it('lets exactly one use it: the member stream’s optimistic concurrency decides the others again, and they are refused', async () => {
    const program = programInForce({ rewards: [{ rewardId: 'two-off', points: 50, kind: 'amountOff', valueMinor: 200 }] });
    const ledgers = Array.from({ length: PROCESSES }, () => new MemberLedger(store));
    await ledgers[0]!.execute(new ExecuteMemberCommand(enrol({ program })));
    const code = newCouponCode();
    const sold = redeem({ points: null, rewardId: 'two-off', couponCode: code, program });
    await ledgers[0]!.execute(new ExecuteMemberCommand(sold, { kind: 'redemption', id: sold.redemptionId }));
    expect(await ledgers[1]!.claimant('coupon', code)).toBe('m1');

    const items = [{ sku: 'latte', quantity: 1, unitPriceMinor: 1000 }];
    const outcomes = await Promise.allSettled(
      Array.from({ length: RACERS }, (_, i) =>
        ledgers[i % PROCESSES]!.execute(
          new ExecuteMemberCommand(
            purchase({ transactionId: `race-${i}`, requestHash: `h-race-${i}`, amountMinor: 800, items, couponCodes: [code], program }),
            { kind: 'purchase', id: `race-${i}` },
          ),
        ),
      ),
    );

    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes)
      if (o.status === 'rejected') expect(o.reason).toMatchObject({ code: 'COUPON_NOT_ACTIVE', details: { status: 'used' } });
    const stream = await store.readStream(memberStreamId('m1'));
    expect(stream.filter((e) => e.type === 'CouponUsed')).toHaveLength(1);
    expect(stream.filter((e) => e.type === 'PurchaseRecorded')).toHaveLength(1);
  });
});
