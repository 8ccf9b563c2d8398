import { KEYS, PROGRAM, startTestLedger, TestLedger } from '../support/ledger';
import { Behaviour, eventually, Receiver } from './support/receiver';
import { schemaProblems } from './support/schemas';

const SECRET = 'whsec-test-0123456789abcdef';
const ATTEMPT_TIMEOUT_MS = 5000;
/** Short delays so retries, parking and scans happen within a test. */
const FAST_WEBHOOKS = {
  WEBHOOK_RETRY_FIRST_DELAY_MS: '50',
  WEBHOOK_RETRY_MAX_DELAY_MS: '200',
  WEBHOOK_RETRY_WINDOW_MS: '2000',
  WEBHOOK_POLL_INTERVAL_MS: '20',
  WEBHOOK_ATTEMPT_TIMEOUT_MS: String(ATTEMPT_TIMEOUT_MS),
  NOTIFY_POINTS_EXPIRING_WITHIN_DAYS: '366',
  NOTIFY_COUPONS_EXPIRING_WITHIN_DAYS: '30',
  NOTIFY_EXPIRY_SCAN_INTERVAL_MS: '100',
  WEBHOOK_DELIVERED_RETENTION_DAYS: '400',
};
const COUPON_REWARD = { rewardId: 'two-off', points: 100, kind: 'amountOff', valueMinor: 200, validDays: 10 };

/** Fails the first attempt, applies the second but answers 500 (a lost acknowledgement), accepts the third. */
const FLAKY: Behaviour = (attempt) => (attempt === 1 ? 'refuse' : attempt === 2 ? 'apply-then-fail' : 'accept');

describe('webhooks over HTTP against a local receiver', () => {
  let t: TestLedger;
  const receivers: Receiver[] = [];
  let members = 0;

  beforeAll(async () => {
    t = await startTestLedger('webhooks', FAST_WEBHOOKS);
    expect((await t.call('PUT', '/v1/program', PROGRAM)).status).toBe(201);
  });
  afterAll(async () => {
    // Receivers first: a hanging answer ends at once instead of holding the shutdown for its timeout.
    await Promise.all(receivers.map((r) => r.close()));
    await t.close();
  });

  async function receiver(behaviour?: Behaviour): Promise<Receiver> {
    const r = await Receiver.start(SECRET, behaviour);
    receivers.push(r);
    return r;
  }

  async function register(webhookId: string, url: string, eventTypes: string[]) {
    const response = await t.call('PUT', `/v1/webhooks/${webhookId}`, { url, eventTypes, secret: SECRET });
    expect(response.status).toBe(201);
    return response.body;
  }

  async function enrol(): Promise<string> {
    const memberId = `wh-${++members}`;
    expect((await t.call('POST', '/v1/members', { memberId, type: 'individual' }, { key: KEYS.pos })).status).toBe(201);
    return memberId;
  }

  async function purchase(memberId: string, amountMinor: number) {
    const transactionId = `tx-${memberId}-${amountMinor}`;
    const response = await t.call('POST', '/v1/purchases', { transactionId, memberId, amountMinor, currency: 'EUR' }, { key: KEYS.pos });
    expect(response.status).toBe(201);
    return response.body;
  }

  const deliveries = async (webhookId: string, query = '') => (await t.call('GET', `/v1/webhooks/${webhookId}/deliveries${query}`)).body;

  it('lets only admins register, list, delete, read deliveries and replay', async () => {
    const body = { url: 'http://127.0.0.1:9/hook', eventTypes: ['PointsAccrued'], secret: SECRET };
    const calls: Array<[string, string, unknown?]> = [
      ['PUT', '/v1/webhooks/crm', body],
      ['GET', '/v1/webhooks'],
      ['DELETE', '/v1/webhooks/crm'],
      ['GET', '/v1/webhooks/crm/deliveries'],
      ['POST', '/v1/webhooks/crm/deliveries/replay'],
    ];
    for (const [method, path, payload] of calls) {
      for (const key of [KEYS.pos, KEYS.analyst, KEYS.auditor]) {
        const refused = await t.call(method, path, payload, { key });
        expect([method, path, refused.status, refused.body.error.code]).toEqual([method, path, 403, 'FORBIDDEN']);
      }
      expect((await t.call(method, path, payload, { key: null })).status).toBe(401);
    }
    expect((await t.call('GET', '/v1/webhooks')).body.webhooks).toEqual([]);
  });

  it('reports its consumer in /health/ready', async () => {
    await eventually(
      async () => (await t.call('GET', '/health/ready', undefined, { key: null })).body.checks.webhooks.status === 'running',
    );
    const ready = await t.call('GET', '/health/ready', undefined, { key: null });
    expect(ready.body.checks.webhooks).toEqual({ status: 'running', position: expect.any(String), lastError: null });
  });

  it('is a consumer an admin can retry parked streams of, like the projector and the reactions', async () => {
    const retry = await t.call('POST', '/v1/admin/parked-streams/webhooks/member-nobody/retry');
    expect([retry.status, retry.body.error.code]).toEqual([404, 'STREAM_NOT_PARKED']);
  });

  it('refuses targets that are not http(s), unknown event types and weak secrets, and never shows a secret', async () => {
    const put = (body: Record<string, unknown>) =>
      t.call('PUT', '/v1/webhooks/crm', { url: 'http://127.0.0.1:9/hook', eventTypes: ['PointsAccrued'], secret: SECRET, ...body });
    for (const url of ['ftp://crm.example.com/hook', 'file:///etc/passwd', 'not a url', 'http://user:pass@crm.example.com/']) {
      const refused = await put({ url });
      expect([url, refused.status, refused.body.error.code]).toEqual([url, 400, 'WEBHOOK_URL_INVALID']);
    }
    const unknown = await put({ eventTypes: ['PointsAccrued', 'PointsStolen'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'UNKNOWN_EVENT_TYPE', details: { eventTypes: ['PointsStolen'] } });
    expect(unknown.body.error.details.known).toEqual(
      expect.arrayContaining(['MemberEnrolled', 'TierChanged', 'PointsExpiringSoon', 'RewardAffordable']),
    );
    expect((await put({ secret: 'short' })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await put({ eventTypes: [] })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await t.call('PUT', '/v1/webhooks/bad id', { url: 'http://127.0.0.1:9/' })).body.error.code).toBe('INVALID_ID');

    const created = await put({});
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      webhookId: 'crm',
      url: 'http://127.0.0.1:9/hook',
      eventTypes: ['PointsAccrued'],
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const replaced = await put({ eventTypes: ['TierChanged'], secret: 'another-secret-0123456789' });
    expect(replaced.status).toBe(201);
    expect(replaced.body).toMatchObject({ eventTypes: ['TierChanged'], createdAt: created.body.createdAt });
    const listed = await t.call('GET', '/v1/webhooks');
    expect(listed.body.webhooks).toEqual([replaced.body]);
    expect(JSON.stringify(listed.body)).not.toContain('secret');

    expect((await t.call('DELETE', '/v1/webhooks/crm')).status).toBe(204);
    expect((await t.call('DELETE', '/v1/webhooks/crm')).body.error.code).toBe('WEBHOOK_NOT_FOUND');
    expect((await t.call('GET', '/v1/webhooks/crm/deliveries')).status).toBe(404);
    expect((await t.call('POST', '/v1/webhooks/crm/deliveries/replay')).status).toBe(404);
  });

  it('signs every attempt, retries failures, and each event and notification takes effect once after de-duplication', async () => {
    const crm = await receiver(FLAKY);
    await register('crm', crm.url, ['MemberEnrolled', 'PointsAccrued', 'TierChanged', 'RewardAffordable']);
    const memberId = await enrol(); // welcome bonus: 100 points
    await purchase(memberId, 20_000); // 200 points: 300 available crosses free-coffee's 250
    const last = await purchase(memberId, 100_000); // 1000 points, and gold from then on
    await t.caughtUp(last.position);
    const balance = (await t.call('GET', `/v1/members/${memberId}/balance?minPosition=${last.position}`)).body;

    await eventually(async () => (await deliveries('crm', '?status=delivered')).deliveries.length === 6, 20_000, 'six deliveries');
    expect(crm.applied('MemberEnrolled').map((m) => m.memberId)).toEqual([memberId]);
    const accrued = crm.applied('PointsAccrued');
    expect(accrued).toHaveLength(3);
    expect(accrued.reduce((sum, m) => sum + Number(m.data.points), 0)).toBe(balance.lifetimeEarned);
    expect(crm.applied('TierChanged').map((m) => m.data.to)).toEqual(['gold']);
    expect(crm.applied('RewardAffordable').map((m) => m.data)).toEqual([
      { memberId, rewardId: 'free-coffee', points: 250, available: 300 },
    ]);

    expect(crm.applied().flatMap(schemaProblems)).toEqual([]);
    expect(crm.attempts.every((a) => a.verified)).toBe(true);
    for (const [id, body] of crm.effects) {
      const tries = crm.attempts.filter((a) => a.id === id);
      // The same id and body on every attempt: that is what lets the receiver de-duplicate.
      expect(tries.map((a) => [a.headers['x-loyalty-event-id'], a.body])).toEqual([
        [id, body],
        [id, body],
        [id, body],
      ]);
      expect(tries.every((a) => /^\d{10}$/.test(String(a.headers['x-loyalty-timestamp'])))).toBe(true);
      expect(body).toEqual({ id, type: expect.any(String), occurredAt: expect.any(String), memberId, data: expect.any(Object) });
    }
    const listed = await deliveries('crm');
    expect(listed.deliveries.every((d: { attempts: number; lastStatusCode: number }) => d.attempts === 3 && d.lastStatusCode === 204)).toBe(
      true,
    );
    expect(JSON.stringify(listed)).not.toContain(SECRET);
    await t.call('DELETE', '/v1/webhooks/crm');
  });

  it('announces points expiring within the configured days once per member and expiry, however often it looks', async () => {
    const crm = await receiver();
    await register('expiring', crm.url, ['PointsExpiringSoon']);
    await eventually(() => crm.applied().length >= 1, 10_000, 'a PointsExpiringSoon');
    // Several scans later (one every 100 ms), still one per occasion.
    await new Promise((r) => setTimeout(r, 600));
    const ofFirstMember = crm.applied('PointsExpiringSoon').filter((m) => m.memberId === 'wh-1');
    expect(ofFirstMember.map((m) => m.data)).toEqual([{ memberId: 'wh-1', points: 1300, expiresAt: '2027-06-01T12:00:00.000Z' }]);
    expect(crm.attempts.filter((a) => a.body.memberId === 'wh-1')).toHaveLength(1);
    expect(crm.applied().flatMap(schemaProblems)).toEqual([]);
    await t.call('DELETE', '/v1/webhooks/expiring');
  });

  it('sends a coupon as it is issued, and once more, once, when it is about to expire', async () => {
    const crm = await receiver();
    await register('coupons', crm.url, ['CouponIssued', 'CouponExpiringSoon']);
    expect((await t.call('PUT', '/v1/program', { ...PROGRAM, rewards: [...PROGRAM.rewards, COUPON_REWARD] })).status).toBe(201);
    const sold = await t.call(
      'POST',
      '/v1/redemptions',
      { redemptionId: 'rd-coupon', memberId: 'wh-1', rewardId: 'two-off' },
      { key: KEYS.pos },
    );
    expect(sold.status).toBe(201);
    await t.caughtUp(sold.body.position);
    await eventually(() => crm.applied().length === 2, 10_000, 'the coupon issued and expiring soon');
    await new Promise((r) => setTimeout(r, 400));
    const { code, expiresAt } = sold.body.coupon;
    expect(crm.applied('CouponIssued').map((m) => m.data)).toEqual([expect.objectContaining({ code, rewardId: 'two-off', expiresAt })]);
    expect(crm.applied('CouponExpiringSoon').map((m) => m.data)).toEqual([
      { memberId: 'wh-1', couponId: expect.any(String), code, rewardId: 'two-off', kind: 'amountOff', expiresAt },
    ]);
    expect(crm.attempts).toHaveLength(2);
    expect(crm.applied().flatMap(schemaProblems)).toEqual([]);
    await t.call('DELETE', '/v1/webhooks/coupons');
  });

  it('prunes deliveries delivered longer ago than the retention, and never a pending or parked one', async () => {
    await register('pruned', 'http://127.0.0.1:9/hook', ['MemberEnrolled']);
    const db = t.ledger.readModels;
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
    const aged = async (status: string, deliveredAt: string | null): Promise<string> => {
      const rows: Array<{ message_id: string }> = await db.query(
        `insert into webhooks.deliveries (webhook_id, message_id, type, body, status, next_attempt_at, delivered_at, created_at)
         values ('pruned', gen_random_uuid(), 'MemberEnrolled', '{}', $1, now() + interval '1 day', $2, now() - interval '500 days')
         returning message_id`,
        [status, deliveredAt],
      );
      return rows[0]!.message_id;
    };
    await aged('delivered', daysAgo(401));
    const kept = [await aged('delivered', daysAgo(399)), await aged('parked', null), await aged('pending', null)];
    await eventually(async () => (await deliveries('pruned')).deliveries.length === kept.length, 10_000, 'the old delivery pruned');
    expect((await deliveries('pruned')).deliveries.map((d: { messageId: string }) => d.messageId).sort()).toEqual(kept.sort());
    await t.call('DELETE', '/v1/webhooks/pruned');
  });

  it('keeps a healthy receiver on time while another never answers', async () => {
    const dead = await receiver(() => 'hang');
    const healthy = await receiver();
    await register('dead', dead.url, ['MemberEnrolled']);
    await register('healthy', healthy.url, ['MemberEnrolled']);
    const enrolled: string[] = [];
    for (let i = 0; i < 8; i++) enrolled.push(await enrol());
    await eventually(() => healthy.applied().length === enrolled.length, 20_000, 'the healthy receiver');
    // Everything reached the healthy receiver while the dead one's first attempts were still waiting for an answer.
    const stuck = (await deliveries('dead')).deliveries;
    expect(stuck).toHaveLength(enrolled.length);
    expect(stuck.every((d: { attempts: number; status: string }) => d.attempts === 0 && d.status === 'pending')).toBe(true);
    expect(dead.attempts.length).toBe(4); // WEBHOOK_CONCURRENCY_PER_WEBHOOK: its own lane is full, nobody else's
    expect(healthy.applied().map((m) => m.memberId)).toEqual(expect.arrayContaining(enrolled));
    await t.call('DELETE', '/v1/webhooks/dead');
    await t.call('DELETE', '/v1/webhooks/healthy');
  });

  it('parks what keeps failing past the retry window, shows it, and an admin replays it once the receiver is fixed', async () => {
    const crm = await receiver(() => 'refuse');
    await register('parking', crm.url, ['MemberEnrolled']);
    const memberId = await enrol();
    await eventually(async () => (await deliveries('parking', '?status=parked')).deliveries.length === 1, 20_000, 'a parked delivery');
    const [parked] = (await deliveries('parking', '?status=parked')).deliveries;
    expect(parked).toMatchObject({
      type: 'MemberEnrolled',
      status: 'parked',
      lastStatusCode: 503,
      lastError: 'HTTP 503',
      nextAttemptAt: null,
    });
    expect(parked.attempts).toBeGreaterThan(3);
    expect(Date.parse(parked.lastAttemptAt) - Date.parse(parked.firstAttemptAt)).toBeGreaterThanOrEqual(2000);
    expect((await t.call('GET', '/metrics')).body).toContain('loyalty_webhook_deliveries_outstanding{status="parked"} 1');
    const attemptsWhenParked = crm.attempts.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(crm.attempts).toHaveLength(attemptsWhenParked);

    expect((await t.call('POST', '/v1/webhooks/parking/deliveries/replay', undefined, { key: KEYS.pos })).status).toBe(403);
    crm.behaviour = () => 'accept';
    expect((await t.call('POST', '/v1/webhooks/parking/deliveries/replay')).body).toEqual({ webhookId: 'parking', replayed: 1 });
    await eventually(() => crm.applied().length === 1, 10_000, 'the replayed delivery');
    expect(crm.applied()[0]).toMatchObject({ type: 'MemberEnrolled', memberId, id: parked.messageId });
    expect((await deliveries('parking')).deliveries[0]).toMatchObject({ status: 'delivered', attempts: 1 });
    expect((await t.call('POST', '/v1/webhooks/parking/deliveries/replay')).body.replayed).toBe(0);
    const badStatus = await t.call('GET', '/v1/webhooks/parking/deliveries?status=lost');
    expect([badStatus.status, badStatus.body.error.code]).toEqual([400, 'INVALID_STATUS']);
    await t.call('DELETE', '/v1/webhooks/parking');
  });
});
