import { ProgramStore } from '../../apps/ledger-api/src/ledger/program-store';
import { settlementCandidates } from '../../apps/ledger-api/src/jobs/settlement-candidates';
import { TEST_NOW } from '../support/clock';
import { PROGRAM, startTestLedger, TestLedger } from '../support/ledger';

/** Starbucks-like: points expire after 6 months without a purchase, except those earned while gold, which never expire. */
const INACTIVITY_PROGRAM = {
  ...PROGRAM,
  expiryMonths: 0,
  expiry: { kind: 'inactivity', months: 6, activities: ['purchase'] },
  tiers: [PROGRAM.tiers[0], { ...PROGRAM.tiers[1], expiry: { kind: 'never' } }],
};
const ENROLLED_AT = '2025-08-01T00:00:00.000Z';
/** The lapsed member's last purchase, and six months later the end of its inactivity window. */
const LAST_PURCHASE = '2025-10-15T10:00:00.000Z';
const WINDOW_END = '2026-04-15T10:00:00.000Z';
const GOLD_WINDOW_END = '2026-04-16T10:00:00.000Z';

describe('expiry policies over HTTP', () => {
  let t: TestLedger;
  let lastPosition = -1;

  beforeAll(async () => {
    t = await startTestLedger('expiry-policies');
  });
  afterAll(async () => t.close());

  async function write(method: string, path: string, body?: unknown) {
    const response = await t.call(method, path, body);
    expect(response.status).toBe(201);
    lastPosition = Math.max(lastPosition, Number(response.body.position));
    return response.body;
  }
  const buy = (memberId: string, transactionId: string, amountMinor: number, occurredAt: string) =>
    write('POST', '/v1/purchases', { transactionId, memberId, amountMinor, currency: 'EUR', occurredAt });
  const candidates = async (asOf: string) => {
    await t.caughtUp(lastPosition);
    const { policy } = await t.ledger.app.get(ProgramStore).inForce();
    return settlementCandidates(t.ledger.readModels, policy, asOf, '', 100);
  };
  const outstandingAsOf = async (asOf: string) =>
    (await t.call('GET', `/v1/audit/liability?asOf=${asOf}`)).body.outstandingPoints as number;

  it('refuses an inconsistent policy with a stable code and returns the accepted one', async () => {
    const noActivities = { ...INACTIVITY_PROGRAM, expiry: { kind: 'inactivity', months: 6, activities: [] } };
    const refused = await t.call('PUT', '/v1/program', noActivities);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('INVALID_PROGRAM');
    expect((await t.call('PUT', '/v1/program', { ...INACTIVITY_PROGRAM, expiry: { kind: 'sometimes' } })).status).toBe(400);
    await write('PUT', '/v1/program', INACTIVITY_PROGRAM);
    const program = await t.call('GET', '/v1/program');
    expect(program.body).toMatchObject({ expiryMonths: 0, expiry: INACTIVITY_PROGRAM.expiry, tiers: [{}, { expiry: { kind: 'never' } }] });
  });

  it('expires everything at the end of the inactivity window, keeps gold points, and every as-of liability stays exact', async () => {
    await write('POST', '/v1/members', { memberId: 'lapsed', type: 'individual', occurredAt: ENROLLED_AT });
    await buy('lapsed', 'lapsed-1', 5000, LAST_PURCHASE);
    await write('POST', '/v1/members', { memberId: 'gold', type: 'individual', occurredAt: ENROLLED_AT });
    // Earned at silver (the purchase that crosses earns at the old tier), then at gold: those points never expire.
    await buy('gold', 'gold-1', 100_000, LAST_PURCHASE);
    await buy('gold', 'gold-2', 10_000, '2025-10-16T10:00:00.000Z');

    // The welcome lots' own six months ended on 1 February, but the purchases moved them on: nobody is due yet.
    expect(await candidates('2026-03-01T00:00:00.000Z')).toEqual([]);
    expect(await candidates(TEST_NOW)).toEqual(['gold', 'lapsed']);

    const job = await t.call('POST', `/v1/admin/jobs/expire?minPosition=${lastPosition}`, { asOf: TEST_NOW });
    expect(job.status).toBe(200);
    expect(job.body).toMatchObject({ membersChecked: 2, membersChanged: 2, expired: 4 });
    lastPosition = Math.max(lastPosition, Number(job.body.position));

    const lapsed = await t.call('GET', `/v1/members/lapsed/balance?minPosition=${lastPosition}`);
    expect(lapsed.body).toMatchObject({ available: 0, expired: 150 });
    const gold = await t.call('GET', `/v1/members/gold/balance?minPosition=${lastPosition}`);
    expect(gold.body).toMatchObject({ available: 150, expired: 1100 });

    // Dated at the window ends, not at the run: the log answers for any instant around them.
    expect(await outstandingAsOf('2026-04-15T09:59:59.999Z')).toBe(150 + 1250);
    expect(await outstandingAsOf(WINDOW_END)).toBe(1250);
    expect(await outstandingAsOf('2026-04-16T09:59:59.999Z')).toBe(1250);
    expect(await outstandingAsOf(GOLD_WINDOW_END)).toBe(150);
    expect(await candidates(TEST_NOW)).toEqual([]);
  });
});
