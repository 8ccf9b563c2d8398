import { loadConfig } from '@loyalty/platform';
import { waitForCheckpoint } from '@loyalty/read-models';
import { RunningLedger, startLedger } from '../../apps/ledger-api/src/bootstrap';
import { TestClock } from './clock';
import { createTestDatabase } from './postgres';

export const KEYS = { admin: 'test-admin-key', pos: 'test-pos-key', analyst: 'test-analyst-key', auditor: 'test-auditor-key' };

export interface TestLedger {
  readonly ledger: RunningLedger;
  readonly databaseUrl: string;
  /** The app's only clock: it stays where the test puts it (TEST_NOW at start). */
  readonly clock: TestClock;
  call(
    method: string,
    path: string,
    body?: unknown,
    options?: { key?: string | null; raw?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON over HTTP, untyped by nature: the assertions check its shape
  /** Waits (bounded) until the read models reflect a write; a loaded CI machine can take longer than one `minPosition` wait. */
  caughtUp(position: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** The real app (HTTP, event store, projector) on a fresh database and a free port, on a clock the test controls. */
export async function startTestLedger(label: string, env: Record<string, string> = {}, clock = new TestClock()): Promise<TestLedger> {
  const databaseUrl = await createTestDatabase(label);
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    API_KEYS: Object.entries(KEYS)
      .map(([role, key]) => `${role}:${key}`)
      .join(','),
    RATE_LIMIT_PER_SECOND: '0',
    RATE_LIMIT_UNAUTHENTICATED_PER_SECOND: '0',
    ...env,
  });
  const ledger = await startLedger(config, { clock, log: () => undefined, jsonLogs: false });
  return {
    ledger,
    databaseUrl,
    clock,
    async call(method, path, body, options = {}) {
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      const key = options.key === undefined ? KEYS.admin : options.key;
      if (key !== null) headers['x-api-key'] = key;
      const payload = options.raw ?? (body === undefined ? undefined : JSON.stringify(body));
      if (payload !== undefined) headers['content-type'] ??= 'application/json';
      const response = await fetch(`${ledger.url}${path}`, { method, headers, body: payload });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // non-JSON bodies (docs pages) are returned as text
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
    async caughtUp(position, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while ((await waitForCheckpoint(ledger.readModels, 'ledger', BigInt(position), 1000)) === undefined) {
        if (Date.now() > deadline) throw new Error(`read models did not reach ${position} within ${timeoutMs} ms`);
      }
    },
    close: () => ledger.close(),
  };
}

export const PROGRAM = {
  currency: 'EUR',
  pointValueMinor: 1,
  earning: {
    pointsPerUnit: 1,
    unitMinor: 100,
    categoryMultipliers: { coffee: 2 },
    welcomeBonus: 100,
    birthdayBonus: 200,
    referralBonus: { referrer: 300, referee: 100 },
    actionBonuses: { review: 50, survey: 30 },
  },
  pendingDays: 0,
  expiryMonths: 12,
  tiers: [
    { name: 'silver', minSpendMinor: 0, multiplier: 1 },
    { name: 'gold', minSpendMinor: 100000, multiplier: 1.5 },
  ],
  rewards: [{ rewardId: 'free-coffee', points: 250 }],
};
