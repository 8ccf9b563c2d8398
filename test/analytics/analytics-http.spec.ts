import { variantOf } from '@loyalty/domain';
import { TEST_NOW, TestClock } from '../support/clock';
import { KEYS, PROGRAM, startTestLedger, TestLedger } from '../support/ledger';

/** Built before the ledger so the program's windows below are fixed relative to its "now". */
const clock = new TestClock();
const dayStart = (daysAgo: number) => clock.dayStart(daysAgo);
const at = (daysAgo: number, hour = 10) => new Date(dayStart(daysAgo).getTime() + hour * 3_600_000).toISOString();
const date = (daysAgo: number) => dayStart(daysAgo).toISOString().slice(0, 10);

const experiment = {
  experimentId: 'earn-rate',
  startsAt: at(30, 0),
  variants: [
    { name: 'base', weightPercent: 50, pointsPerUnit: 1 },
    { name: 'double', weightPercent: 50, pointsPerUnit: 2 },
  ],
};

/** Segments, KPIs, experiments and offers through HTTP, as an analyst and an admin would use them. */
describe('analytics over HTTP', () => {
  let t: TestLedger;
  let position = -1;
  const analyst = { key: KEYS.analyst };

  beforeAll(async () => {
    t = await startTestLedger('analytics_http', {}, clock);
    const program = {
      ...PROGRAM,
      offers: [
        {
          offerId: 'coffee-bonus',
          startsAt: at(30, 0),
          endsAt: at(-30, 0),
          bonusPoints: 40,
          boughtCategories: ['coffee'],
          pointsBudget: 50,
        },
      ],
      experiments: [experiment],
    };
    expect((await t.call('PUT', '/v1/program', program)).status).toBe(201);
    const write = async (path: string, body: unknown) => {
      const r = await t.call('POST', path, body);
      expect(r.status).toBe(201);
      position = Math.max(position, r.body.position);
      return r.body;
    };
    await write('/v1/members', { memberId: 'ana', type: 'individual', birthDate: '1990-05-01', occurredAt: at(20) });
    await write('/v1/members', { memberId: 'bob', type: 'business', occurredAt: at(20) });
    await write('/v1/members', { memberId: 'cyd', type: 'individual', occurredAt: at(19) });
    const coffee = [{ sku: 'latte', category: 'coffee', quantity: 1, unitPriceMinor: 400 }];
    await write('/v1/purchases', {
      transactionId: 'a1',
      memberId: 'ana',
      amountMinor: 12_000,
      currency: 'EUR',
      items: coffee,
      occurredAt: at(10),
    });
    await write('/v1/purchases', { transactionId: 'a2', memberId: 'ana', amountMinor: 8_000, currency: 'EUR', occurredAt: at(10, 12) });
    await write('/v1/purchases', {
      transactionId: 'b1',
      memberId: 'bob',
      amountMinor: 5_000,
      currency: 'EUR',
      items: coffee,
      occurredAt: at(9),
    });
    await write('/v1/purchases', { transactionId: 'b2', memberId: 'bob', amountMinor: 5_000, currency: 'EUR', occurredAt: at(8) });
    await write('/v1/redemptions', { redemptionId: 'r1', memberId: 'ana', points: 50, occurredAt: at(5) });
  });
  afterAll(async () => t.close());

  it('lists segments with sizes and definitions to analysts and admins only', async () => {
    const r = await t.call('GET', `/v1/segments?minPosition=${position}`, undefined, analyst);
    expect(r.status).toBe(200);
    const size = (name: string) => r.body.segments.find((s: { name: string }) => s.name === name)?.memberCount;
    expect({
      b2b: size('b2b'),
      b2c: size('b2c'),
      newMembers: size('new-members'),
      redeemers: size('active-redeemers'),
      age: size('age-35-44'),
    }).toEqual({
      b2b: 1,
      b2c: 2,
      newMembers: 3,
      redeemers: 1,
      age: 1,
    });
    expect(r.body.segments.find((s: { name: string }) => s.name === 'loyal')).toMatchObject({
      kind: 'builtin',
      definition: { type: 'purchaseCount', min: 4 },
    });
    expect(r.body.thresholds).toMatchObject({ dormantDays: 180 });
    expect(r.body.evaluatedAsOf).toBe(at(5));
    expect((await t.call('GET', '/v1/segments', undefined, { key: KEYS.pos })).status).toBe(403);
    expect((await t.call('GET', '/v1/segments', undefined, { key: null })).status).toBe(401);
  });

  it('defines custom segments (idempotently, with stable error codes) and pages their members', async () => {
    const criteria = {
      type: 'any',
      of: [
        { type: 'bought', categories: ['coffee'] },
        { type: 'memberType', memberType: 'business' },
      ],
    };
    const created = await t.call('PUT', '/v1/segments/coffee-or-b2b', { description: 'coffee buyers or businesses', criteria });
    expect(created.status).toBe(201);
    expect((await t.call('PUT', '/v1/segments/coffee-or-b2b', { description: 'coffee buyers or businesses', criteria })).status).toBe(200);
    const bad = await t.call('PUT', '/v1/segments/bad', { criteria: { type: 'purchaseCount', min: -1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({
      code: 'INVALID_SEGMENT_CRITERIA',
      details: { problems: ['criteria.min must be an integer from 0 to 1000000'] },
    });
    expect((await t.call('PUT', '/v1/segments/loyal', { criteria })).body.error.code).toBe('SEGMENT_NAME_RESERVED');
    expect((await t.call('PUT', '/v1/segments/x', { criteria }, analyst)).status).toBe(403);
    expect((await t.call('PUT', '/v1/segments/x', { criteria, extra: 1 })).body.error.code).toBe('VALIDATION_FAILED');

    const first = await t.call(
      'GET',
      `/v1/segments/coffee-or-b2b/members?limit=1&minPosition=${created.body.position}`,
      undefined,
      analyst,
    );
    // The definition is dated now and moves the segment clock there: every member matching it enters at that instant.
    expect(first.body.members).toEqual([{ memberId: 'ana', enteredAt: TEST_NOW }]);
    const second = await t.call('GET', `/v1/segments/coffee-or-b2b/members?limit=1&cursor=${first.body.nextCursor}`, undefined, analyst);
    expect(second.body).toMatchObject({ members: [{ memberId: 'bob' }], nextCursor: null });
    expect((await t.call('GET', '/v1/segments/nope/members', undefined, analyst)).body.error.code).toBe('SEGMENT_NOT_FOUND');
    expect((await t.call('GET', '/v1/segments/b2b/members?cursor=zz', undefined, analyst)).body.error.code).toBe('INVALID_CURSOR');

    const removed = await t.call('DELETE', '/v1/segments/coffee-or-b2b');
    expect(removed.status).toBe(200);
    expect((await t.call('DELETE', '/v1/segments/coffee-or-b2b')).body.error.code).toBe('SEGMENT_NOT_FOUND');
    const after = await t.call('GET', `/v1/segments?minPosition=${removed.body.position}`, undefined, analyst);
    expect(after.body.segments.map((s: { name: string }) => s.name)).not.toContain('coffee-or-b2b');
  });

  it('reports KPIs per day and month from integer counts', async () => {
    const r = await t.call('GET', `/v1/kpis?from=${date(21)}&to=${date(-1)}&granularity=day&minPosition=${position}`, undefined, analyst);
    expect(r.status).toBe(200);
    const bucket = (daysAgo: number) => r.body.buckets.find((b: { start: string }) => b.start === date(daysAgo));
    expect(r.body.buckets).toHaveLength(22);
    expect(bucket(20)).toMatchObject({ enrolments: 2, pointsIssued: 200, outstandingPoints: 200, liabilityMinor: 200 });
    expect(bucket(10)).toMatchObject({
      purchases: 2,
      revenueMinor: 20_000,
      averageBasketMinor: 10_000,
      activeMembers: 1,
      repeatPurchaseRate: 1,
    });
    expect(bucket(5)).toMatchObject({ pointsRedeemed: 50, activeMembers: 1, purchases: 0, repeatPurchaseRate: null });
    const total = r.body.buckets.reduce((s: number, b: { pointsIssued: number }) => s + b.pointsIssued, 0);
    expect(bucket(0).outstandingPoints).toBe(total - 50);
    expect(r.body.topMembers).toEqual([
      { memberId: 'ana', spendMinor: 20_000, purchases: 2 },
      { memberId: 'bob', spendMinor: 10_000, purchases: 2 },
    ]);

    const month = await t.call('GET', `/v1/kpis?from=${date(21)}&to=${date(-1)}&granularity=month`, undefined, analyst);
    const sum = (field: string) => month.body.buckets.reduce((s: number, b: Record<string, number>) => s + b[field]!, 0);
    expect({ purchases: sum('purchases'), revenue: sum('revenueMinor'), enrolments: sum('enrolments') }).toEqual({
      purchases: 4,
      revenue: 30_000,
      enrolments: 3,
    });
    expect(month.body.buckets[month.body.buckets.length - 1].outstandingPoints).toBe(bucket(0).outstandingPoints);

    expect((await t.call('GET', '/v1/kpis?granularity=year', undefined, analyst)).body.error.code).toBe('INVALID_GRANULARITY');
    expect((await t.call('GET', '/v1/kpis?from=2026-02-30', undefined, analyst)).body.error.code).toBe('INVALID_DATE');
    expect((await t.call('GET', '/v1/kpis?from=1970-01-01&to=2026-01-01', undefined, analyst)).body.error.code).toBe('RANGE_TOO_LARGE');
  });

  it('reports experiment results per variant, matching the variant each accrual recorded', async () => {
    const r = await t.call('GET', `/v1/experiments/earn-rate/results?minPosition=${position}`, undefined, analyst);
    expect(r.status).toBe(200);
    const members = ['ana', 'bob', 'cyd'];
    for (const v of r.body.variants) {
      const expected = members.filter((m) => variantOf(experiment, m).name === v.variant);
      expect(v.members).toBe(expected.length);
    }
    expect(r.body.variants.reduce((s: number, v: { revenueMinor: number }) => s + v.revenueMinor, 0)).toBe(30_000);
    const ledger = await t.call('GET', '/v1/members/ana/ledger', undefined, analyst);
    const accrual = ledger.body.entries.find(
      (e: { reference: string; type: string }) => e.reference === 'a2' && e.type === 'accrual:purchase',
    );
    expect(accrual.detail.ruleIds).toContain(`experiment:earn-rate:${variantOf(experiment, 'ana').name}`);
    expect((await t.call('GET', '/v1/experiments/nope/results', undefined, analyst)).body.error.code).toBe('EXPERIMENT_NOT_FOUND');
  });

  it('applies offers to members who bought the category before, never beyond the budget', async () => {
    const offers = await t.call('GET', '/v1/offers', undefined, analyst);
    // ana (a2) earned the 40-point bonus, bob (b2) the 10 left of the budget of 50 (before exact budgets: 80, an overspend of 30).
    expect(offers.body.offers[0]).toMatchObject({
      offerId: 'coffee-bonus',
      pointsAwarded: 50,
      awards: 2,
      members: 2,
      overspentPoints: 0,
      exhausted: true,
    });
    const after = await t.call('POST', '/v1/purchases', { transactionId: 'a3', memberId: 'ana', amountMinor: 1_000, currency: 'EUR' });
    const ledger = await t.call('GET', `/v1/members/ana/ledger?minPosition=${after.body.position}`, undefined, analyst);
    expect(ledger.body.entries.filter((e: { reference: string }) => e.reference === 'a3').map((e: { type: string }) => e.type)).toEqual([
      'accrual:purchase',
    ]);
    const program = await t.call('GET', '/v1/program', undefined, analyst);
    expect(program.body.offers[0]).toMatchObject({ offerId: 'coffee-bonus', bonusPoints: 40, multiplier: null });
  });
});
