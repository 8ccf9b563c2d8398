import { KEYS, PROGRAM, startTestLedger, TestLedger } from '../support/ledger';

/** The audit endpoints of API.md, over HTTP against the real app, store and projector. */
describe('audit API (HTTP, end to end)', () => {
  let t: TestLedger;
  let lastWrite: number;

  beforeAll(async () => {
    t = await startTestLedger('audit_e2e');
    expect((await t.call('PUT', '/v1/program', PROGRAM)).status).toBe(201);
    const first = await t.call('POST', '/v1/members', { memberId: 'aud-1', type: 'individual', occurredAt: '2026-01-01T10:00:00Z' }); // 100 welcome
    expect(first.status).toBe(201);
    await t.call('POST', '/v1/members', { memberId: 'aud-2', type: 'individual', occurredAt: '2026-01-02T10:00:00Z' }); // 100 welcome
    const purchase = await t.call('POST', '/v1/purchases', {
      transactionId: 'aud-tx-1',
      memberId: 'aud-1',
      amountMinor: 5000,
      currency: 'EUR',
      occurredAt: '2026-01-05T10:00:00Z',
    }); // 50
    expect(purchase.status).toBe(201);
    const redemption = await t.call('POST', '/v1/redemptions', {
      redemptionId: 'aud-r-1',
      memberId: 'aud-1',
      points: 30,
      occurredAt: '2026-01-06T10:00:00Z',
    });
    expect(redemption.status).toBe(201);
    lastWrite = redemption.body.position;
  });
  afterAll(async () => t.close());

  it('reports liability as of an instant from the event log, with what it read', async () => {
    const response = await t.call('GET', '/v1/audit/liability?asOf=2026-01-05T10:00:00Z', undefined, { key: KEYS.auditor });
    expect(response.status).toBe(200);
    // The purchase dated exactly at asOf counts; the redemption a day later does not.
    expect(response.body).toMatchObject({
      asOf: '2026-01-05T10:00:00.000Z',
      outstandingPoints: 250,
      pendingPoints: 0,
      pointValueMinor: 1,
      currency: 'EUR',
      liabilityMinor: 250,
      members: 2,
    });
    expect(response.body.eventsRead).toBeGreaterThan(0);
    expect(BigInt(response.body.lastPosition)).toBeGreaterThanOrEqual(BigInt(lastWrite));
    const now = await t.call('GET', '/v1/audit/liability', undefined, { key: KEYS.auditor });
    expect(now.body.outstandingPoints).toBe(220);
  });

  it('rolls a period forward and returns CSV on request', async () => {
    const json = await t.call('GET', '/v1/audit/roll-forward?from=2026-01-01T10:00:00Z&to=2026-01-06T10:00:00Z');
    expect(json.status).toBe(200);
    expect(json.body.points).toMatchObject({ opening: 100, issued: 150, redeemed: 30, closing: 220 });
    expect(json.body.issuedBySource).toMatchObject({ purchases: 50, welcome: 100, bonuses: 100 });
    const csv = await t.call('GET', '/v1/audit/roll-forward?from=2026-01-01T10:00:00Z&to=2026-01-06T10:00:00Z', undefined, {
      key: KEYS.auditor,
      headers: { accept: 'text/csv' },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = String(csv.body).trim().split('\n');
    expect(lines[0]).toBe('memberId,metric,value');
    expect(lines).toContain(',points.closing,220');
    expect(lines.some((l) => l.startsWith(',eventsRead,'))).toBe(true);
    expect(lines.some((l) => l.startsWith(',lastPosition,'))).toBe(true);
  });

  it('reconciles the event log with the read models', async () => {
    await t.caughtUp(lastWrite);
    const response = await t.call('GET', '/v1/audit/reconciliation', undefined, { key: KEYS.auditor });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      healthy: true,
      differences: [],
      eventLog: { available: 220, members: 2 },
      readModel: { available: 220, members: 2 },
    });
  });

  it('refuses the pos role, and bad or missing parameters with stable codes', async () => {
    expect((await t.call('GET', '/v1/audit/liability', undefined, { key: KEYS.pos })).status).toBe(403);
    expect((await t.call('GET', '/v1/audit/reconciliation', undefined, { key: KEYS.pos })).status).toBe(403);
    const cases: Array<[string, string]> = [
      ['/v1/audit/liability?asOf=yesterday', 'INVALID_INSTANT'],
      ['/v1/audit/liability?asOf=2999-01-01T00:00:00Z', 'AS_OF_IN_FUTURE'],
      ['/v1/audit/liability?atPosition=-1', 'INVALID_POSITION'],
      ['/v1/audit/roll-forward?from=2026-01-01T00:00:00Z', 'MISSING_PARAMETER'],
      ['/v1/audit/roll-forward?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', 'INVALID_PERIOD'],
    ];
    for (const [path, code] of cases) {
      const response = await t.call('GET', path, undefined, { key: KEYS.auditor });
      expect({ path, status: response.status, code: response.body?.error?.code }).toEqual({ path, status: 400, code });
    }
  });
});
