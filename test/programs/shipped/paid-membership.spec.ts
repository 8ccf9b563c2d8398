import { KEYS } from '../../support/ledger';
import { readExample, ScriptedLedger, startScriptedLedger } from './support';

/**
 * A scripted year of a paid membership on examples/programs/paid-membership.json, every number worked out by hand from
 * the file (examples/programs/README.md): 1 point per $1, doubled while a membership holds (its 30-day trial included,
 * and after a cancellation until the paid period ends); an annual plan at $139 and a monthly one at $14.99; a $10 off
 * reward for members only; fees are revenue recognised evenly over the period they pay for, never points; points
 * expire 12 months after earning.
 */
const PROGRAM = readExample('paid-membership.json');

describe('paid membership: a scripted member year', () => {
  let s: ScriptedLedger;
  const buy = (transactionId: string, amountMinor: number, occurredAt: string) =>
    s.at(occurredAt, '/v1/purchases', { transactionId, memberId: 'pat', amountMinor, currency: 'USD' });
  const memberships = '/v1/members/pat/memberships';

  beforeAll(async () => {
    s = await startScriptedLedger('shipped_paid_membership', PROGRAM, '2026-01-01T00:00:00Z');
    await s.at('2026-01-05T12:00:00Z', '/v1/members', { memberId: 'pat', type: 'individual' });
  });
  afterAll(async () => s.t.close());

  it('earns 1 point per $1 before joining and twice that through the free trial and the paid month', async () => {
    expect((await buy('pat-1', 5000, '2026-01-06T12:00:00Z')).pointsAccrued).toBe(50); // $50 x 1, not a member yet
    const trial = await s.at('2026-01-10T12:00:00Z', memberships, { membershipId: 'pat-monthly', planId: 'monthly' });
    expect(trial).toMatchObject({ status: 'trial', currentPeriodEnd: '2026-02-09T12:00:00.000Z' }); // 10 January + 30 days
    expect((await buy('pat-2', 8000, '2026-01-20T12:00:00Z')).pointsAccrued).toBe(160); // $80 x 1 = 80, x 2 in the trial
    const paid = await s.at('2026-02-09T10:00:00Z', `${memberships}/pat-monthly/payments`, { paymentId: 'pay-1', amountMinor: 1499 });
    expect(paid).toMatchObject({ currentPeriodEnd: '2026-03-09T12:00:00.000Z' }); // the month after the trial
    expect((await buy('pat-3', 2550, '2026-03-01T12:00:00Z')).pointsAccrued).toBe(50); // floor($25.50) = 25, then x 2
  });

  it('keeps the benefit after a cancellation until the paid month ends, then lapses in the daily job, and with it the member-only reward', async () => {
    const cancelled = await s.at('2026-03-05T12:00:00Z', `${memberships}/pat-monthly/cancellation`, {});
    expect(cancelled).toMatchObject({ benefitsUntil: '2026-03-09T12:00:00.000Z' });
    expect((await buy('pat-4', 1000, '2026-03-09T11:00:00Z')).pointsAccrued).toBe(20); // an hour before the end: $10 x 2
    expect(await s.profile('pat')).toMatchObject({
      memberships: [{ membershipId: 'pat-monthly', status: 'cancelled-but-running', currentPeriodEnd: '2026-03-09T12:00:00.000Z' }],
      benefits: { multiplier: 2, rewardIds: ['members-ten-dollars-off-800'] },
    });
    expect(await s.dailyJob('2026-03-10T00:00:00Z')).toMatchObject({ membersChanged: 1 });
    expect((await buy('pat-5', 1000, '2026-03-15T12:00:00Z')).pointsAccrued).toBe(10); // lapsed: $10 x 1
    expect(await s.profile('pat')).toMatchObject({ memberships: [], benefits: { multiplier: 1, rewardIds: [] } });
    const refused = await s.at(
      '2026-03-20T12:00:00Z',
      '/v1/redemptions',
      { redemptionId: 'pat-members-1', memberId: 'pat', rewardId: 'members-ten-dollars-off-800' },
      422,
    );
    expect(refused.error).toMatchObject({ code: 'REWARD_NOT_ELIGIBLE', details: { plans: ['annual', 'monthly'] } }); // members only
  });

  it('doubles again on the annual plan, which has no trial', async () => {
    const annual = await s.at('2026-04-01T12:00:00Z', memberships, { membershipId: 'pat-annual', planId: 'annual' });
    expect(annual).toMatchObject({ status: 'active', currentPeriodEnd: '2027-04-01T12:00:00.000Z' });
    await s.at('2026-04-01T12:00:00Z', `${memberships}/pat-annual/payments`, { paymentId: 'pay-2', amountMinor: 13_900 });
    expect(await s.profile('pat')).toMatchObject({
      memberships: [{ membershipId: 'pat-annual', planId: 'annual', status: 'active' }],
      benefits: { multiplier: 2, tier: null, rewardIds: ['members-ten-dollars-off-800'] },
    });
    expect((await buy('pat-6', 50_000, '2026-06-15T12:00:00Z')).pointsAccrued).toBe(1000); // $500 x 1, then x 2
    expect(await s.balance('pat')).toMatchObject({ available: 1290 }); // 50 + 160 + 50 + 20 + 10 + 1,000
  });

  it('sells the member-only reward to a member and takes it off a purchase, which earns double on what was paid', async () => {
    const sold = await s.at('2026-06-20T12:00:00Z', '/v1/redemptions', {
      redemptionId: 'pat-members-2',
      memberId: 'pat',
      rewardId: 'members-ten-dollars-off-800',
    });
    // The catalogue gives no validDays: the ledger's default of 30 days.
    expect(sold).toMatchObject({
      pointsRedeemed: 800,
      coupon: { kind: 'amountOff', valueMinor: 1000, expiresAt: '2026-07-20T12:00:00.000Z' },
    });
    const used = await s.at('2026-06-25T12:00:00Z', '/v1/purchases', {
      transactionId: 'pat-headphones',
      memberId: 'pat',
      amountMinor: 4000, // $50 less the $10
      currency: 'USD',
      items: [{ sku: 'headphones', quantity: 1, unitPriceMinor: 5000 }],
      couponCodes: [sold.coupon.code],
    });
    expect(used).toMatchObject({ pointsAccrued: 80, couponsApplied: [{ discountMinor: 1000 }] }); // $40 x 1, then x 2
    expect(await s.balance('pat')).toMatchObject({ available: 570, redeemed: 800 }); // 1,290 - 800 + 80
  });

  it('reports the fees as revenue recognised evenly over the periods they paid for, and no point liability', async () => {
    s.t.clock.set('2026-10-01T12:00:00Z');
    const revenue = await s.t.call('GET', '/v1/audit/memberships?asOf=2026-10-01T12:00:00Z', undefined, { key: KEYS.auditor });
    expect(revenue.body).toMatchObject({
      // The month fully (it ended on 9 March) + floor(13,900 x 183 / 365) for 1 April to 1 October: 6,969.
      recognisedRevenueMinor: 1499 + 6969,
      deferredRevenueMinor: 13_900 - 6969,
      activeMemberships: 1,
    });
    const liability = await s.t.call('GET', '/v1/audit/liability?asOf=2026-10-01T12:00:00Z');
    expect(liability.body.outstandingPoints).toBe(570);
  });

  it('expires points 12 months after they were earned, the redemption having spent the soonest first', async () => {
    // The 800 came out of pat-1 to pat-5 (290, the lots expiring first) and 510 of pat-6: nothing is left to expire in January.
    expect(await s.dailyJob('2027-01-07T00:00:00Z')).toMatchObject({ expired: 0 });
    // 15 June 2027: the rest of pat-6 (1,000 - 510 = 490) expires. The annual plan, unpaid since, lapsed on 1 April.
    expect(await s.dailyJob('2027-06-16T00:00:00Z')).toMatchObject({ expired: 1 });
    expect(await s.balance('pat')).toMatchObject({ available: 80, expired: 490 });
    expect(await s.profile('pat')).toMatchObject({ memberships: [], benefits: { multiplier: 1 } });
  });
});
