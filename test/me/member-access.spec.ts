import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { DAY_MS, TEST_NOW } from '../support/clock';
import { KEYS, PROGRAM, startTestLedger, TestLedger } from '../support/ledger';
import { asMember, identityProvider, IdentityProvider, memberToken, OWN_KEYS, ownFormatToken, ownKeysEnv, tampered } from './support';

const TOKEN_TTL_SECONDS = 600;

const program = {
  ...PROGRAM,
  rewards: [
    { rewardId: 'free-coffee', points: 250 },
    { rewardId: 'cookie', points: 100 },
    { rewardId: 'gold-lounge', points: 50, tiers: ['gold'] },
    { rewardId: 'two-off', points: 20, kind: 'amountOff', valueMinor: 200, validDays: 10 },
    { rewardId: 'last-mug', points: 10, stock: 1 },
  ],
  offers: [
    { offerId: 'june-bonus', startsAt: '2026-05-01T00:00:00Z', endsAt: '2026-07-01T00:00:00Z', bonusPoints: 20 },
    { offerId: 'tea-lovers', startsAt: '2026-05-01T00:00:00Z', endsAt: '2026-07-01T00:00:00Z', bonusPoints: 20, boughtCategories: ['tea'] },
    { offerId: 'last-year', startsAt: '2025-05-01T00:00:00Z', endsAt: '2025-07-01T00:00:00Z', bonusPoints: 20 },
  ],
};

/** Members' own access over HTTP: sessions, every /v1/me route, and each way a token can be refused. */
describe('members reach their own program with member tokens', () => {
  let t: TestLedger;
  let idp: IdentityProvider;
  let token: string;
  let position = -1;

  const write = async (path: string, body: unknown) => {
    const r = await t.call('POST', path, body);
    expect(r.status).toBe(201);
    position = Math.max(position, r.body.position);
  };

  beforeAll(async () => {
    idp = await identityProvider();
    t = await startTestLedger('me', { ...ownKeysEnv(), ...idp.env, MEMBER_TOKEN_TTL_SECONDS: String(TOKEN_TTL_SECONDS) });
    expect((await t.call('PUT', '/v1/program', program)).status).toBe(201);
    await write('/v1/members', { memberId: 'm-1', type: 'individual', name: 'Ada', email: 'ada@example.test' });
    await write('/v1/members', { memberId: 'm-2', type: 'individual', name: 'Grace' });
    // 42.50 EUR with a latte at 2x: 47 points, and the june-bonus offer adds 20.
    const items = [{ sku: 'latte', category: 'coffee', quantity: 1, unitPriceMinor: 450 }];
    await write('/v1/purchases', { transactionId: 'tx-1', memberId: 'm-1', amountMinor: 4250, currency: 'EUR', items });
    await t.caughtUp(position);
    token = await memberToken(t, 'm-1');
  });
  afterAll(async () => t?.close());

  describe('sessions', () => {
    it('mints a token for an enrolled member that expires after the configured time, signed under the current key', async () => {
      const session = await t.call('POST', '/v1/members/m-1/sessions', undefined, { key: KEYS.pos });
      expect(session.status).toBe(201);
      expect(session.body.expiresAt).toBe(new Date(Date.parse(TEST_NOW) + TOKEN_TTL_SECONDS * 1000).toISOString());
      const header = JSON.parse(Buffer.from(session.body.token.split('.')[0], 'base64url').toString('utf8'));
      expect(header).toEqual({ alg: 'HS256', kid: OWN_KEYS.current.kid, typ: 'JWT' });
    });

    it('refuses a member that does not exist, without minting', async () => {
      const response = await t.call('POST', '/v1/members/nobody/sessions');
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('MEMBER_NOT_FOUND');
    });
  });

  describe('routes', () => {
    it('shows the member its profile, balance and ledger', async () => {
      const me = await asMember(t, token, 'GET', '/v1/me');
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ memberId: 'm-1', name: 'Ada', tier: 'silver' });
      const balance = await asMember(t, token, 'GET', '/v1/me/balance');
      expect(balance.body).toMatchObject({ memberId: 'm-1', available: 100 + 47 + 20, pending: 0 });
      const ledger = await asMember(t, token, 'GET', `/v1/me/ledger?limit=1&minPosition=${position}`);
      expect(ledger.body.entries).toHaveLength(1);
      expect(ledger.body.nextCursor).not.toBeNull();
    });

    it('shows tier progress: the tier held, the next one and the spend still to go', async () => {
      const tier = await asMember(t, token, 'GET', '/v1/me/tier');
      expect(tier.body).toMatchObject({
        memberId: 'm-1',
        current: 'silver',
        next: 'gold',
        qualifyingValue: 4250,
        remaining: 100000 - 4250,
      });
    });

    it('shows each reward as a redemption would judge it: eligible, affordable, the points to go and the stock left', async () => {
      const standing = (rewardId: string, kind: string, points: number, o: Record<string, unknown> = {}) => ({
        rewardId,
        kind,
        points,
        eligible: true,
        refusal: null,
        affordable: true,
        pointsToGo: 0,
        stockRemaining: null,
        ...o,
      });
      const mine = async () => (await asMember(t, token, 'GET', '/v1/me/rewards')).body.rewards;
      expect(await mine()).toEqual([
        standing('free-coffee', 'points', 250, { affordable: false, pointsToGo: 250 - 167 }),
        standing('cookie', 'points', 100),
        standing('gold-lounge', 'points', 50, { eligible: false, refusal: 'REWARD_NOT_ELIGIBLE' }),
        standing('two-off', 'amountOff', 20),
        standing('last-mug', 'points', 10, { stockRemaining: 1 }),
      ]);
      const refused = await asMember(t, token, 'POST', '/v1/me/redemptions', { redemptionId: 'me-rd-lounge', rewardId: 'gold-lounge' });
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('REWARD_NOT_ELIGIBLE');

      expect((await t.call('POST', '/v1/redemptions', { redemptionId: 'm2-mug', memberId: 'm-2', rewardId: 'last-mug' })).status).toBe(201);
      expect((await mine())[4]).toEqual(
        standing('last-mug', 'points', 10, { eligible: false, refusal: 'REWARD_OUT_OF_STOCK', stockRemaining: 0 }),
      );
      const soldOut = await asMember(t, token, 'POST', '/v1/me/redemptions', { redemptionId: 'me-rd-mug', rewardId: 'last-mug' });
      expect(soldOut.body.error.code).toBe('REWARD_OUT_OF_STOCK');
    });

    it('lists the offers running now whose conditions the member meets', async () => {
      const offers = await asMember(t, token, 'GET', '/v1/me/offers');
      expect(offers.body.offers.map((o: { offerId: string }) => o.offerId)).toEqual(['june-bonus']);
    });

    it('tells which points expire within the days asked, and when', async () => {
      const expiresAt = new Date(Date.parse(TEST_NOW) + 365 * DAY_MS).toISOString();
      const soon = await asMember(t, token, 'GET', '/v1/me/expiring?withinDays=30');
      expect(soon.body).toMatchObject({ memberId: 'm-1', withinDays: 30, points: 0, expiring: [] });
      const year = await asMember(t, token, 'GET', '/v1/me/expiring?withinDays=366');
      expect(year.body.points).toBe(167);
      expect(year.body.expiring).toEqual([{ expiresAt, points: 167 }]);
      const bad = await asMember(t, token, 'GET', '/v1/me/expiring?withinDays=0');
      expect(bad.status).toBe(400);
    });

    it('redeems for the token’s member only, idempotently', async () => {
      const body = { redemptionId: 'me-rd-1', rewardId: 'cookie' };
      const first = await asMember(t, token, 'POST', '/v1/me/redemptions', body);
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ redemptionId: 'me-rd-1', pointsRedeemed: 100 });
      expect((await asMember(t, token, 'POST', '/v1/me/redemptions', body)).status).toBe(200);
      await t.caughtUp(first.body.position);
      expect((await t.call('GET', '/v1/members/m-1/balance')).body.available).toBe(67);
      expect((await t.call('GET', '/v1/members/m-2/balance')).body.available).toBe(100 - 10);
      const memberIdInBody = await asMember(t, token, 'POST', '/v1/me/redemptions', {
        redemptionId: 'me-rd-2',
        points: 1,
        memberId: 'm-2',
      });
      expect(memberIdInBody.status).toBe(400);
    });
    it('sells a coupon reward to the member and lists the member’s coupons, the code ready to read out at a till', async () => {
      const sold = await asMember(t, token, 'POST', '/v1/me/redemptions', { redemptionId: 'me-rd-coupon', rewardId: 'two-off' });
      expect(sold.status).toBe(201);
      expect(sold.body.coupon).toMatchObject({ rewardId: 'two-off', kind: 'amountOff', valueMinor: 200 });
      await t.caughtUp(sold.body.position);
      const coupons = await asMember(t, token, 'GET', '/v1/me/coupons');
      expect(coupons.body).toEqual({
        memberId: 'm-1',
        coupons: [
          {
            code: sold.body.coupon.code,
            rewardId: 'two-off',
            kind: 'amountOff',
            valueMinor: 200,
            percent: null,
            sku: null,
            status: 'active',
            expiresAt: new Date(Date.parse(TEST_NOW) + 10 * DAY_MS).toISOString(),
          },
        ],
      });
      const others = await memberToken(t, 'm-2');
      expect((await asMember(t, others, 'GET', '/v1/me/coupons')).body).toEqual({ memberId: 'm-2', coupons: [] });
    });
  });

  describe('refusals', () => {
    const refusal = async (bearer: string | null, path = '/v1/me/balance') => {
      const headers: Record<string, string> = bearer === null ? {} : { authorization: bearer };
      const response = await t.call('GET', path, undefined, { key: null, headers });
      return { status: response.status, code: response.body?.error?.code as string, body: JSON.stringify(response.body) };
    };

    it('answers 401 MEMBER_TOKEN_MISSING without a bearer token, and ignores API keys on member routes', async () => {
      expect(await refusal(null)).toMatchObject({ status: 401, code: 'MEMBER_TOKEN_MISSING' });
      const withKey = await t.call('GET', '/v1/me/balance', undefined, { key: KEYS.admin });
      expect(withKey.status).toBe(401);
    });

    it('answers 401 MEMBER_TOKEN_EXPIRED once the token has expired', async () => {
      const soonExpired = await memberToken(t, 'm-1');
      t.clock.advance(TOKEN_TTL_SECONDS * 1000);
      try {
        expect(await refusal(`Bearer ${soonExpired}`)).toMatchObject({ status: 401, code: 'MEMBER_TOKEN_EXPIRED' });
      } finally {
        t.clock.set(TEST_NOW);
      }
      expect((await refusal(`Bearer ${soonExpired}`)).status).toBe(200);
    });

    it('answers 401 MEMBER_TOKEN_INVALID to a tampered token, a wrong signer, an unknown key id or a foreign issuer, revealing nothing', async () => {
      const now = t.clock.now();
      const forged = await ownFormatToken('m-2', OWN_KEYS.current.kid, randomBytes(32), now);
      const unknownKid = await ownFormatToken('m-1', 'k0', OWN_KEYS.current.secret, now);
      const otherIssuer = await idp.sign({ sub: 'm-2', iss: 'https://evil.example.test/' }, now);
      const otherAudience = await idp.sign({ sub: 'm-2', aud: 'another-app' }, now);
      for (const bad of [tampered(token, 'm-2'), forged, unknownKid, otherIssuer, otherAudience, 'not.a.token']) {
        const answer = await refusal(`Bearer ${bad}`);
        expect(answer).toMatchObject({ status: 401, code: 'MEMBER_TOKEN_INVALID' });
        expect(answer.body).not.toContain('m-2');
        expect(answer.body).not.toContain('Grace');
      }
    });

    it('keeps accepting tokens signed under the previous key, so a key rotates in and out without downtime', async () => {
      const previous = await ownFormatToken('m-2', OWN_KEYS.previous.kid, OWN_KEYS.previous.secret, t.clock.now());
      const balance = await asMember(t, previous, 'GET', '/v1/me/balance');
      expect(balance.status).toBe(200);
      expect(balance.body.memberId).toBe('m-2');
    });

    it('accepts the identity provider’s tokens with the member in sub, and refuses an HMAC token claiming its issuer', async () => {
      const fromIdp = await idp.sign({ sub: 'm-2' }, t.clock.now());
      const me = await asMember(t, fromIdp, 'GET', '/v1/me');
      expect(me.status).toBe(200);
      expect(me.body.memberId).toBe('m-2');
      const noSubject = await idp.sign({}, t.clock.now());
      expect(await refusal(`Bearer ${noSubject}`)).toMatchObject({ status: 401, code: 'MEMBER_TOKEN_INVALID' });
      const confused = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256', kid: 'idp-1' })
        .setIssuer(idp.env.MEMBER_IDP_ISSUER!)
        .setAudience(idp.env.MEMBER_IDP_AUDIENCE!)
        .setSubject('m-2')
        .setExpirationTime('5m')
        .sign(randomBytes(32));
      expect(await refusal(`Bearer ${confused}`)).toMatchObject({ status: 401, code: 'MEMBER_TOKEN_INVALID' });
    });

    it('gives a member token nothing on operator routes', async () => {
      for (const path of ['/v1/members/m-1/balance', '/v1/members/m-2', '/v1/program', '/v1/audit/liability']) {
        const response = await t.call('GET', path, undefined, { key: null, headers: { authorization: `Bearer ${token}` } });
        expect(response.status).toBe(401);
        expect(JSON.stringify(response.body)).not.toMatch(/Ada|Grace|available/);
      }
    });
  });
});
