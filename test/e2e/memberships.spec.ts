import { settlementCandidates } from '../../apps/ledger-api/src/jobs/settlement-candidates';
import { ProgramStore } from '../../apps/ledger-api/src/ledger/program-store';
import { KEYS, PROGRAM, startTestLedger, TestLedger } from '../support/ledger';

/** Prime-like: an annual plan ($139) and a monthly one ($14.99) with a 30-day trial, both doubling purchase points. */
const PAID = {
  ...PROGRAM,
  currency: 'USD',
  plans: [
    { planId: 'annual', feeMinor: 13_900, period: 'year', benefits: { multiplier: 2 } },
    { planId: 'monthly', feeMinor: 1499, period: 'month', trialDays: 30, benefits: { multiplier: 2 } },
  ],
};
const NOW = '2028-01-01T00:00:00.000Z';

describe('paid memberships over HTTP', () => {
  let t: TestLedger;

  beforeAll(async () => {
    t = await startTestLedger('memberships');
    t.clock.set(NOW);
  });
  afterAll(async () => t.close());

  async function write(path: string, body: unknown, status = 201) {
    const response = await t.call('POST', path, body, { key: KEYS.pos });
    expect({ status: response.status, body: response.body }).toMatchObject({ status });
    return response.body;
  }

  it('takes plans with the program, refuses bad ones, and returns them', async () => {
    const bad = await t.call('PUT', '/v1/program', { ...PAID, plans: [PAID.plans[0], PAID.plans[0]] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_PROGRAM');
    expect((await t.call('PUT', '/v1/program', PAID)).status).toBe(201);
    expect((await t.call('GET', '/v1/program')).body.plans).toEqual([
      { planId: 'annual', feeMinor: 13_900, period: 'year', trialDays: 0, benefits: { multiplier: 2 } },
      { planId: 'monthly', feeMinor: 1499, period: 'month', trialDays: 30, benefits: { multiplier: 2 } },
    ]);
  });

  it('starts a trial and an annual plan, extends by payments, cancels keeping the period, idempotent by id', async () => {
    await write('/v1/members', { memberId: 'ann', type: 'individual', occurredAt: '2026-01-01T00:00:00Z' });
    await write('/v1/members', { memberId: 'mo', type: 'individual', occurredAt: '2026-01-01T00:00:00Z' });
    const annual = { membershipId: 'ms-ann', planId: 'annual', occurredAt: '2026-01-01T00:00:00Z' };
    expect(await write('/v1/members/ann/memberships', annual)).toMatchObject({
      membershipId: 'ms-ann',
      status: 'active',
      currentPeriodEnd: '2027-01-01T00:00:00.000Z',
    });
    await write('/v1/members/ann/memberships', annual, 200);
    expect((await t.call('POST', '/v1/members/ann/memberships', { ...annual, planId: 'monthly' })).status).toBe(409);
    await write('/v1/members/ann/memberships/ms-ann/payments', {
      paymentId: 'pa-1',
      amountMinor: 13_900,
      occurredAt: '2026-01-01T00:00:00Z',
    });

    const monthly = { membershipId: 'ms-mo', planId: 'monthly', occurredAt: '2026-01-01T00:00:00Z' };
    expect(await write('/v1/members/mo/memberships', monthly)).toMatchObject({
      status: 'trial',
      currentPeriodEnd: '2026-01-31T00:00:00.000Z',
    });
    const pay = { paymentId: 'pm-1', amountMinor: 1499, occurredAt: '2026-01-30T00:00:00Z' };
    expect(await write('/v1/members/mo/memberships/ms-mo/payments', pay)).toMatchObject({ currentPeriodEnd: '2026-02-28T00:00:00.000Z' });
    await write('/v1/members/mo/memberships/ms-mo/payments', pay, 200);
    expect((await t.call('POST', '/v1/members/mo/memberships/ms-mo/payments', { ...pay, amountMinor: 1 }, { key: KEYS.pos })).status).toBe(
      409,
    );
    expect(await write('/v1/members/mo/memberships/ms-mo/cancellation', { occurredAt: '2026-02-10T00:00:00Z' })).toMatchObject({
      benefitsUntil: '2026-02-28T00:00:00.000Z',
    });
    const refused = await t.call(
      'POST',
      '/v1/members/mo/memberships/ms-mo/payments',
      { paymentId: 'pm-2', amountMinor: 1499, occurredAt: '2026-02-20T00:00:00Z' },
      { key: KEYS.pos },
    );
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('MEMBERSHIP_CANCELLED');
  });

  it('doubles purchase points while the membership holds, and only then', async () => {
    const buy = (transactionId: string, occurredAt: string) =>
      write('/v1/purchases', { transactionId, memberId: 'mo', amountMinor: 1000, currency: 'USD', occurredAt });
    expect((await buy('mo-1', '2026-02-15T00:00:00Z')).pointsAccrued).toBe(20);
    expect((await buy('mo-2', '2026-03-15T00:00:00Z')).pointsAccrued).toBe(10);
  });

  it('reports membership fees as deferred and recognised revenue, evenly over each paid period, at any instant', async () => {
    const revenue = async (asOf: string) =>
      (await t.call('GET', `/v1/audit/memberships?asOf=${asOf}`, undefined, { key: KEYS.auditor })).body;
    // Annual: 13,900 over the 365 days from 1 January 2026; monthly: 1,499 over the 28 days from 31 January (after the trial).
    expect(await revenue('2026-01-15T00:00:00Z')).toMatchObject({
      asOf: '2026-01-15T00:00:00.000Z',
      recognisedRevenueMinor: 533, // floor(13,900 * 14 / 365); the monthly fee is not paid yet
      deferredRevenueMinor: 13_367,
      activeMemberships: 2,
    });
    expect(await revenue('2026-02-14T00:00:00Z')).toMatchObject({
      recognisedRevenueMinor: 1675 + 749, // floor(13,900 * 44 / 365) + floor(1,499 * 14 / 28)
      deferredRevenueMinor: 15_399 - 2424,
      activeMemberships: 2,
    });
    expect(await revenue('2026-03-01T00:00:00Z')).toMatchObject({
      recognisedRevenueMinor: 2246 + 1499, // the cancelled monthly one ended on 28 February, fully recognised
      deferredRevenueMinor: 15_399 - 3745,
      activeMemberships: 1,
    });
    expect(await revenue('2027-01-01T00:00:00Z')).toMatchObject({
      recognisedRevenueMinor: 15_399,
      deferredRevenueMinor: 0,
      activeMemberships: 0,
    });
    const first = await revenue('2026-02-14T00:00:00Z');
    expect(await revenue(`2026-02-14T00:00:00Z&atPosition=${first.lastPosition}`)).toEqual(first);
  });

  it('lapses a period that ended in the daily job, and the member is no longer due', async () => {
    const last = await write('/v1/purchases', {
      transactionId: 'ann-1',
      memberId: 'ann',
      amountMinor: 100,
      currency: 'USD',
      occurredAt: '2026-02-01T00:00:00Z',
    });
    await t.caughtUp(Number(last.position));
    const { policy } = await t.ledger.app.get(ProgramStore).inForce();
    const due = () => settlementCandidates(t.ledger.readModels, policy, '2026-03-01T00:00:00.000Z', '', 100);
    expect(await due()).toEqual(['mo']);
    const job = await t.call('POST', `/v1/admin/jobs/expire?minPosition=${last.position}`, { asOf: '2026-03-01T00:00:00Z' });
    expect(job.body).toMatchObject({ membersChecked: 1, membersChanged: 1 });
    await t.caughtUp(Number(job.body.position));
    expect(await due()).toEqual([]);
  });
});

/** A plan that grants gold while active, and a reward reserved to its members. */
const CLUB = {
  ...PROGRAM,
  plans: [
    { planId: 'gold-club', feeMinor: 999, period: 'month', trialDays: 30, benefits: { multiplier: 2, tier: 'gold' } },
    { planId: 'annual', feeMinor: 13_900, period: 'year', benefits: {} },
  ],
  rewards: [
    { rewardId: 'free-coffee', points: 250 },
    { rewardId: 'members-lounge', points: 20, plans: ['gold-club'] },
    { rewardId: 'gold-mug', points: 20, tiers: ['gold'] },
  ],
};

describe('membership benefits over HTTP: a tier, reserved rewards, and what GET member shows', () => {
  let t: TestLedger;

  beforeAll(async () => {
    t = await startTestLedger('membership-benefits');
    t.clock.set('2026-03-10T00:00:00.000Z');
  });
  afterAll(async () => t.close());

  async function write(path: string, body: unknown, status = 201) {
    const response = await t.call('POST', path, body, { key: KEYS.pos });
    expect({ status: response.status, body: response.body }).toMatchObject({ status });
    return response.body;
  }
  const redeem = (memberId: string, rewardId: string, occurredAt: string) =>
    t.call(
      'POST',
      '/v1/redemptions',
      { redemptionId: `r-${memberId}-${rewardId}-${occurredAt}`, memberId, rewardId, occurredAt },
      { key: KEYS.pos },
    );
  async function profile(position: number) {
    await t.caughtUp(position);
    const { tier, memberships, benefits } = (await t.call('GET', '/v1/members/g', undefined, { key: KEYS.pos })).body;
    return { tier, memberships, benefits };
  }

  it('refuses a plan tier and reward plans the program does not have, and returns both as written', async () => {
    const bad = await t.call('PUT', '/v1/program', {
      ...CLUB,
      plans: [{ ...CLUB.plans[0], benefits: { tier: 'diamond' } }],
      rewards: [{ rewardId: 'lounge', points: 20, plans: ['nope'] }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.problems).toEqual([
      "reward lounge: plan nope is not one of the program's plans",
      "plan gold-club: benefits.tier diamond is not one of the program's tiers",
    ]);
    expect((await t.call('PUT', '/v1/program', CLUB)).status).toBe(201);
    const written = (await t.call('GET', '/v1/program')).body;
    expect(written.plans[0].benefits).toEqual({ multiplier: 2, tier: 'gold' });
    expect(written.rewards[1]).toEqual({ rewardId: 'members-lounge', points: 20, plans: ['gold-club'] });
  });

  it('while the membership is active the member earns and redeems at its tier, and GET member shows it', async () => {
    await write('/v1/members', { memberId: 'g', type: 'individual', occurredAt: '2026-03-01T00:00:00Z' });
    await write('/v1/members', { memberId: 'n', type: 'individual', occurredAt: '2026-03-01T00:00:00Z' });
    await write('/v1/members/g/memberships', { membershipId: 'ms-g', planId: 'gold-club', occurredAt: '2026-03-01T00:00:00Z' });
    const bought = await write('/v1/purchases', {
      transactionId: 'g-1',
      memberId: 'g',
      amountMinor: 1000,
      currency: 'EUR',
      occurredAt: '2026-03-05T00:00:00Z',
    });
    expect(bought.pointsAccrued).toBe(30); // 10 base, x1.5 at gold, x2 for the membership
    expect((await redeem('g', 'members-lounge', '2026-03-06T00:00:00Z')).status).toBe(201);
    const mug = await redeem('g', 'gold-mug', '2026-03-06T00:00:00Z');
    expect(mug.status).toBe(201);
    const outsider = await redeem('n', 'members-lounge', '2026-03-06T00:00:00Z');
    expect(outsider.status).toBe(422);
    expect(outsider.body.error).toMatchObject({ code: 'REWARD_NOT_ELIGIBLE', details: { plans: ['gold-club'] } });
    expect(await profile(Number(mug.body.position))).toEqual({
      tier: 'gold',
      memberships: [{ membershipId: 'ms-g', planId: 'gold-club', status: 'trial', currentPeriodEnd: '2026-03-31T00:00:00.000Z' }],
      benefits: { multiplier: 2, tier: 'gold', rewardIds: ['members-lounge'] },
    });
    expect((await t.call('GET', '/v1/members/g/balance', undefined, { key: KEYS.pos })).body.tier).toBe('gold');
    expect((await t.call('GET', '/v1/members/n/balance', undefined, { key: KEYS.pos })).body.tier).toBe('silver');
  });

  it('once the period ends unpaid the member is back on the qualified tier', async () => {
    t.clock.set('2026-04-15T00:00:00.000Z');
    const bought = await write('/v1/purchases', {
      transactionId: 'g-2',
      memberId: 'g',
      amountMinor: 1000,
      currency: 'EUR',
      occurredAt: '2026-04-10T00:00:00Z',
    });
    expect(bought.pointsAccrued).toBe(10);
    const mug = await redeem('g', 'gold-mug', '2026-04-10T00:00:00Z');
    expect(mug.body.error).toMatchObject({ code: 'REWARD_NOT_ELIGIBLE', details: { tier: 'silver' } });
    expect(await profile(Number(bought.position))).toEqual({
      tier: 'silver',
      memberships: [],
      benefits: { multiplier: 1, tier: null, rewardIds: [] },
    });
    expect((await t.call('GET', '/v1/members/g/balance', undefined, { key: KEYS.pos })).body.tier).toBe('silver');
  });
});
