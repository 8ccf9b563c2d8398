import { Role, ROLES } from '@loyalty/platform';
import { randomBytes } from 'node:crypto';
import { KEYS, PROGRAM, startTestLedger, TestLedger } from '../support/ledger';
import { memberToken, ownFormatToken, ownKeysEnv, OWN_KEYS, tampered } from '../me/support';

/** 'member': only a member token, for its own member (the path names no member). */
type Access = readonly Role[] | 'public' | 'member';

/**
 * Every route of the OpenAPI document against every role, no key and a wrong
 * key. A route missing from this table fails the test, so a new endpoint
 * cannot ship without deciding who may call it.
 */
const ACCESS: Record<string, Access> = {
  'PUT /v1/program': ['admin'],
  'GET /v1/program': ['admin', 'pos', 'analyst', 'auditor'],
  'POST /v1/members': ['admin', 'pos'],
  'GET /v1/members/{memberId}': ['admin', 'pos', 'analyst'],
  'GET /v1/members/{memberId}/balance': ['admin', 'pos', 'analyst'],
  'GET /v1/members/{memberId}/ledger': ['admin', 'pos', 'analyst'],
  'POST /v1/members/{memberId}/actions': ['admin', 'pos'],
  'POST /v1/members/{memberId}/adjustments': ['admin'],
  'POST /v1/members/{memberId}/tier': ['admin'],
  'POST /v1/members/{memberId}/memberships': ['admin', 'pos'],
  'POST /v1/members/{memberId}/memberships/{membershipId}/payments': ['admin', 'pos'],
  'POST /v1/members/{memberId}/memberships/{membershipId}/cancellation': ['admin', 'pos'],
  'POST /v1/members/{memberId}/transfers': ['admin', 'pos'],
  'DELETE /v1/members/{memberId}/personal-data': ['admin'],
  'POST /v1/members/{memberId}/sessions': ['admin', 'pos'],
  'POST /v1/simulations': ['admin', 'analyst'],
  'POST /v1/purchases': ['admin', 'pos'],
  'POST /v1/purchases/{transactionId}/refunds': ['admin', 'pos'],
  'POST /v1/redemptions': ['admin', 'pos'],
  'POST /v1/redemptions/{redemptionId}/reversal': ['admin', 'pos'],
  'POST /v1/members/{memberId}/coupons': ['admin'],
  'GET /v1/coupons/{code}': ['admin', 'pos'],
  'GET /v1/members/{memberId}/coupons': ['admin', 'pos'],
  'POST /v1/admin/jobs/expire': ['admin'],
  'GET /v1/admin/parked-streams': ['admin'],
  'POST /v1/admin/parked-streams/{consumer}/{streamId}/retry': ['admin'],
  'GET /v1/audit/liability': ['admin', 'auditor'],
  'GET /v1/audit/roll-forward': ['admin', 'auditor'],
  'GET /v1/audit/reconciliation': ['admin', 'auditor'],
  'GET /v1/audit/memberships': ['admin', 'auditor'],
  'PUT /v1/webhooks/{webhookId}': ['admin'],
  'GET /v1/webhooks': ['admin'],
  'DELETE /v1/webhooks/{webhookId}': ['admin'],
  'GET /v1/webhooks/{webhookId}/deliveries': ['admin'],
  'POST /v1/webhooks/{webhookId}/deliveries/replay': ['admin'],
  'GET /health/live': 'public',
  'GET /health/ready': 'public',
  'GET /metrics': ['admin'],
};

/** Members' own routes take a member token and nothing else, whatever their path below /v1/me. */
const MEMBER_PREFIX = '/v1/me';

/** Analytics routes are for analysts and admins, whatever their path below these prefixes. */
const ANALYTICS_PREFIXES = ['/v1/segments', '/v1/kpis', '/v1/experiments', '/v1/offers', '/v1/analytics'];

function expectedAccess(route: string): Access | undefined {
  const known = ACCESS[route];
  if (known) return known;
  const [method, path] = route.split(' ') as [string, string];
  if (path === MEMBER_PREFIX || path.startsWith(`${MEMBER_PREFIX}/`)) return 'member';
  if (ANALYTICS_PREFIXES.some((p) => path.startsWith(p))) return method === 'GET' ? ['admin', 'analyst'] : ['admin'];
  return undefined;
}

describe('access control, route by route and role by role', () => {
  let t: TestLedger;
  let routes: string[];

  beforeAll(async () => {
    t = await startTestLedger('access', ownKeysEnv());
    const docs = await t.call('GET', '/docs/json', undefined, { key: null });
    routes = Object.entries(docs.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
  });
  afterAll(async () => t.close());

  const concrete = (path: string) => path.replace(/\{[^}]+\}/g, 'some-id');

  it('knows who may call every documented route', () => {
    expect(Object.keys(ACCESS).filter((route) => !routes.includes(route))).toEqual([]);
    expect(routes.filter((route) => expectedAccess(route) === undefined)).toEqual([]);
  });

  it('answers 401 without a key or with a wrong one, 403 for a role not allowed, and lets allowed roles through', async () => {
    const failures: string[] = [];
    for (const route of routes) {
      const access = expectedAccess(route)!;
      const [method, path] = route.split(' ') as [string, string];
      const body = method === 'GET' || method === 'DELETE' ? undefined : {};
      const attempts: Array<[string, string | null, (status: number) => boolean]> = [
        ['no key', null, (s) => (access === 'public' ? s !== 401 && s !== 403 : s === 401)],
        ['wrong key', 'not-a-real-key-0000', (s) => (access === 'public' ? s !== 401 && s !== 403 : s === 401)],
        ...ROLES.map((role): [string, string, (status: number) => boolean] => [
          role,
          KEYS[role],
          (s) =>
            access === 'public' || (access !== 'member' && access.includes(role))
              ? s !== 401 && s !== 403
              : s === (access === 'member' ? 401 : 403),
        ]),
      ];
      for (const [who, key, ok] of attempts) {
        const response = await t.call(method, concrete(path), body, { key });
        if (!ok(response.status)) failures.push(`${route} as ${who}: ${response.status}`);
        if (response.status >= 500) failures.push(`${route} as ${who}: ${response.status} ${JSON.stringify(response.body)}`);
      }
    }
    expect(failures).toEqual([]);
  }, 60_000);

  /**
   * Member tokens against every route: the own member's reaches /v1/me and
   * nothing else; another member's, on /v1/me, answers only about that
   * member; expired, tampered and wrongly signed tokens reach nothing. The
   * paths name `some-id`, the member whose token is "own".
   */
  it('lets a member token reach only /v1/me of its own member, and nothing with a bad token', async () => {
    expect((await t.call('PUT', '/v1/program', PROGRAM)).status).toBe(201);
    for (const memberId of ['some-id', 'other-member'])
      expect((await t.call('POST', '/v1/members', { memberId, type: 'individual', name: `name of ${memberId}` })).status).toBe(201);
    const own = await memberToken(t, 'some-id');
    const other = await memberToken(t, 'other-member');
    const now = t.clock.now();
    const expired = await ownFormatToken('some-id', OWN_KEYS.current.kid, OWN_KEYS.current.secret, new Date(now.getTime() - 3_600_000), 60);
    const wrongSigner = await ownFormatToken('some-id', OWN_KEYS.current.kid, randomBytes(32), now);
    const tokens: Array<[string, string]> = [
      ['own member', own],
      ['another member', other],
      ['expired', expired],
      ['tampered', tampered(other, 'some-id')],
      ['wrong signer', wrongSigner],
    ];
    const failures: string[] = [];
    for (const route of routes) {
      const access = expectedAccess(route)!;
      const [method, path] = route.split(' ') as [string, string];
      const body = method === 'GET' || method === 'DELETE' ? undefined : {};
      for (const [who, token] of tokens) {
        const response = await t.call(method, concrete(path), body, { key: null, headers: { authorization: `Bearer ${token}` } });
        const text = JSON.stringify(response.body ?? '');
        const reaches = access === 'public' || (access === 'member' && (who === 'own member' || who === 'another member'));
        if (reaches && (response.status === 401 || response.status === 403)) failures.push(`${route} as ${who}: ${response.status}`);
        if (!reaches && response.status !== 401) failures.push(`${route} as ${who}: ${response.status}, expected 401`);
        if (access !== 'public' && who !== 'own member' && text.includes('some-id'))
          failures.push(`${route} as ${who} revealed some-id: ${text}`);
        if (response.status >= 500) failures.push(`${route} as ${who}: ${response.status} ${text}`);
      }
    }
    expect(failures).toEqual([]);
  }, 60_000);
});
