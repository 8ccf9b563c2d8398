import { KEYS, PROGRAM, startTestLedger, TestLedger } from '../support/ledger';

/** The HTTP contract of docs/http-api.md, driven as a client would, against the real app and Postgres. */
describe('ledger API (HTTP, end to end)', () => {
  let t: TestLedger;

  beforeAll(async () => {
    t = await startTestLedger('e2e');
    expect((await t.call('PUT', '/v1/program', PROGRAM)).status).toBe(201);
  });
  afterAll(async () => t.close());

  async function enrol(memberId: string) {
    const response = await t.call('POST', '/v1/members', { memberId, type: 'individual', name: 'Ada', email: 'ada@example.com' });
    expect(response.status).toBe(201);
    return response.body;
  }

  async function storedEventCount(): Promise<number> {
    let count = 0;
    let after: bigint | undefined;
    for (;;) {
      const page = await t.ledger.store.readAll({ after, maxCount: 1000 });
      if (page.length === 0) return count;
      count += page.length;
      after = page[page.length - 1]!.position;
    }
  }

  describe('program', () => {
    it('returns the configuration with its version, and records no version for an identical PUT', async () => {
      const current = await t.call('GET', '/v1/program');
      expect(current.status).toBe(200);
      expect(current.body).toMatchObject({
        version: 1,
        currency: 'EUR',
        tiers: PROGRAM.tiers,
        earning: { categoryMultipliers: { coffee: 2 } },
      });
      const again = await t.call('PUT', '/v1/program', PROGRAM);
      expect(again.status).toBe(200);
      expect(again.body.version).toBe(1);
    });

    it('refuses tiers that do not start at zero spend', async () => {
      const bad = { ...PROGRAM, tiers: [{ name: 'gold', minSpendMinor: 5, multiplier: 1 }] };
      const response = await t.call('PUT', '/v1/program', bad);
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('INVALID_PROGRAM');
    });

    it('refuses a multiplier with more than four decimals', async () => {
      const bad = { ...PROGRAM, tiers: [{ name: 'silver', minSpendMinor: 0, multiplier: 1.00001 }] };
      expect((await t.call('PUT', '/v1/program', bad)).body.error.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('enrol, buy, redeem, read', () => {
    it('walks a member through the ledger and reads it back at the written position', async () => {
      const enrolled = await enrol('walk-1');
      // Log positions depend on what the store and earlier tests wrote, not on the rules: only their use below is pinned.
      expect(enrolled).toEqual({ memberId: 'walk-1', position: expect.any(Number) });

      const purchase = await t.call('POST', '/v1/purchases', {
        transactionId: 'walk-tx-1',
        memberId: 'walk-1',
        amountMinor: 4250,
        currency: 'EUR',
        items: [{ sku: 'latte', category: 'coffee', quantity: 1, unitPriceMinor: 450 }],
      });
      expect(purchase.status).toBe(201);
      // 450 coffee at 2x + 3800 at 1x = 4700 weighted -> 47 points
      expect(purchase.body).toEqual({ transactionId: 'walk-tx-1', pointsAccrued: 47, pendingUntil: null, position: expect.any(Number) });

      const redemption = await t.call('POST', '/v1/redemptions', { redemptionId: 'walk-r-1', memberId: 'walk-1', points: 120 });
      expect(redemption.status).toBe(201);
      expect(redemption.body).toEqual({ redemptionId: 'walk-r-1', pointsRedeemed: 120, position: expect.any(Number) });

      const balance = await t.call('GET', `/v1/members/walk-1/balance?minPosition=${redemption.body.position}`);
      expect(balance.status).toBe(200);
      expect(balance.body).toEqual({
        memberId: 'walk-1',
        available: 27,
        pending: 0,
        lifetimeEarned: 147,
        redeemed: 120,
        expired: 0,
        clawedBack: 0,
        adjusted: 0,
        transferredIn: 0,
        transferredOut: 0,
        debt: 0,
        tier: 'silver',
        // Nothing was written after the redemption, so the read models stand exactly there.
        asOfPosition: redemption.body.position,
      });

      const ledger = await t.call('GET', '/v1/members/walk-1/ledger?limit=2');
      expect(ledger.body.entries.map((e: { type: string; points: number; reference: string }) => [e.type, e.points, e.reference])).toEqual([
        ['redemption', -120, 'walk-r-1'],
        ['accrual:purchase', 47, 'walk-tx-1'],
      ]);
      const next = await t.call('GET', `/v1/members/walk-1/ledger?limit=2&cursor=${ledger.body.nextCursor}`);
      expect(next.body.entries.map((e: { type: string }) => e.type)).toEqual(['accrual:welcome']);
      expect(next.body.nextCursor).toBeNull();

      const profile = await t.call('GET', '/v1/members/walk-1');
      expect(profile.body).toMatchObject({ memberId: 'walk-1', type: 'individual', tier: 'silver' });
      // Enrolled and redeemed today, no birth date given, one purchase of 42.50.
      expect([...profile.body.segments].sort()).toEqual(['active-redeemers', 'b2c', 'new-members']);
    });

    it('redeems a catalogue reward and refuses more than the balance with INSUFFICIENT_POINTS', async () => {
      await enrol('walk-2');
      await t.call('POST', '/v1/purchases', { transactionId: 'walk-tx-2', memberId: 'walk-2', amountMinor: 20_000, currency: 'EUR' });
      const reward = await t.call('POST', '/v1/redemptions', { redemptionId: 'walk-r-2', memberId: 'walk-2', rewardId: 'free-coffee' });
      expect(reward.status).toBe(201);
      expect(reward.body.pointsRedeemed).toBe(250);
      const before = await storedEventCount();
      const tooMuch = await t.call('POST', '/v1/redemptions', { redemptionId: 'walk-r-3', memberId: 'walk-2', points: 51 });
      expect(tooMuch.status).toBe(422);
      expect(tooMuch.body.error).toMatchObject({ code: 'INSUFFICIENT_POINTS', details: { requested: 51, available: 50 } });
      expect(await storedEventCount()).toBe(before);
    });
  });

  describe('idempotency', () => {
    it('returns the original result with 200 for a repeat, and 409 for the same id with another body', async () => {
      await enrol('idem-1');
      const body = { transactionId: 'idem-tx', memberId: 'idem-1', amountMinor: 1000, currency: 'EUR' };
      const first = await t.call('POST', '/v1/purchases', body);
      const repeat = await t.call('POST', '/v1/purchases', {
        currency: 'EUR',
        amountMinor: 1000,
        memberId: 'idem-1',
        transactionId: 'idem-tx',
      });
      expect(first.status).toBe(201);
      expect(repeat.status).toBe(200);
      expect(repeat.body).toEqual(first.body);
      const conflict = await t.call('POST', '/v1/purchases', { ...body, amountMinor: 2000 });
      expect(conflict.status).toBe(409);
      expect(conflict.body.error.code).toBe('IDEMPOTENCY_CONFLICT');
    });

    it('refuses a transaction id already used by another member', async () => {
      await enrol('idem-2');
      await enrol('idem-3');
      await t.call('POST', '/v1/purchases', { transactionId: 'shared-tx', memberId: 'idem-2', amountMinor: 1000, currency: 'EUR' });
      const other = await t.call('POST', '/v1/purchases', {
        transactionId: 'shared-tx',
        memberId: 'idem-3',
        amountMinor: 1000,
        currency: 'EUR',
      });
      expect(other.status).toBe(409);
    });

    it('answers a repeated enrolment with 200 and a different one with 409', async () => {
      const body = { memberId: 'idem-4', type: 'business' };
      expect((await t.call('POST', '/v1/members', body)).status).toBe(201);
      expect((await t.call('POST', '/v1/members', body)).status).toBe(200);
      expect((await t.call('POST', '/v1/members', { ...body, type: 'individual' })).status).toBe(409);
    });

    it('turns 40 concurrent purchases for one member, each sent again 10 times, into exactly 40 accruals', async () => {
      await enrol('burst-1');
      const bodies = Array.from({ length: 40 }, (_, i) => ({
        transactionId: `burst-tx-${i}`,
        memberId: 'burst-1',
        amountMinor: 1000 + i,
        currency: 'EUR',
      }));
      const first = await Promise.all(bodies.map((b) => t.call('POST', '/v1/purchases', b)));
      expect(first.map((r) => r.status).every((s) => s === 201)).toBe(true);
      const repeats = await Promise.all(bodies.flatMap((b) => Array.from({ length: 10 }, () => t.call('POST', '/v1/purchases', b))));
      expect(repeats.every((r) => r.status === 200)).toBe(true);

      const stream = await t.ledger.store.readStream('member-burst-1');
      const accruals = stream.filter((e) => e.type === 'PointsAccrued' && e.data.source === 'purchase');
      expect(accruals).toHaveLength(40);
      expect(new Set(accruals.map((e) => e.data.reference)).size).toBe(40);
      const expectedPoints = bodies.reduce((sum, b) => sum + Math.floor(b.amountMinor / 100), 0);
      const lastPosition = Math.max(...first.map((r) => r.body.position));
      const balance = await t.call('GET', `/v1/members/burst-1/balance?minPosition=${lastPosition}`);
      expect(balance.body.available).toBe(100 + expectedPoints);
    }, 60_000);
  });

  describe('bad input never causes a 5xx or a write', () => {
    const valid = { transactionId: 'bad-tx', memberId: 'bad-1', amountMinor: 1000, currency: 'EUR' };
    const cases: Array<[string, { body?: unknown; raw?: string }, number, string]> = [
      ['malformed JSON', { raw: '{"transactionId": ' }, 400, 'MALFORMED_JSON'],
      ['a string for money', { body: { ...valid, amountMinor: '1000' } }, 400, 'VALIDATION_FAILED'],
      ['a float for money', { body: { ...valid, amountMinor: 10.5 } }, 400, 'VALIDATION_FAILED'],
      ['negative money', { body: { ...valid, amountMinor: -1 } }, 400, 'VALIDATION_FAILED'],
      ['an unknown field', { body: { ...valid, discount: 5 } }, 400, 'VALIDATION_FAILED'],
      ['a bad id', { body: { ...valid, transactionId: 'has spaces/and slashes' } }, 400, 'VALIDATION_FAILED'],
      ['a too long id', { body: { ...valid, transactionId: 'x'.repeat(129) } }, 400, 'VALIDATION_FAILED'],
      ['a lower-case currency', { body: { ...valid, currency: 'eur' } }, 400, 'VALIDATION_FAILED'],
      ['an array body', { body: [valid] }, 400, 'VALIDATION_FAILED'],
      ['a null body', { raw: 'null' }, 400, 'VALIDATION_FAILED'],
      ['a timestamp without offset', { body: { ...valid, occurredAt: '2026-01-01T10:00:00' } }, 400, 'VALIDATION_FAILED'],
      ['a future occurredAt', { body: { ...valid, occurredAt: '2999-01-01T00:00:00Z' } }, 400, 'OCCURRED_AT_IN_FUTURE'],
      ['an unknown member', { body: { ...valid, memberId: 'nobody' } }, 404, 'MEMBER_NOT_FOUND'],
      ['another currency', { body: { ...valid, currency: 'USD' } }, 422, 'CURRENCY_MISMATCH'],
      ['a nested item float', { body: { ...valid, items: [{ sku: 'a', quantity: 1, unitPriceMinor: 1.5 }] } }, 400, 'VALIDATION_FAILED'],
      ['an oversized body', { body: { ...valid, storeId: 'x'.repeat(70 * 1024) } }, 413, 'BODY_TOO_LARGE'],
    ];

    beforeAll(async () => enrol('bad-1'));

    it.each(cases)('refuses %s', async (_name, request, status, code) => {
      const before = await storedEventCount();
      const response = await t.call('POST', '/v1/purchases', request.body, { raw: request.raw });
      expect(response.status).toBe(status);
      expect(response.body.error.code).toBe(code);
      expect(JSON.stringify(response.body)).not.toMatch(/at .*\.(ts|js):\d+/);
      expect(await storedEventCount()).toBe(before);
    });

    it('refuses unknown members on reads with 404 and bad path ids with 400', async () => {
      expect((await t.call('GET', '/v1/members/nobody/balance')).status).toBe(404);
      expect((await t.call('GET', `/v1/members/${'y'.repeat(129)}/balance`)).body.error.code).toBe('INVALID_ID');
      expect((await t.call('GET', '/v1/members/bad-1/ledger?limit=0')).body.error.code).toBe('INVALID_LIMIT');
      expect((await t.call('GET', '/v1/members/bad-1/ledger?cursor=%%%')).status).toBe(400);
    });

    it('answers 503 with Retry-After when the read models cannot reach minPosition in time', async () => {
      const response = await t.call('GET', `/v1/members/bad-1/balance?minPosition=${Number.MAX_SAFE_INTEGER}`);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(response.body.error.code).toBe('READ_MODEL_BEHIND');
    }, 15_000);
  });

  describe('auth', () => {
    it('needs a key (401), a known key (401) and the right role (403)', async () => {
      expect((await t.call('GET', '/v1/program', undefined, { key: null })).status).toBe(401);
      expect((await t.call('GET', '/v1/program', undefined, { key: 'wrong-key-123' })).status).toBe(401);
      expect((await t.call('PUT', '/v1/program', PROGRAM, { key: KEYS.pos })).status).toBe(403);
      expect((await t.call('POST', '/v1/purchases', {}, { key: KEYS.analyst })).status).toBe(403);
      expect((await t.call('GET', '/v1/program', undefined, { key: KEYS.auditor })).status).toBe(200);
    });
  });

  describe('operations', () => {
    it('serves health without a key and OpenAPI at /docs', async () => {
      expect((await t.call('GET', '/health/live', undefined, { key: null })).status).toBe(200);
      const ready = await t.call('GET', '/health/ready', undefined, { key: null });
      expect(ready.body).toMatchObject({ status: 'ready', checks: { eventStore: 'up', readDatabase: 'up' } });
      const docs = await t.call('GET', '/docs/json', undefined, { key: null });
      expect(docs.status).toBe(200);
      expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/v1/purchases', '/v1/members/{memberId}/balance']));
    });
  });
});
