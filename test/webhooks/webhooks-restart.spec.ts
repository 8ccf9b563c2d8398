import { loadConfig } from '@loyalty/platform';
import { RunningLedger, startLedger } from '../../apps/ledger-api/src/bootstrap';
import { KEYS, PROGRAM, startTestLedger, TestLedger } from '../support/ledger';
import { eventually, Receiver } from './support/receiver';

const SECRET = 'whsec-restart-0123456789';
const FAST_WEBHOOKS = { WEBHOOK_RETRY_FIRST_DELAY_MS: '50', WEBHOOK_RETRY_MAX_DELAY_MS: '100', WEBHOOK_POLL_INTERVAL_MS: '20' };
const MEMBERS = 5;

/** Deliveries live in the database: a ledger stopped while its receiver is down delivers everything, once, after it starts again. */
describe('webhook deliveries across a restart', () => {
  let first: TestLedger;
  let second: RunningLedger | undefined;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await Receiver.start(SECRET, () => 'refuse');
    first = await startTestLedger('webhooks-restart', FAST_WEBHOOKS);
  });
  afterAll(async () => {
    await receiver.close();
    await second?.close();
  });

  it('loses nothing and sends nothing twice', async () => {
    expect((await first.call('PUT', '/v1/program', PROGRAM)).status).toBe(201);
    const put = await first.call('PUT', '/v1/webhooks/crm', {
      url: receiver.url,
      eventTypes: ['MemberEnrolled', 'PointsAccrued'],
      secret: SECRET,
    });
    expect(put.status).toBe(201);
    for (let i = 1; i <= MEMBERS; i++) {
      expect((await first.call('POST', '/v1/members', { memberId: `r-${i}`, type: 'individual' }, { key: KEYS.pos })).status).toBe(201);
    }
    await eventually(() => new Set(receiver.attempts.map((a) => a.id)).size === 2 * MEMBERS, 20_000, 'every message tried');
    await first.close();
    const triedBeforeRestart = receiver.attempts.length;
    expect(receiver.applied()).toEqual([]);

    receiver.behaviour = () => 'accept';
    const config = loadConfig({
      DATABASE_URL: first.databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      API_KEYS: `admin:${KEYS.admin}`,
      ...FAST_WEBHOOKS,
    });
    second = await startLedger(config, { log: () => undefined, jsonLogs: false });
    await eventually(() => receiver.applied().length === 2 * MEMBERS, 20_000, 'every message delivered after the restart');
    expect(
      receiver
        .applied('MemberEnrolled')
        .map((m) => m.memberId)
        .sort(),
    ).toEqual(Array.from({ length: MEMBERS }, (_, i) => `r-${i + 1}`).sort());
    expect(receiver.attempts.length).toBeGreaterThan(triedBeforeRestart);
    // Delivered is delivered: nothing comes again, however long the worker keeps polling.
    const attemptsWhenDone = receiver.attempts.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.attempts).toHaveLength(attemptsWhenDone);
  });
});

describe('webhook deliveries at shutdown', () => {
  const ATTEMPT_TIMEOUT_MS = 15_000;

  it('do not hold the stop for a receiver that never answers, and are tried again after the restart', async () => {
    const receiver = await Receiver.start(SECRET, (attempt) => (attempt === 1 ? 'hang' : 'accept'));
    const env = { ...FAST_WEBHOOKS, WEBHOOK_ATTEMPT_TIMEOUT_MS: String(ATTEMPT_TIMEOUT_MS) };
    const first = await startTestLedger('webhooks-shutdown', env);
    let second: RunningLedger | undefined;
    try {
      expect((await first.call('PUT', '/v1/program', PROGRAM)).status).toBe(201);
      await first.call('PUT', '/v1/webhooks/crm', { url: receiver.url, eventTypes: ['MemberEnrolled'], secret: SECRET });
      expect((await first.call('POST', '/v1/members', { memberId: 's-1', type: 'individual' }, { key: KEYS.pos })).status).toBe(201);
      await eventually(() => receiver.attempts.length === 1, 20_000, 'the first attempt');
      const stoppingMs = Date.now();
      await first.close();
      expect(Date.now() - stoppingMs).toBeLessThan(ATTEMPT_TIMEOUT_MS / 2);

      const config = loadConfig({ DATABASE_URL: first.databaseUrl, PORT: '0', HOST: '127.0.0.1', API_KEYS: `admin:${KEYS.admin}`, ...env });
      second = await startLedger(config, { log: () => undefined, jsonLogs: false });
      await eventually(() => receiver.applied().length === 1, 20_000, 'the delivery after the restart');
      const listed = await fetch(`${second.url}/v1/webhooks/crm/deliveries`, { headers: { 'x-api-key': KEYS.admin } });
      expect(((await listed.json()) as { deliveries: unknown[] }).deliveries).toEqual([
        expect.objectContaining({ status: 'delivered', attempts: 2, lastError: null }),
      ]);
    } finally {
      await receiver.close();
      await second?.close();
    }
  });
});
