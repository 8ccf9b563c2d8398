import SwaggerParser from '@apidevtools/swagger-parser';
import { startTestLedger, TestLedger } from '../support/ledger';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- the served document, checked field by field below

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
/** Routes with no error to give: probes and the scrape answer whatever state the process is in. */
const WITHOUT_ERRORS = ['getLiveness', 'getReadiness', 'getMetrics'];
/** Money and points are integers: these names, wherever a property has them. */
const isMoneyOrPointsName = (name: string) =>
  /Minor$|Points$/.test(name) || name === 'points' || (/^points[A-Z]/.test(name) && !/(Rate|PerRevenue)$/.test(name));

/** The document clients generate from, as served at /docs/json: valid OpenAPI 3, and complete enough to generate a client. */
describe('OpenAPI document', () => {
  let t: TestLedger;
  let document: Json;
  let operations: Array<{ route: string; operation: Json }>;

  beforeAll(async () => {
    t = await startTestLedger('openapi');
    const response = await t.call('GET', '/docs/json', undefined, { key: null });
    expect(response.status).toBe(200);
    document = response.body;
    operations = Object.entries(document.paths as Record<string, Json>).flatMap(([path, item]) =>
      METHODS.filter((method) => item[method]).map((method) => ({ route: `${method.toUpperCase()} ${path}`, operation: item[method] })),
    );
  });
  afterAll(async () => t.close());

  it('is a valid OpenAPI 3 document', async () => {
    expect(document.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('names every operation with a unique operationId of its own, not a generated Controller_method one', () => {
    const ids = operations.map(({ operation }) => operation.operationId as string | undefined);
    expect(operations.length).toBeGreaterThan(50);
    expect(operations.filter(({ operation }) => !operation.operationId).map(({ route }) => route)).toEqual([]);
    expect(ids.filter((id) => id?.includes('_'))).toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('gives every operation a 2xx answer with a schema (but a 204), and a write both its 201 and its 200', () => {
    const missing = operations.filter(({ operation }) => {
      const successes = Object.entries(operation.responses as Record<string, Json>).filter(([status]) => /^2\d\d$/.test(status));
      return (
        successes.length === 0 ||
        successes.some(([status, r]) => status !== '204' && !Object.values((r.content ?? {}) as Record<string, Json>).some((c) => c.schema))
      );
    });
    expect(missing.map(({ route }) => route)).toEqual([]);
    const purchase = document.paths['/v1/purchases'].post.responses;
    expect(Object.keys(purchase)).toEqual(expect.arrayContaining(['200', '201']));
    expect(purchase['201'].content['application/json'].schema.properties.pointsAccrued.type).toBe('integer');
  });

  it('documents the errors of every operation with the one error body', () => {
    const errorRef = '#/components/schemas/ApiErrorBody';
    const without = operations.filter(({ operation }) => {
      if (WITHOUT_ERRORS.includes(operation.operationId)) return false;
      const errors = Object.entries(operation.responses as Record<string, Json>).filter(([status]) => /^[45]\d\d$/.test(status));
      return errors.length === 0 || errors.some(([, r]) => r.content?.['application/json']?.schema?.$ref !== errorRef);
    });
    expect(without.map(({ route }) => route)).toEqual([]);
    expect(document.components.schemas.ApiErrorBody.required).toEqual(['error']);
    const keyed = operations.filter(({ operation }) => (operation.security ?? []).some((s: Json) => 'api-key' in s));
    expect(keyed.filter(({ operation }) => !operation.responses['401'] || !operation.responses['403']).map(({ route }) => route)).toEqual(
      [],
    );
  });

  it('types money and points as integers everywhere, in requests and answers', () => {
    const notInteger: string[] = [];
    const walk = (node: unknown, at: string): void => {
      if (node === null || typeof node !== 'object') return;
      const properties = (node as Json).properties as Record<string, Json> | undefined;
      for (const [name, schema] of Object.entries(properties ?? {})) {
        const scalar = !schema.$ref && schema.type !== 'object' && schema.type !== 'array';
        if (isMoneyOrPointsName(name) && scalar && schema.type !== 'integer') notInteger.push(`${at}.${name}`);
      }
      for (const [key, child] of Object.entries(node)) walk(child, `${at}/${key}`);
    };
    walk(document, '');
    expect(notInteger).toEqual([]);
    expect(document.components.schemas.RecordPurchaseDto.properties.amountMinor).toMatchObject({ type: 'integer', minimum: 0 });
  });

  it('carries the validators’ patterns and bounds, servers and security schemes, and no required accept header', () => {
    const purchase = document.components.schemas.RecordPurchaseDto.properties;
    expect(purchase.transactionId.pattern).toBe('^[A-Za-z0-9._:-]{1,128}$');
    expect(purchase.items.maxItems).toBeGreaterThan(0);
    const memberParam = document.paths['/v1/members/{memberId}/balance'].get.parameters.find((p: Json) => p.name === 'memberId');
    expect(memberParam.schema).toMatchObject({ pattern: '^[A-Za-z0-9._:-]{1,128}$', maxLength: 128 });
    expect(document.servers.length).toBeGreaterThan(0);
    expect(Object.keys(document.components.securitySchemes)).toEqual(expect.arrayContaining(['api-key', 'member-token']));
    const acceptHeaders = operations.filter(({ operation }) =>
      (operation.parameters ?? []).some((p: Json) => p.in === 'header' && p.name.toLowerCase() === 'accept'),
    );
    expect(acceptHeaders.map(({ route }) => route)).toEqual([]);
  });
});
