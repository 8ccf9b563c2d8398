import { request } from 'node:http';
import { KEYS, PROGRAM, startTestLedger, TestLedger } from '../support/ledger';

/** fetch refuses TRACE, so the raw client: status and Allow header. */
function trace(base: string, path: string): Promise<{ status: number; allow: string | undefined }> {
  return new Promise((resolve, reject) => {
    const sent = request(`${base}${path}`, { method: 'TRACE', headers: { 'x-api-key': KEYS.admin } }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, allow: response.headers.allow }));
    });
    sent.on('error', reject);
    sent.end();
  });
}

/** What schemathesis (.ci/schemathesis) found against the document, each pinned here as the HTTP answer a client gets. */
describe('contract fuzzing findings', () => {
  let t: TestLedger;

  beforeAll(async () => {
    t = await startTestLedger('contract-findings');
    expect((await t.call('PUT', '/v1/program', PROGRAM)).status).toBe(201);
    const enrolled = await t.call('POST', '/v1/members', { memberId: 'cf-1', type: 'individual' });
    expect(enrolled.status).toBe(201);
  });
  afterAll(async () => t.close());

  it('answers 405 with Allow for a method a documented path does not have, and 404 for a path that does not exist', async () => {
    expect(await trace(t.ledger.url, '/v1/program')).toEqual({ status: 405, allow: 'GET, HEAD, PUT' });
    for (const method of ['DELETE', 'PATCH']) {
      const response = await t.call(method, '/v1/program');
      expect(response.status).toBe(405);
      expect(response.body.error.code).toBe('METHOD_NOT_ALLOWED');
      expect(response.headers.get('allow')).toBe('GET, HEAD, PUT');
    }
    expect(await trace(t.ledger.url, '/v1/members/cf-1/balance')).toEqual({ status: 405, allow: 'GET, HEAD' });
    // The documented path, not the {name} route it also matches.
    expect((await t.call('GET', '/v1/segments/thresholds')).headers.get('allow')).toBe('PUT');
    expect((await trace(t.ledger.url, '/v1/no-such-path')).status).toBe(404);
  });

  it('refuses a NUL character anywhere in a body with 400, before it reaches the database as a 500', async () => {
    const webhook = {
      url: 'https://crm.example.com/hooks',
      eventTypes: ['PointsAccrued'],
      secret: 'abcdefghijklmnop\u0000qrstuvwxyz012345',
    };
    const refused = await t.call('PUT', '/v1/webhooks/cf-hook', webhook);
    expect([refused.status, refused.body.error.code]).toEqual([400, 'NUL_CHARACTER']);
    const inKey = await t.call('PUT', '/v1/segments/cf-seg', { criteria: { type: 'tier', 'x\u0000': 1 } });
    expect([inKey.status, inKey.body.error.code]).toEqual([400, 'NUL_CHARACTER']);
    expect((await t.call('GET', '/v1/webhooks')).body.webhooks).toEqual([]);
  });

  it('takes a null until of a tier change as absent, as every null optional field, instead of a 500', async () => {
    const change = await t.call('POST', '/v1/members/cf-1/tier', {
      changeId: 'cf-tc-1',
      tier: 'gold',
      reason: 'status match',
      until: null,
    });
    expect(change.status).toBe(201);
    expect(change.body).toMatchObject({ memberId: 'cf-1', tier: 'gold', until: null });
  });

  it('validates the optional body of a reversal like any other, instead of a 500 on a wrong occurredAt', async () => {
    const refused = await t.call('POST', '/v1/redemptions/cf-rd-1/reversal', { occurredAt: {} });
    expect([refused.status, refused.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const unknown = await t.call('POST', '/v1/redemptions/cf-rd-1/reversal', { occurredAt: '2026-01-01T00:00:00Z', extra: 1 });
    expect(unknown.status).toBe(400);
  });

  it('takes null optional fields of a program as absent, all the way down, instead of a 500', async () => {
    const rule = {
      ruleId: 'cf-null',
      when: { startsAt: null, endsAt: null, hours: null },
      effect: { bonusPoints: 1, multiplier: null },
      cap: null,
    };
    const program = { ...PROGRAM, tierPolicy: null, expiry: null, earning: { ...PROGRAM.earning, actionCaps: null, rules: [rule] } };
    const configured = await t.call('PUT', '/v1/program', program);
    expect(configured.status).toBe(201);
    const current = await t.call('GET', '/v1/program');
    expect(current.body.earning.rules).toEqual([expect.objectContaining({ ruleId: 'cf-null', effect: { bonusPoints: 1 } })]);
  });
});
