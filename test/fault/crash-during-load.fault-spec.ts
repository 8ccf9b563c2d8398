import { Pool } from 'pg';
import { PostgresEventStore } from '@loyalty/event-store';
import { balancesProjection, openReadModels, Projector, READ_MODEL_SCHEMA, waitForCheckpoint } from '@loyalty/read-models';
import { AppProcess, requireBuiltApp, http, startAppProcess } from '../support/app-process';
import { PROGRAM } from '../support/ledger';
import { createTestDatabase } from '../support/postgres';

const CLIENTS = 16;
const MEMBERS = 8;
const KILL_AFTER_MS = 1500;

/**
 * SIGKILL in the middle of a purchase load: every purchase that got a 2xx is
 * in the ledger exactly once, the rest can be retried with the same id
 * without doubling anything, and the read models converge to a rebuild.
 */
describe('crash during a purchase load (SIGKILL)', () => {
  let databaseUrl: string;
  const env = () => ({ DATABASE_URL: databaseUrl, API_KEYS: 'admin:fault-admin-key', RATE_LIMIT_PER_SECOND: '0' });

  beforeAll(async () => {
    requireBuiltApp();
    databaseUrl = await createTestDatabase('crash');
  }, 120_000);

  async function purchasesInLog(): Promise<Map<string, number>> {
    const pool = new Pool({ connectionString: databaseUrl, max: 2 });
    const store = await PostgresEventStore.open(pool);
    const seen = new Map<string, number>();
    let after: bigint | undefined;
    for (;;) {
      const page = await store.readAll({ after, maxCount: 5000, filter: { eventTypes: ['PurchaseRecorded'] } });
      if (page.length === 0) break;
      for (const e of page) seen.set(String(e.data.transactionId), (seen.get(String(e.data.transactionId)) ?? 0) + 1);
      after = page[page.length - 1]!.position;
    }
    await store.close();
    await pool.end();
    return seen;
  }

  it('keeps every acknowledged purchase exactly once and lets the rest be retried', async () => {
    let app: AppProcess = await startAppProcess(env());
    expect((await http(app.url, 'PUT', '/v1/program', PROGRAM)).status).toBe(201);
    for (let m = 0; m < MEMBERS; m++)
      expect((await http(app.url, 'POST', '/v1/members', { memberId: `crash-${m}`, type: 'individual' })).status).toBe(201);

    const acknowledged = new Set<string>();
    const attempted: Array<{ transactionId: string; memberId: string; amountMinor: number; currency: string }> = [];
    let killed = false;
    const url = app.url;
    const clients = Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = 0; !killed; i++) {
        const body = {
          transactionId: `crash-tx-${c}-${i}`,
          memberId: `crash-${(c + i) % MEMBERS}`,
          amountMinor: 1000 + i,
          currency: 'EUR',
        };
        attempted.push(body);
        try {
          const response = await http(url, 'POST', '/v1/purchases', body);
          if (response.status === 201 || response.status === 200) acknowledged.add(body.transactionId);
        } catch {
          return; // the server died under this request
        }
      }
    });
    await new Promise((r) => setTimeout(r, KILL_AFTER_MS));
    killed = true;
    expect(await app.stop('SIGKILL')).toBeNull();
    await Promise.all(clients);
    expect(acknowledged.size).toBeGreaterThan(20);

    const afterCrash = await purchasesInLog();
    for (const id of acknowledged) expect(afterCrash.get(id)).toBe(1);
    for (const count of afterCrash.values()) expect(count).toBe(1);

    app = await startAppProcess(env());
    const retries = await Promise.all(attempted.map((body) => http(app.url, 'POST', '/v1/purchases', body)));
    for (const [i, r] of retries.entries()) {
      expect([200, 201]).toContain(r.status);
      if (acknowledged.has(attempted[i]!.transactionId)) expect(r.status).toBe(200);
    }
    const afterRetry = await purchasesInLog();
    expect(afterRetry.size).toBe(attempted.length);
    for (const count of afterRetry.values()) expect(count).toBe(1);

    const lastPosition = Math.max(...retries.map((r) => r.body.position as number));
    let live = { status: 0 };
    for (let attempt = 0; attempt < 12 && live.status !== 200; attempt++) {
      live = await http(app.url, 'GET', `/v1/members/crash-0/balance?minPosition=${lastPosition}`);
    }
    expect(live.status).toBe(200);
    await app.stop('SIGTERM');

    // Converge: a rebuild from the log into an empty database gives the same balances.
    const pool = new Pool({ connectionString: databaseUrl, max: 4 });
    const store = await PostgresEventStore.open(pool);
    const rebuilt = await openReadModels(await createTestDatabase('crash_rebuild'), 4);
    const projector = new Projector(store, rebuilt, [balancesProjection]);
    projector.start();
    expect(await waitForCheckpoint(rebuilt, 'ledger', BigInt(lastPosition), 30_000)).toBeDefined();
    await projector.stop();
    const liveDb = await openReadModels(databaseUrl, 2);
    const query = `select member_id, available, pending, lifetime_earned from ${READ_MODEL_SCHEMA}.member_balances order by member_id`;
    expect(await rebuilt.query(query)).toEqual(await liveDb.query(query));
    await Promise.all([rebuilt.destroy(), liveDb.destroy(), store.close()]);
    await pool.end();
  }, 180_000);
});
