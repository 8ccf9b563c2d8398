import { createLogger, loadConfig } from '@loyalty/platform';
import { RunningLedger, startLedger } from '../../apps/ledger-api/src/bootstrap';
import { PROGRAM } from '../support/ledger';
import { createTestDatabase } from '../support/postgres';

const ADMIN_KEY = 'logging-admin-key-secret';
const ACCESS_MESSAGES = ['request completed', 'request failed'];

/**
 * The ledger's logs as a log shipper reads them: every line JSON, one access
 * line per request carrying the request id the response echoes, and no
 * personal data or credential (no body, no URL, no query value, no header).
 */
describe('structured logs', () => {
  const lines: string[] = [];
  let ledger: RunningLedger;

  beforeAll(async () => {
    const config = loadConfig({
      DATABASE_URL: await createTestDatabase('logging'),
      PORT: '0',
      HOST: '127.0.0.1',
      API_KEYS: `admin:${ADMIN_KEY},pos:logging-pos-key`,
      RATE_LIMIT_PER_SECOND: '0',
      RATE_LIMIT_UNAUTHENTICATED_PER_SECOND: '0',
    });
    const logger = createLogger({ destination: { write: (line: string) => void lines.push(line) } });
    ledger = await startLedger(config, { logger });
    const program = await fetch(`${ledger.url}/v1/program`, {
      method: 'PUT',
      headers: { 'x-api-key': ADMIN_KEY, 'content-type': 'application/json' },
      body: JSON.stringify(PROGRAM),
    });
    expect(program.status).toBe(201);
  });
  afterAll(() => ledger.close());

  const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  const accessLine = async (requestId: string) => {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const found = parsed().find((line) => line.requestId === requestId && ACCESS_MESSAGES.includes(line.msg as string));
      if (found || Date.now() > deadline) return found;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('writes Nest’s own startup lines as JSON too', () => {
    expect(lines.length).toBeGreaterThan(0);
    expect(parsed()).toContainEqual(
      expect.objectContaining({ level: 'info', context: 'NestApplication', msg: 'Nest application successfully started' }),
    );
  });

  it('logs one line per request with the echoed request id and the route template, never the URL, body or credentials', async () => {
    const enrol = await fetch(`${ledger.url}/v1/members`, {
      method: 'POST',
      headers: { 'x-api-key': ADMIN_KEY, 'content-type': 'application/json', cookie: 'session=cookie-secret' },
      body: JSON.stringify({ memberId: 'log-member-1', type: 'individual', name: 'Ada Lovelace', email: 'ada@example.com' }),
    });
    expect(enrol.status).toBe(201);
    const { position } = (await enrol.json()) as { position: number };
    const balance = await fetch(`${ledger.url}/v1/members/log-member-1/balance?minPosition=${position}&email=ada@example.com`, {
      headers: { 'x-api-key': ADMIN_KEY, authorization: 'Bearer bearer-secret' },
    });
    expect(balance.status).toBe(200);

    const enrolled = await accessLine(enrol.headers.get('x-request-id')!);
    expect(enrolled).toMatchObject({ level: 'info', method: 'POST', route: '/v1/members', status: 201 });
    const read = await accessLine(balance.headers.get('x-request-id')!);
    expect(read).toMatchObject({ level: 'info', method: 'GET', route: '/v1/members/:memberId/balance', status: 200 });
    expect(typeof read!.durationMs).toBe('number');

    const all = lines.join('\n');
    for (const secret of [ADMIN_KEY, 'bearer-secret', 'cookie-secret', 'Ada Lovelace', 'ada@example.com', 'log-member-1'])
      expect(all).not.toContain(secret);
  });

  it('keeps a caller’s well-formed request id in the log line and the response', async () => {
    const response = await fetch(`${ledger.url}/health/live`, { headers: { 'x-request-id': 'trace-log-1' } });
    expect(response.headers.get('x-request-id')).toBe('trace-log-1');
    expect(await accessLine('trace-log-1')).toMatchObject({ route: '/health/live', status: 200 });
  });

  it('logs an unknown route as unmatched, without its path', async () => {
    const response = await fetch(`${ledger.url}/no/such/route/member-42`);
    expect(response.status).toBe(404);
    expect(await accessLine(response.headers.get('x-request-id')!)).toMatchObject({ route: 'unmatched', status: 404 });
    expect(lines.join('\n')).not.toContain('member-42');
  });

  // Last: the read model it breaks stays broken for the rest of this ledger's life.
  it('gives the error line of a failed request the request id of its access line', async () => {
    await ledger.readModels.query('ALTER TABLE read_models.member_balances RENAME TO member_balances_gone');
    const response = await fetch(`${ledger.url}/v1/members/log-member-1/balance`, { headers: { 'x-api-key': ADMIN_KEY } });
    expect(response.status).toBe(500);
    const id = response.headers.get('x-request-id')!;
    expect(await accessLine(id)).toMatchObject({ level: 'error', status: 500, route: '/v1/members/:memberId/balance' });
    expect(parsed()).toContainEqual(expect.objectContaining({ level: 'error', context: 'http', requestId: id }));
  });
});
