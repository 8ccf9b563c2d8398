import { KEYS, PROGRAM, startTestLedger, TestLedger } from '../support/ledger';

/** Instants that are not real, not in range, or not unambiguous; each must be refused before anything is written. */
const BAD_INSTANTS = [
  '0000-01-01T00:00:00Z',
  '1969-12-31T23:59:59Z',
  '1970-01-01T00:30:00+01:00',
  '2026-02-30T00:00:00Z',
  '2025-02-29T00:00:00Z',
  '2026-13-01T00:00:00Z',
  '2026-00-10T00:00:00Z',
  '2026-04-31T00:00:00Z',
  '2026-01-01T24:00:00Z',
  '2026-01-01T23:60:00Z',
  '2026-01-01T23:59:60Z',
  '2026-01-01T00:00:00',
  '2026-01-01T00:00:00+24:00',
  '2026-01-01T00:00:00+02:60',
  '2026-01-01',
  '10000-01-01T00:00:00Z',
  '+002026-01-01T00:00:00Z',
  '2026-01-01t00:00:00z',
];

const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

/** `depth` levels of the same container around an empty one, built as text so no recursion is needed to make it. */
const nested = (open: string, close: string, depth: number, inner = '') => open.repeat(depth) + inner + close.repeat(depth);

/** Configured names that every plain object also has as inherited members. */
const EDGE_PROGRAM = {
  ...PROGRAM,
  earning: {
    ...PROGRAM.earning,
    welcomeBonus: 0,
    categoryMultipliers: { coffee: 2, constructor: 3, toString: 4, prototype: 5 },
    actionBonuses: { review: 50, hasOwnProperty: 7, constructor: 9 },
    actionCaps: { constructor: { maxPerPeriod: 1, periodDays: 30 } },
  },
  rewards: [
    { rewardId: 'free-coffee', points: 250 },
    { rewardId: 'valueOf', points: 10 },
  ],
};

describe('input at the edges: instants, names and shapes', () => {
  let t: TestLedger;
  const pos = { key: KEYS.pos };

  beforeAll(async () => {
    t = await startTestLedger('input-edge');
    await t.call('PUT', '/v1/program', EDGE_PROGRAM);
    await t.call('POST', '/v1/members', { memberId: 'edge-1', type: 'individual' }, pos);
  });
  afterAll(async () => t.close());

  async function eventCount(): Promise<number> {
    let count = 0;
    let after: bigint | undefined;
    for (;;) {
      const page = await t.ledger.store.readAll({ after, maxCount: 5000 });
      if (page.length === 0) return count;
      count += page.length;
      after = page[page.length - 1]!.position;
    }
  }

  function expectFieldRefused(
    response: { status: number; body: { error: { code: string; details: { fields: Array<{ field: string }> } } } },
    field: string,
  ) {
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
    expect(response.body.error.details.fields.map((f) => f.field)).toContain(field);
  }

  describe('instants', () => {
    it.each(BAD_INSTANTS)('refuses occurredAt %s on purchases, enrolments and actions, writing nothing', async (instant) => {
      const before = await eventCount();
      const writes: Array<[string, Record<string, unknown>]> = [
        ['/v1/purchases', { transactionId: 'edge-tx-bad', memberId: 'edge-1', amountMinor: 100, currency: 'EUR' }],
        ['/v1/members', { memberId: 'edge-bad', type: 'individual' }],
        ['/v1/members/edge-1/actions', { actionId: 'edge-act-bad', type: 'review' }],
        ['/v1/redemptions', { redemptionId: 'edge-rd-bad', memberId: 'edge-1', points: 1 }],
        ['/v1/members/edge-1/transfers', { transferId: 'edge-tr-bad', toMemberId: 'edge-1', points: 1 }],
      ];
      for (const [path, body] of writes)
        expectFieldRefused(await t.call('POST', path, { ...body, occurredAt: instant }, pos), 'occurredAt');
      expect(await eventCount()).toBe(before);
    });

    it.each(BAD_INSTANTS)('refuses asOf %s on the expiry job and the audit', async (instant) => {
      expectFieldRefused(await t.call('POST', '/v1/admin/jobs/expire', { asOf: instant }), 'asOf');
      const audit = await t.call('GET', `/v1/audit/liability?asOf=${encodeURIComponent(instant)}`);
      expect(audit.status).toBe(400);
      expect(audit.body.error).toMatchObject({ code: 'INVALID_INSTANT', details: { parameter: 'asOf' } });
      const period = await t.call('GET', `/v1/audit/roll-forward?from=${encodeURIComponent(instant)}&to=2026-01-01T00:00:00Z`);
      expect(period.body.error).toMatchObject({ code: 'INVALID_INSTANT', details: { parameter: 'from' } });
    });

    it('refuses offer and experiment windows that are not real instants', async () => {
      const offer = { offerId: 'o-bad', startsAt: '2026-02-30T00:00:00Z', endsAt: '2026-03-01T00:00:00Z', bonusPoints: 5 };
      expectFieldRefused(await t.call('PUT', '/v1/program', { ...PROGRAM, offers: [offer] }), 'offers.0.startsAt');
      const experiment = {
        experimentId: 'e-bad',
        startsAt: '2026-01-01T00:00:00Z',
        endsAt: '0000-01-01T00:00:00Z',
        variants: [{ name: 'a', weightPercent: 100, pointsPerUnit: 1 }],
      };
      expectFieldRefused(await t.call('PUT', '/v1/program', { ...PROGRAM, experiments: [experiment] }), 'experiments.0.endsAt');
    });

    it('accepts real edge instants and records them as the same instant in UTC', async () => {
      for (const [id, occurredAt, recorded] of [
        ['edge-leap', '2024-02-29T23:59:59.999Z', '2024-02-29T23:59:59.999Z'],
        ['edge-epoch', '1970-01-01T00:00:00Z', '1970-01-01T00:00:00.000Z'],
        ['edge-offset', '2025-03-01T01:30:00+02:00', '2025-02-28T23:30:00.000Z'],
      ] as const) {
        const response = await t.call(
          'POST',
          '/v1/purchases',
          { transactionId: id, memberId: 'edge-1', amountMinor: 100, currency: 'EUR', occurredAt },
          pos,
        );
        expect(response.status).toBe(201);
        const events = await t.ledger.store.readStream('member-edge-1');
        expect(events.find((e) => e.type === 'PurchaseRecorded' && e.data.transactionId === id)?.data.occurredAt).toBe(recorded);
      }
    });

    it('takes a null occurredAt, asOf or experiment end as absent', async () => {
      const purchase = { transactionId: 'edge-null', memberId: 'edge-1', amountMinor: 100, currency: 'EUR', occurredAt: null };
      expect((await t.call('POST', '/v1/purchases', purchase, pos)).status).toBe(201);
      expect((await t.call('POST', '/v1/admin/jobs/expire', { asOf: null })).status).toBe(200);
      const experiment = {
        experimentId: 'e-open',
        startsAt: '2020-01-01T00:00:00Z',
        endsAt: null,
        variants: [
          { name: 'a', weightPercent: 50, pointsPerUnit: 1 },
          { name: 'b', weightPercent: 50, pointsPerUnit: 2 },
        ],
      };
      const configured = await t.call('PUT', '/v1/program', { ...EDGE_PROGRAM, experiments: [experiment] });
      expect(configured.status).toBe(201);
      expect((await t.call('GET', '/v1/program')).body.experiments).toMatchObject([{ experimentId: 'e-open', endsAt: null }]);
      expect((await t.call('PUT', '/v1/program', EDGE_PROGRAM)).status).toBe(201);
    });

    it('refuses a future occurredAt as before (OCCURRED_AT_IN_FUTURE)', async () => {
      const occurredAt = new Date(t.clock.now().getTime() + 1).toISOString();
      const response = await t.call(
        'POST',
        '/v1/purchases',
        { transactionId: 'edge-future', memberId: 'edge-1', amountMinor: 100, currency: 'EUR', occurredAt },
        pos,
      );
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('OCCURRED_AT_IN_FUTURE');
    });

    it.each(['2026-02-30', '1899-12-31', '1990-1-01', '1990-01-01T00:00:00Z', '9999-12-31'])('refuses birthDate %s', async (birthDate) => {
      expectFieldRefused(await t.call('POST', '/v1/members', { memberId: 'edge-born', type: 'individual', birthDate }, pos), 'birthDate');
    });

    it('accepts a birth date on 29 February of a leap year', async () => {
      const response = await t.call('POST', '/v1/members', { memberId: 'edge-leapling', type: 'individual', birthDate: '2000-02-29' }, pos);
      expect(response.status).toBe(201);
    });

    it.each(['2026-01-01garbage', '2026-02-30', '1969-12-31', '2026-01-01T00:00:00Z'])('refuses the KPI date %s', async (from) => {
      const response = await t.call('GET', `/v1/kpis?from=${encodeURIComponent(from)}&to=2026-02-01`);
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ code: 'INVALID_DATE', details: { from } });
    });
  });

  describe('names are data', () => {
    it.each(PROTOTYPE_NAMES)('earns the right points for a basket line whose category and SKU are %s', async (name) => {
      const multiplier: Record<string, number> = { constructor: 3, toString: 4 };
      const response = await t.call(
        'POST',
        '/v1/purchases',
        {
          transactionId: `edge-name-${name}`,
          memberId: 'edge-1',
          amountMinor: 1000,
          currency: 'EUR',
          items: [{ sku: name, category: name, quantity: 1, unitPriceMinor: 1000 }],
        },
        pos,
      );
      expect(response.status).toBe(201);
      expect(response.body.pointsAccrued).toBe(10 * (Object.hasOwn(multiplier, name) ? multiplier[name]! : 1));
    });

    it('keeps configured names such as constructor and toString in the program it serves back', async () => {
      const { body } = await t.call('GET', '/v1/program');
      expect(body.earning.categoryMultipliers).toEqual({ coffee: 2, constructor: 3, toString: 4, prototype: 5 });
      expect(body.earning.actionBonuses).toEqual({ review: 50, hasOwnProperty: 7, constructor: 9 });
      expect(body.earning.actionCaps).toEqual({ constructor: { maxPerPeriod: 1, periodDays: 30 } });
    });

    it('awards configured actions named like prototype members, within their caps', async () => {
      const first = await t.call('POST', '/v1/members/edge-1/actions', { actionId: 'edge-a1', type: 'constructor' }, pos);
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ pointsAwarded: 9, capReached: false });
      const second = await t.call('POST', '/v1/members/edge-1/actions', { actionId: 'edge-a2', type: 'constructor' }, pos);
      expect(second.body).toMatchObject({ pointsAwarded: 0, capReached: true });
      const other = await t.call('POST', '/v1/members/edge-1/actions', { actionId: 'edge-a3', type: 'hasOwnProperty' }, pos);
      expect(other.body).toMatchObject({ pointsAwarded: 7, capReached: false });
    });

    it.each(['toString', 'valueOf', '__proto__', 'dance'])(
      'refuses the unconfigured action type %s with 422 UNKNOWN_ACTION',
      async (type) => {
        const before = await eventCount();
        const response = await t.call('POST', '/v1/members/edge-1/actions', { actionId: `edge-unknown-${type}`, type }, pos);
        expect(response.status).toBe(422);
        expect(response.body.error.code).toBe('UNKNOWN_ACTION');
        expect(await eventCount()).toBe(before);
      },
    );

    it('refuses a segment criterion whose type is a prototype name as invalid criteria, not a crash', async () => {
      for (const type of PROTOTYPE_NAMES.filter((n) => n !== '__proto__')) {
        const response = await t.call('PUT', '/v1/segments/edge-proto', { criteria: { type } });
        expect(response.status).toBe(400);
        expect(response.body.error.code).toBe('INVALID_SEGMENT_CRITERIA');
      }
    });

    it('redeems a reward named valueOf for its own points, and refuses one named toString', async () => {
      const redeemed = await t.call('POST', '/v1/redemptions', { redemptionId: 'edge-rd-1', memberId: 'edge-1', rewardId: 'valueOf' }, pos);
      expect(redeemed.status).toBe(201);
      expect(redeemed.body.pointsRedeemed).toBe(10);
      const unknown = await t.call('POST', '/v1/redemptions', { redemptionId: 'edge-rd-2', memberId: 'edge-1', rewardId: 'toString' }, pos);
      expect(unknown.status).toBe(422);
      expect(unknown.body.error).toMatchObject({ code: 'UNKNOWN_REWARD', details: { rewardId: 'toString' } });
    });
  });

  describe('shapes are checked before they are transformed', () => {
    const purchase = { transactionId: 'edge-shape', memberId: 'edge-1', amountMinor: 100, currency: 'EUR' };

    it.each([
      ['an array as a basket line', '[[]]'],
      ['arrays nested 10 deep as a basket line', nested('[', ']', 10)],
      ['null as a basket line', '[null]'],
      ['a string as a basket line', '["latte"]'],
    ])('refuses %s with 400', async (_what, items) => {
      const before = await eventCount();
      const raw = JSON.stringify(purchase).replace(/}$/, `,"items":${items}}`);
      expectFieldRefused(await t.call('POST', '/v1/purchases', undefined, { ...pos, raw }), 'items');
      expect(await eventCount()).toBe(before);
    });

    it('refuses an array where the program expects an object', async () => {
      const response = await t.call('PUT', '/v1/program', { ...PROGRAM, earning: { ...PROGRAM.earning, referralBonus: [[]] } });
      expectFieldRefused(response, 'earning.referralBonus');
      const tiers = await t.call('PUT', '/v1/program', { ...PROGRAM, tiers: [[{ name: 'x', minSpendMinor: 0, multiplier: 1 }]] });
      expectFieldRefused(tiers, 'tiers');
    });

    it.each([
      ['objects nested 5,000 deep', nested('{"a":', '}', 5000, '0')],
      ['arrays nested 5,000 deep', nested('[', ']', 5000)],
      ['objects nested 33 deep (the body and 32 more)', nested('{"a":', '}', 32, '0')],
    ])('refuses a body with %s as BODY_TOO_DEEP', async (_what, deep) => {
      const raw = JSON.stringify(purchase).replace(/}$/, `,"extra":${deep}}`);
      const response = await t.call('POST', '/v1/purchases', undefined, { ...pos, raw });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ code: 'BODY_TOO_DEEP', details: { depthMax: 32 } });
    });

    it('lets a body exactly JSON_DEPTH_MAX deep through to validation', async () => {
      const raw = JSON.stringify(purchase).replace(/}$/, `,"extra":${nested('{"a":', '}', 31, '0')}}`);
      expectFieldRefused(await t.call('POST', '/v1/purchases', undefined, { ...pos, raw }), 'extra');
    });

    it('accepts a body nested up to the limit (a segment criteria tree)', async () => {
      const leaf = { type: 'purchaseCount', min: 1 };
      let criteria: Record<string, unknown> = leaf;
      for (let i = 0; i < 5; i++) criteria = { type: 'all', of: [criteria] };
      const response = await t.call('PUT', '/v1/segments/edge-deep', { criteria });
      expect(response.status).toBe(201);
    });
  });
});
