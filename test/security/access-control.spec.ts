import { Role, ROLES } from '@loyalty/platform';
import { KEYS, startTestLedger, TestLedger } from '../support/ledger';

type Access = readonly Role[] | 'public';

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
  'POST /v1/purchases': ['admin', 'pos'],
  'POST /v1/purchases/{transactionId}/refunds': ['admin', 'pos'],
  'POST /v1/redemptions': ['admin', 'pos'],
  'POST /v1/redemptions/{redemptionId}/reversal': ['admin', 'pos'],
  'POST /v1/admin/jobs/expire': ['admin'],
  'GET /v1/admin/parked-streams': ['admin'],
  'POST /v1/admin/parked-streams/{consumer}/{streamId}/retry': ['admin'],
  'GET /v1/audit/liability': ['admin', 'auditor'],
  'GET /v1/audit/roll-forward': ['admin', 'auditor'],
  'GET /v1/audit/reconciliation': ['admin', 'auditor'],
  'GET /v1/audit/memberships': ['admin', 'auditor'],
  'GET /health/live': 'public',
  'GET /health/ready': 'public',
  'GET /metrics': 'public',
};

/** Analytics routes are for analysts and admins, whatever their path below these prefixes. */
const ANALYTICS_PREFIXES = ['/v1/segments', '/v1/kpis', '/v1/experiments', '/v1/offers', '/v1/analytics'];

function expectedAccess(route: string): Access | undefined {
  const known = ACCESS[route];
  if (known) return known;
  const [method, path] = route.split(' ') as [string, string];
  if (ANALYTICS_PREFIXES.some((p) => path.startsWith(p))) return method === 'GET' ? ['admin', 'analyst'] : ['admin'];
  return undefined;
}

describe('access control, route by route and role by role', () => {
  let t: TestLedger;
  let routes: string[];

  beforeAll(async () => {
    t = await startTestLedger('access');
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
          (s) => (access === 'public' || access.includes(role) ? s !== 401 && s !== 403 : s === 403),
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
});
