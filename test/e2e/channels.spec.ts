import { KEYS, PROGRAM, startTestLedger, TestLedger } from '../support/ledger';

/** A bonus for purchases in the app, none for marketplace orders. */
const CHANNELS = {
  ...PROGRAM,
  earning: {
    ...PROGRAM.earning,
    rules: [
      { ruleId: 'app', when: { channels: ['app'] }, effect: { bonusPoints: 5 } },
      { ruleId: 'direct', when: { excludeChannels: ['marketplace'] }, effect: { bonusPoints: 1 } },
    ],
  },
};

describe('earning rules on channel ids over HTTP', () => {
  let t: TestLedger;

  beforeAll(async () => {
    t = await startTestLedger('channels');
    expect((await t.call('PUT', '/v1/program', CHANNELS)).status).toBe(201);
    expect((await t.call('POST', '/v1/members', { memberId: 'c1', type: 'individual' }, { key: KEYS.pos })).status).toBe(201);
  });
  afterAll(async () => t.close());

  const buy = (transactionId: string, channelId?: unknown) =>
    t.call(
      'POST',
      '/v1/purchases',
      { transactionId, memberId: 'c1', amountMinor: 1000, currency: 'EUR', ...(channelId !== undefined && { channelId }) },
      { key: KEYS.pos },
    );

  it('earns the rules of the purchase channel: included, excluded, or none given', async () => {
    expect((await buy('in-app', 'app')).body.pointsAccrued).toBe(10 + 5 + 1);
    expect((await buy('marketplace', 'marketplace')).body.pointsAccrued).toBe(10);
    expect((await buy('no-channel')).body.pointsAccrued).toBe(10 + 1);
    expect((await t.call('GET', '/v1/program')).body.earning.rules[0].when).toEqual({ channels: ['app'] });
  });

  it('refuses a channelId that is not a client id, naming the field, and writes nothing', async () => {
    for (const [i, channelId] of ['', 'two words', 42].entries()) {
      const refused = await buy(`bad-${i}`, channelId);
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('VALIDATION_FAILED');
      expect(refused.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['channelId']);
      // A first write, not a replay: the refusal recorded nothing under the id.
      expect((await buy(`bad-${i}`, 'web')).status).toBe(201);
    }
  });
});
