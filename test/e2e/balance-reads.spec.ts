import { rebuildReadModels } from '../../apps/cli/src/projections-rebuild';
import { KEYS, PROGRAM, startTestLedger, TestLedger } from '../support/ledger';

/** More reads at once than the read models' pool holds connections, so every connection has prepared the statement. */
const CONCURRENT_READS = 24;
const MEMBERS = ['read-1', 'read-2', 'read-3'];

/**
 * A balance read is a statement each pooled connection prepares once. A
 * rebuild swaps the read-model schema under those connections: the
 * statements prepared before it must answer from the new tables, not fail.
 */
describe('balance reads as a prepared statement', () => {
  let t: TestLedger;

  beforeAll(async () => {
    t = await startTestLedger('balance-reads');
    expect((await t.call('PUT', '/v1/program', PROGRAM)).status).toBe(201);
    for (const memberId of MEMBERS) {
      expect((await t.call('POST', '/v1/members', { memberId, type: 'individual' }, { key: KEYS.pos })).status).toBe(201);
    }
  });
  afterAll(async () => t.close());

  const purchase = (memberId: string, transactionId: string) =>
    t.call('POST', '/v1/purchases', { transactionId, memberId, amountMinor: 1000, currency: 'EUR' }, { key: KEYS.pos });

  const readAll = () =>
    Promise.all(Array.from({ length: CONCURRENT_READS }, (_, i) => t.call('GET', `/v1/members/${MEMBERS[i % MEMBERS.length]}/balance`)));

  it('answers on every pooled connection, before and after a rebuild swaps the schema', async () => {
    const written = await purchase('read-1', 'tx-read-1');
    await t.caughtUp(written.body.position);
    const before = await readAll();
    expect(before.map((r) => r.status)).toEqual(Array(CONCURRENT_READS).fill(200));
    expect(before[0]!.body).toMatchObject({ memberId: 'read-1', available: 110, lifetimeEarned: 110 });

    await rebuildReadModels({ databaseUrl: t.databaseUrl, store: t.ledger.store });
    const again = await purchase('read-1', 'tx-read-2');
    await t.caughtUp(again.body.position);
    const after = await readAll();
    expect(after.map((r) => r.status)).toEqual(Array(CONCURRENT_READS).fill(200));
    expect(after[0]!.body).toMatchObject({ memberId: 'read-1', available: 120, lifetimeEarned: 120, asOfPosition: again.body.position });
    expect(after[1]!.body).toMatchObject({ memberId: 'read-2', available: 100 });
  });

  it('still answers 404 for a member nobody enrolled', async () => {
    const unknown = await t.call('GET', '/v1/members/nobody/balance');
    expect(unknown.status).toBe(404);
  });
});
