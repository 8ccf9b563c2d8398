import { PROGRAM, startTestLedger, TestLedger } from '../support/ledger';
import { asMember, memberToken } from './support';

const line = (sku: string, category: string, quantity: number, unitPriceMinor: number) => ({ sku, category, quantity, unitPriceMinor });

/** Preferences: the projector ranks what a member buys, by spend and by how often, for the member and for the operator. */
describe('member preferences', () => {
  let t: TestLedger;

  beforeAll(async () => {
    t = await startTestLedger('me_preferences');
    expect((await t.call('PUT', '/v1/program', PROGRAM)).status).toBe(201);
    expect((await t.call('POST', '/v1/members', { memberId: 'p-1', type: 'individual' })).status).toBe(201);
    const baskets = [
      [line('latte', 'coffee', 2, 450), line('croissant', 'bakery', 1, 300)],
      [line('latte', 'coffee', 1, 450)],
      [line('espresso', 'coffee', 1, 250), line('cake', 'bakery', 1, 2000)],
    ];
    let position = -1;
    for (const [i, items] of baskets.entries()) {
      const amountMinor = items.reduce((sum, l) => sum + l.quantity * l.unitPriceMinor, 0);
      const r = await t.call('POST', '/v1/purchases', { transactionId: `p-tx-${i}`, memberId: 'p-1', amountMinor, currency: 'EUR', items });
      expect(r.status).toBe(201);
      position = r.body.position;
    }
    await t.caughtUp(position);
  });
  afterAll(async () => t?.close());

  it('ranks categories and products by spend and by number of purchases, on /v1/me and on the operator profile', async () => {
    const token = await memberToken(t, 'p-1');
    const mine = (await asMember(t, token, 'GET', '/v1/me')).body.preferences;
    const operators = (await t.call('GET', '/v1/members/p-1')).body.preferences;
    expect(operators).toEqual(mine);
    const names = (list: Array<{ name: string }>) => list.map((p) => p.name);
    // bakery: 3.00 + 20.00 over 2 purchases; coffee: 9.00 + 4.50 + 2.50 over 3.
    expect(names(mine.categories.bySpend)).toEqual(['bakery', 'coffee']);
    expect(names(mine.categories.byFrequency)).toEqual(['coffee', 'bakery']);
    expect(mine.categories.bySpend[1]).toMatchObject({ name: 'coffee', spendMinor: 1600, purchases: 3, units: 4 });
    expect(names(mine.products.bySpend)).toEqual(['cake', 'latte', 'croissant', 'espresso']);
    expect(names(mine.products.byFrequency)).toEqual(['latte', 'cake', 'croissant', 'espresso']);
    expect(mine.products.byFrequency[0]).toMatchObject({ name: 'latte', spendMinor: 1350, purchases: 2, units: 3 });
  });
});
