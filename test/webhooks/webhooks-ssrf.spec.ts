import { KEYS, PROGRAM, startTestLedger, TestLedger } from '../support/ledger';
import { eventually, Receiver } from './support/receiver';

const SECRET = 'whsec-ssrf-0123456789abcd';

/** With NODE_ENV=production a webhook may not reach the ledger's own network, unless the operator allow-lists it. */
describe('webhook targets in production', () => {
  let guarded: TestLedger;
  let allowing: TestLedger;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await Receiver.start(SECRET);
    guarded = await startTestLedger('webhooks-ssrf', { NODE_ENV: 'production', WEBHOOK_ALLOWED_TARGETS: '10.1.0.0/16' });
    allowing = await startTestLedger('webhooks-ssrf-allowed', {
      NODE_ENV: 'production',
      WEBHOOK_ALLOWED_TARGETS: '127.0.0.1',
      WEBHOOK_POLL_INTERVAL_MS: '20',
    });
  });
  afterAll(async () => {
    await receiver.close();
    await Promise.all([guarded.close(), allowing.close()]);
  });

  const put = (t: TestLedger, url: string) => t.call('PUT', '/v1/webhooks/crm', { url, eventTypes: ['MemberEnrolled'], secret: SECRET });

  it('refuses loopback, private, link-local and unique-local targets, by address or by a name resolving to one', async () => {
    for (const url of [
      receiver.url,
      'http://localhost:8080/hook',
      'http://10.0.0.5/hook',
      'http://192.168.0.10/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]:8080/hook',
      'http://[fd00::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://0.0.0.0/hook',
    ]) {
      const refused = await put(guarded, url);
      expect([url, refused.status, refused.body.error.code]).toEqual([url, 422, 'WEBHOOK_TARGET_FORBIDDEN']);
    }
    expect((await guarded.call('GET', '/v1/webhooks')).body.webhooks).toEqual([]);
    expect((await put(guarded, 'http://10.1.2.3/hook')).status).toBe(201);
  });

  it('delivers to an allow-listed address', async () => {
    expect((await put(allowing, receiver.url)).status).toBe(201);
    expect((await allowing.call('PUT', '/v1/program', PROGRAM)).status).toBe(201);
    expect((await allowing.call('POST', '/v1/members', { memberId: 'ssrf-1', type: 'individual' }, { key: KEYS.pos })).status).toBe(201);
    await eventually(() => receiver.applied().length === 1, 20_000, 'the delivery');
    expect(receiver.applied()[0]).toMatchObject({ type: 'MemberEnrolled', memberId: 'ssrf-1' });
  });
});
