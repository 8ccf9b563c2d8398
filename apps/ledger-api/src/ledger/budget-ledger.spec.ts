import { Pool } from 'pg';
import { budgetStreamId, ReservationRequest } from '@loyalty/domain';
import { PostgresEventStore, ReadStreamOptions } from '@loyalty/event-store';
import { createTestDatabase } from '../../../../test/support/postgres';
import { BudgetLedger } from './budget-ledger';

const request = (ruleKey: string, transactionId: string, points: number, budget: number): ReservationRequest => ({
  ruleKey,
  transactionId,
  memberId: `m-${transactionId}`,
  points,
  budget,
  occurredAt: '2026-06-01T12:00:00.000Z',
});

describe('budget ledger: reservations folded incrementally, never trusted past the stream', () => {
  let pool: Pool;
  let store: PostgresEventStore;
  /** Events each read of a budget stream returned. */
  let eventsRead: number[];

  beforeAll(async () => {
    pool = new Pool({ connectionString: await createTestDatabase('budget_ledger'), max: 4 });
    store = await PostgresEventStore.open(pool);
    const readStream = store.readStream.bind(store);
    store.readStream = async (streamId: string, options?: ReadStreamOptions) => {
      const read = await readStream(streamId, options);
      if (streamId.startsWith(budgetStreamId(''))) eventsRead.push(read.length);
      return read;
    };
  });
  beforeEach(() => (eventsRead = []));
  afterAll(async () => {
    await store.close();
    await pool.end();
  });

  it('reads only what the stream gained since its last reservation, however long the stream', async () => {
    const budgets = new BudgetLedger(store);
    for (let i = 0; i < 200; i++) expect(await budgets.reserve(request('rule:long', `t${i}`, 5, 1_000_000))).toBe(5);
    eventsRead = [];
    expect(await budgets.reserve(request('rule:long', 't-last', 5, 1_000_000))).toBe(5);
    // The kept revision's own event, to check the stream still holds it there, and nothing else.
    expect(eventsRead).toEqual([1]);
    expect((await budgets.load(budgetStreamId('rule:long'))).state.reservedPoints).toBe(201 * 5);
  });

  it('folds in what another process reserved, so together they never exceed the budget', async () => {
    const here = new BudgetLedger(store);
    const elsewhere = new BudgetLedger(store);
    expect(await here.reserve(request('rule:shared', 'a', 8, 20))).toBe(8);
    expect(await elsewhere.reserve(request('rule:shared', 'b', 8, 20))).toBe(8);
    expect(await here.reserve(request('rule:shared', 'c', 8, 20))).toBe(4);
    expect(await elsewhere.reserve(request('rule:shared', 'd', 8, 20))).toBe(0);
    expect((await here.load(budgetStreamId('rule:shared'))).state.reservedPoints).toBe(20);
  });

  it("answers a transaction's retry with the reservation it already holds, from either process", async () => {
    const here = new BudgetLedger(store);
    expect(await here.reserve(request('rule:retry', 'tx', 7, 10))).toBe(7);
    expect(await here.reserve(request('rule:retry', 'tx', 7, 10))).toBe(7);
    expect(await new BudgetLedger(store).reserve(request('rule:retry', 'tx', 7, 10))).toBe(7);
    expect((await store.readStream(budgetStreamId('rule:retry'))).length).toBe(1);
  });

  it('never exceeds the budget when 64 reservations race from four processes', async () => {
    const processes = Array.from({ length: 4 }, () => new BudgetLedger(store));
    const granted = await Promise.all(
      Array.from({ length: 64 }, (_, i) => processes[i % processes.length]!.reserve(request('rule:race', `r${i}`, 5, 42))),
    );
    expect(granted.reduce((sum, points) => sum + points, 0)).toBe(42);
    expect(granted.filter((points) => points > 0)).toHaveLength(9);
  });
});
