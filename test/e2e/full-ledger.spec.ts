import { SettlementReport } from '../../apps/ledger-api/src/jobs/settle-members.handler';
import { TEST_NOW } from '../support/clock';
import { KEYS, PROGRAM, startTestLedger, TestLedger } from '../support/ledger';

/** Every rule of the full ledger through HTTP: pending and expiry, refunds, reversals, bonuses, tiers, adjustments, transfers. */
describe('full ledger over HTTP', () => {
  let t: TestLedger;
  const past = (daysAgo: number) => t.clock.daysAgo(daysAgo);
  /** A settlement report that changed one member; only the counts the test names are non-zero. */
  const settledOne = (counts: Partial<SettlementReport>) => ({
    asOf: TEST_NOW,
    membersChecked: 1,
    membersChanged: 1,
    activated: 0,
    expired: 0,
    birthdayBonuses: 0,
    tierChanges: 0,
    debtRepayments: 0,
    couponsExpired: 0,
    // The log position the run wrote at depends on every earlier test's writes, so it is not pinned here.
    position: expect.any(Number) as unknown,
    ...counts,
  });

  beforeAll(async () => {
    t = await startTestLedger('full');
    const program = {
      ...PROGRAM,
      pendingDays: 14,
      earning: { ...PROGRAM.earning, actionCaps: { review: { maxPerPeriod: 1, periodDays: 30 } } },
    };
    expect((await t.call('PUT', '/v1/program', program)).status).toBe(201);
  });
  afterAll(async () => t.close());

  async function enrol(memberId: string, extra: Record<string, unknown> = {}) {
    const response = await t.call('POST', '/v1/members', { memberId, type: 'individual', ...extra });
    expect(response.status).toBe(201);
    return response.body.position as number;
  }

  async function balance(memberId: string, minPosition = -1) {
    const response = await t.call('GET', `/v1/members/${memberId}/balance?minPosition=${minPosition}`);
    expect(response.status).toBe(200);
    return response.body;
  }

  async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (ok(value) || Date.now() > deadline) return value;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('keeps purchase points pending for the return window, then the job activates them dated at pendingUntil', async () => {
    await enrol('p-1', { occurredAt: past(30) });
    const buy = await t.call('POST', '/v1/purchases', {
      transactionId: 'p-tx',
      memberId: 'p-1',
      amountMinor: 5000,
      currency: 'EUR',
      occurredAt: past(20),
    });
    // Bought 20 days ago with a 14-day window: pending until 6 days ago, to the millisecond.
    expect(buy.body.pendingUntil).toBe('2026-05-26T12:00:00.000Z');
    expect(await balance('p-1', buy.body.position)).toMatchObject({ available: 100, pending: 50 });

    const job = await t.call('POST', `/v1/admin/jobs/expire?minPosition=${buy.body.position}`, {});
    expect(job.status).toBe(200);
    // p-1 is the only member so far, and its only due transition is the purchase lot's activation.
    expect(job.body).toEqual(settledOne({ activated: 1 }));
    expect(await balance('p-1', job.body.position)).toMatchObject({ available: 150, pending: 0 });
    const ledger = await t.call('GET', '/v1/members/p-1/ledger');
    expect(ledger.body.entries[0]).toMatchObject({ type: 'accrual:purchase', points: 50 });

    const again = await t.call('POST', '/v1/admin/jobs/expire', { asOf: job.body.asOf });
    expect(again.body).toEqual({ ...settledOne({}), membersChecked: 0, membersChanged: 0, position: -1 });
    const justAhead = new Date(t.clock.now().getTime() + 1).toISOString();
    expect((await t.call('POST', '/v1/admin/jobs/expire', { asOf: justAhead })).body.error.code).toBe('AS_OF_IN_FUTURE');
  });

  it('expires lots past their expiry, dated at expiresAt', async () => {
    const enrolled = await enrol('x-1', { occurredAt: past(400) });
    const job = await t.call('POST', `/v1/admin/jobs/expire?minPosition=${enrolled}`, {});
    // Enrolled 400 days ago (2025-04-27T12:00Z): the welcome lot expired and the tier came up for requalification on 2026-04-27.
    expect(job.body).toEqual(settledOne({ expired: 1, tierChanges: 1 }));
    expect(await balance('x-1', job.body.position)).toMatchObject({ available: 0, expired: 100, tier: 'silver' });
    const ledger = await t.call('GET', '/v1/members/x-1/ledger');
    expect(ledger.body.entries[0]).toMatchObject({ type: 'expiry', points: -100, occurredAt: '2026-04-27T12:00:00.000Z' });
  });

  it('claws back refunded points in proportion, pending first, and refuses refunds beyond the purchase', async () => {
    await enrol('r-1');
    await t.call('POST', '/v1/purchases', { transactionId: 'r-tx', memberId: 'r-1', amountMinor: 9999, currency: 'EUR' });
    const refund = await t.call('POST', '/v1/purchases/r-tx/refunds', { refundId: 'r-rf-1', amountMinor: 5000 });
    expect(refund.status).toBe(201);
    expect(refund.body).toMatchObject({ refundId: 'r-rf-1', transactionId: 'r-tx', pointsClawedBack: 49, debtIncurred: 0 });
    expect(await balance('r-1', refund.body.position)).toMatchObject({ available: 100, pending: 50 });
    const repeat = await t.call('POST', '/v1/purchases/r-tx/refunds', { refundId: 'r-rf-1', amountMinor: 5000 });
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual(refund.body);
    const tooMuch = await t.call('POST', '/v1/purchases/r-tx/refunds', { refundId: 'r-rf-2', amountMinor: 5000 });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error.code).toBe('REFUND_EXCEEDS_PURCHASE');
    expect((await t.call('POST', '/v1/purchases/unknown-tx/refunds', { refundId: 'r-rf-3', amountMinor: 1 })).status).toBe(404);
  });

  it('records debt when refunded points were already spent, and repays it from later points', async () => {
    await enrol('d-1', { occurredAt: past(60) });
    const buy = await t.call('POST', '/v1/purchases', {
      transactionId: 'd-tx',
      memberId: 'd-1',
      amountMinor: 10_000,
      currency: 'EUR',
      occurredAt: past(50),
    });
    const job = await t.call('POST', `/v1/admin/jobs/expire?minPosition=${buy.body.position}`, {});
    expect(job.body).toEqual(settledOne({ activated: 1 }));
    await t.call('POST', '/v1/redemptions', { redemptionId: 'd-rd', memberId: 'd-1', points: 180 });
    const refund = await t.call('POST', '/v1/purchases/d-tx/refunds', { refundId: 'd-rf', amountMinor: 10_000 });
    expect(refund.body).toMatchObject({ pointsClawedBack: 100, debtIncurred: 80 });
    expect(await balance('d-1', refund.body.position)).toMatchObject({ available: -80, debt: 80, clawedBack: 100 });
    const reversal = await t.call('POST', '/v1/redemptions/d-rd/reversal', {});
    expect(reversal.status).toBe(201);
    expect(reversal.body).toMatchObject({ redemptionId: 'd-rd', pointsRestored: 180 });
    expect(await balance('d-1', reversal.body.position)).toMatchObject({ available: 100, debt: 0, redeemed: 0 });
    expect((await t.call('POST', '/v1/redemptions/d-rd/reversal', {})).status).toBe(200);
  });

  it('awards action bonuses within the cap per period', async () => {
    await enrol('a-1');
    const first = await t.call('POST', '/v1/members/a-1/actions', { actionId: 'a-rev-1', type: 'review' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ pointsAwarded: 50, capReached: false });
    const second = await t.call('POST', '/v1/members/a-1/actions', { actionId: 'a-rev-2', type: 'review' });
    expect(second.body).toMatchObject({ pointsAwarded: 0, capReached: true });
    const survey = await t.call('POST', '/v1/members/a-1/actions', { actionId: 'a-sur-1', type: 'survey' });
    expect(survey.body.pointsAwarded).toBe(30);
    expect((await t.call('POST', '/v1/members/a-1/actions', { actionId: 'a-x', type: 'dance' })).body.error.code).toBe('UNKNOWN_ACTION');
  });

  it('credits the referee with the first purchase and the referrer from the log', async () => {
    await enrol('ref-a');
    await enrol('ref-b', { referredBy: 'ref-a' });
    expect((await t.call('POST', '/v1/members', { memberId: 'ref-c', type: 'individual', referredBy: 'nobody' })).body.error.code).toBe(
      'UNKNOWN_REFERRER',
    );
    const buy = await t.call('POST', '/v1/purchases', { transactionId: 'ref-tx', memberId: 'ref-b', amountMinor: 1000, currency: 'EUR' });
    expect(await balance('ref-b', buy.body.position)).toMatchObject({ available: 200, pending: 10 });
    const referrer = await eventually(
      () => balance('ref-a'),
      (b) => b.available === 400,
    );
    expect(referrer.available).toBe(400);
  });

  it('upgrades the tier at once when 12-month spend crosses the threshold', async () => {
    await enrol('t-1');
    const buy = await t.call('POST', '/v1/purchases', { transactionId: 't-tx', memberId: 't-1', amountMinor: 100_000, currency: 'EUR' });
    expect(await balance('t-1', buy.body.position)).toMatchObject({ tier: 'gold' });
  });

  it('lets only admins adjust, requires a reason, and records the actor', async () => {
    await enrol('adj-1');
    expect(
      (await t.call('POST', '/v1/members/adj-1/adjustments', { adjustmentId: 'adj-a', points: 5, reason: 'x' }, { key: KEYS.pos })).status,
    ).toBe(403);
    expect((await t.call('POST', '/v1/members/adj-1/adjustments', { adjustmentId: 'adj-a', points: 5 })).status).toBe(400);
    const minus = await t.call('POST', '/v1/members/adj-1/adjustments', {
      adjustmentId: 'adj-b',
      points: -40,
      reason: 'duplicate welcome',
    });
    expect(minus.status).toBe(201);
    expect(minus.body).toMatchObject({ points: -40, actor: expect.stringMatching(/^admin:[0-9a-f]{8}$/) });
    expect(await balance('adj-1', minus.body.position)).toMatchObject({ available: 60, adjusted: -40 });
    const ledger = await t.call('GET', '/v1/members/adj-1/ledger');
    expect(ledger.body.entries[0]).toMatchObject({ type: 'adjustment', points: -40, detail: { reason: 'duplicate welcome' } });
  });

  it('transfers points: the sender at once, the receiver from the log, nothing lost', async () => {
    await enrol('tr-a');
    await enrol('tr-b');
    const transfer = await t.call('POST', '/v1/members/tr-a/transfers', { transferId: 'tr-1', toMemberId: 'tr-b', points: 60 });
    expect(transfer.status).toBe(201);
    expect(await balance('tr-a', transfer.body.position)).toMatchObject({ available: 40, transferredOut: 60 });
    const receiver = await eventually(
      () => balance('tr-b'),
      (b) => b.available === 160,
    );
    expect(receiver).toMatchObject({ available: 160, transferredIn: 60 });
    expect(
      (await t.call('POST', '/v1/members/tr-a/transfers', { transferId: 'tr-2', toMemberId: 'nobody', points: 1 })).body.error.code,
    ).toBe('UNKNOWN_RECEIVER');
    expect(
      (await t.call('POST', '/v1/members/tr-a/transfers', { transferId: 'tr-3', toMemberId: 'tr-b', points: 41 })).body.error.code,
    ).toBe('INSUFFICIENT_POINTS');
  });

  it('explains every balance line by line with the rule version and ids that produced it', async () => {
    await enrol('ex-1');
    const buy = await t.call('POST', '/v1/purchases', {
      transactionId: 'ex-tx',
      memberId: 'ex-1',
      amountMinor: 1000,
      currency: 'EUR',
      items: [{ sku: 'latte', category: 'coffee', quantity: 2, unitPriceMinor: 500 }],
    });
    const ledger = await t.call('GET', `/v1/members/ex-1/ledger?minPosition=${buy.body.position}`);
    expect(ledger.body.entries[0]).toMatchObject({
      type: 'accrual:purchase',
      points: 20,
      reference: 'ex-tx',
      detail: { programVersion: 1, ruleIds: ['base', 'category:coffee'] },
    });
  });

  it('runs the job again at the same asOf when a reversal restored expired points, without reusing event ids', async () => {
    await enrol('again-1', { occurredAt: past(400) });
    const redemption = await t.call('POST', '/v1/redemptions', {
      redemptionId: 'again-rd',
      memberId: 'again-1',
      points: 60,
      occurredAt: past(390),
    });
    expect(redemption.status).toBe(201);
    const asOf = TEST_NOW;
    const first = await t.call('POST', `/v1/admin/jobs/expire?minPosition=${redemption.body.position}`, { asOf });
    // The 40 points left of the welcome lot expire; the tier anniversary (2026-04-27) is due as well.
    expect(first.body).toEqual(settledOne({ expired: 1, tierChanges: 1 }));
    // Same asOf, same clock instant: the second decision is made at a later revision, so its ids are its own.
    const reversal = await t.call('POST', '/v1/redemptions/again-rd/reversal', {});
    expect(reversal.status).toBe(201);
    const second = await t.call('POST', `/v1/admin/jobs/expire?minPosition=${reversal.body.position}`, { asOf });
    expect(second.status).toBe(200);
    // The 60 restored points, past their expiry, expire at once.
    expect(second.body).toEqual(settledOne({ expired: 1 }));
    expect(await balance('again-1', second.body.position)).toMatchObject({ available: 0, expired: 100 });
    const expiries = (await t.ledger.store.readStream('member-again-1')).filter((e) => e.type === 'PointsExpired');
    expect(expiries.map((e) => e.data.points)).toEqual([40, 60]);
    expect(new Set(expiries.map((e) => e.eventId)).size).toBe(2);
  });
});
