import { READ_MODEL_SCHEMA as S } from '@loyalty/read-models';
import { TEST_NOW } from '../support/clock';
import { KEYS, PROGRAM, startTestLedger, TestLedger } from '../support/ledger';

/** The whole log when the audit reads it: the program, two enrolments with their welcome lots, a purchase with its accrual, a redemption. */
const EVENTS_IN_LOG = 1 + 2 * 2 + 2 + 1;

/** The audit endpoints of docs/http-api.md, over HTTP against the real app, store and projector. */
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
    expect(response.body).toMatchObject({ eventsRead: EVENTS_IN_LOG, lastPosition: String(lastWrite) });
    const now = await t.call('GET', '/v1/audit/liability', undefined, { key: KEYS.auditor });
    expect(now.body).toMatchObject({ asOf: TEST_NOW, outstandingPoints: 220 });
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
    expect(lines).toContain(`,eventsRead,${EVENTS_IN_LOG}`);
    expect(lines).toContain(`,lastPosition,${lastWrite}`);
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
    const sections = Object.entries(response.body.readModels as Record<string, { healthy: boolean }>);
    expect(sections.filter(([, section]) => !section.healthy)).toEqual([]);
    expect(sections.map(([name]) => name)).toEqual(expect.arrayContaining(['balances', 'kpiDays', 'segmentPurchases', 'ledgerEntries']));
  });

  it('reports a read model that disagrees with the log, naming its table and field, in JSON and CSV', async () => {
    const refund = await t.call('POST', '/v1/purchases/aud-tx-1/refunds', {
      refundId: 'aud-rf-1',
      amountMinor: 1000,
      occurredAt: '2026-01-07T10:00:00Z',
    });
    expect(refund.status).toBe(201);
    await t.caughtUp(refund.body.position);
    const reconcile = (headers: Record<string, string> = {}) =>
      t.call('GET', '/v1/audit/reconciliation', undefined, { key: KEYS.auditor, headers });
    const clean = await reconcile();
    expect(clean.body).toMatchObject({ healthy: true, readModels: { kpiDays: { healthy: true, differences: [] } } });
    expect(clean.body.readModels.kpiDays.totals.eventLog.refunds_minor).toBe(1000);

    const shift = (by: number) =>
      t.ledger.readModels.query(`update ${S}.kpi_days set refunds_minor = refunds_minor + ${by} where day = '2026-01-07'`);
    await shift(3);
    try {
      const broken = await reconcile();
      expect(broken.status).toBe(200);
      expect(broken.body).toMatchObject({ healthy: false, differences: [], readModels: { balances: { healthy: true } } });
      expect(broken.body.readModels.kpiDays).toMatchObject({
        table: `${S}.kpi_days`,
        healthy: false,
        differences: [{ key: '2026-01-07', field: 'refunds_minor', eventLog: 1000, readModel: 1003 }],
      });
      const csv = await reconcile({ accept: 'text/csv' });
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      const lines = String(csv.body).trim().split('\n');
      expect(lines).toContain(',healthy,false');
      expect(lines).toContain(',readModels.kpiDays.table,read_models.kpi_days');
      expect(lines).toContain(',readModels.kpiDays.differences.2026-01-07.refunds_minor.eventLog,1000');
      expect(lines).toContain(',readModels.kpiDays.differences.2026-01-07.refunds_minor.readModel,1003');
    } finally {
      await shift(-3);
    }
  });

  it('refuses the pos role, and bad or missing parameters with stable codes', async () => {
    expect((await t.call('GET', '/v1/audit/liability', undefined, { key: KEYS.pos })).status).toBe(403);
    expect((await t.call('GET', '/v1/audit/reconciliation', undefined, { key: KEYS.pos })).status).toBe(403);
    const cases: Array<[string, string]> = [
      ['/v1/audit/liability?asOf=yesterday', 'INVALID_INSTANT'],
      ['/v1/audit/liability?asOf=2999-01-01T00:00:00Z', 'AS_OF_IN_FUTURE'],
      ['/v1/audit/liability?asOf=2026-06-01T12:00:00.001Z', 'AS_OF_IN_FUTURE'],
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
