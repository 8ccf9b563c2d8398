import { settlementCandidates } from '../../apps/ledger-api/src/jobs/settlement-candidates';
import { ProgramStore } from '../../apps/ledger-api/src/ledger/program-store';
import { PROGRAM, startTestLedger, TestLedger } from '../support/ledger';

/** Sephora-like: spend in the calendar year in Los Angeles, a status kept for the rest of that year and the whole next one. */
const BEAUTY = {
  ...PROGRAM,
  currency: 'USD',
  timeZone: 'America/Los_Angeles',
  tierPolicy: { qualifyBy: 'spend', window: { kind: 'calendarYear' }, status: { kind: 'calendarYears', years: 2 } },
  tiers: [
    { name: 'insider', minSpendMinor: 0, multiplier: 1 },
    { name: 'vib', minSpendMinor: 35_000, multiplier: 1 },
    { name: 'rouge', minSpendMinor: 100_000, multiplier: 1 },
  ],
};
/** Midnight of 1 January 2028 in Los Angeles. */
const END_OF_2027_LA = '2028-01-01T08:00:00.000Z';
const HOLD_UNTIL = '2026-09-01T00:00:00.000Z';

describe('tier policy, progress and manual tier changes over HTTP', () => {
  let t: TestLedger;
  let lastPosition = -1;

  beforeAll(async () => {
    t = await startTestLedger('tiers');
  });
  afterAll(async () => t.close());

  async function write(method: string, path: string, body: unknown, status = 201) {
    const response = await t.call(method, path, body);
    expect(response.status).toBe(status);
    lastPosition = Math.max(lastPosition, Number(response.body.position));
    return response.body;
  }
  const profile = async () => (await t.call('GET', `/v1/members/ada?minPosition=${lastPosition}`)).body;

  it('takes the tier policy and the time zone, refuses a policy its tiers do not fit, and returns both', async () => {
    const refused = await t.call('PUT', '/v1/program', { ...BEAUTY, tierPolicy: { qualifyBy: 'points' } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('INVALID_PROGRAM');
    expect((await t.call('PUT', '/v1/program', { ...BEAUTY, timeZone: 'Mars/Olympus_Mons' })).body.error.code).toBe('INVALID_PROGRAM');
    await write('PUT', '/v1/program', BEAUTY);
    const program = (await t.call('GET', '/v1/program')).body;
    expect(program).toMatchObject({
      timeZone: 'America/Los_Angeles',
      tierPolicy: {
        qualifyBy: 'spend',
        window: { kind: 'calendarYear' },
        status: { kind: 'calendarYears', years: 2 },
        downgrade: 'toQualified',
      },
    });
  });

  it('upgrades after the crossing purchase and shows the progress to the next tier and the status end', async () => {
    await write('POST', '/v1/members', { memberId: 'ada', type: 'individual', occurredAt: '2026-01-05T00:00:00Z' });
    await write('POST', '/v1/purchases', {
      transactionId: 'ada-1',
      memberId: 'ada',
      amountMinor: 40_000,
      currency: 'USD',
      occurredAt: '2026-03-01T18:00:00Z',
    });
    expect(await profile()).toMatchObject({
      tier: 'vib',
      tierProgress: { qualifyingValue: 40_000, nextTier: 'rouge', remainingToNext: 60_000, statusUntil: END_OF_2027_LA },
    });
  });

  it('records an admin’s tier change once, refuses what it must, and holds the tier until its end', async () => {
    const change = { changeId: 'tc-1', tier: 'rouge', reason: 'status match', until: '2026-09-01T00:00:00Z' };
    const created = await write('POST', '/v1/members/ada/tier', change);
    expect(created).toMatchObject({ changeId: 'tc-1', memberId: 'ada', from: 'vib', tier: 'rouge', until: HOLD_UNTIL });
    const again = await t.call('POST', '/v1/members/ada/tier', change);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(created);
    expect((await t.call('POST', '/v1/members/ada/tier', { ...change, tier: 'insider' })).status).toBe(409);
    expect((await t.call('POST', '/v1/members/ada/tier', { ...change, changeId: 'tc-2', tier: 'platinum' })).body.error.code).toBe(
      'UNKNOWN_TIER',
    );
    expect((await t.call('POST', '/v1/members/ada/tier', { ...change, changeId: 'tc-3' }, { key: 'test-pos-key' })).status).toBe(403);
    expect((await t.call('POST', '/v1/members/ada/tier', { changeId: 'tc-4', tier: 'vib' })).status).toBe(400);
    expect(await profile()).toMatchObject({
      tier: 'rouge',
      tierProgress: { nextTier: null, remainingToNext: null, statusUntil: HOLD_UNTIL },
    });
  });

  it('hands the tier back to the policy when the hold ends, dated at its end by the daily job', async () => {
    t.clock.set('2026-09-02T12:00:00.000Z');
    const before = await t.call('POST', `/v1/admin/jobs/expire?minPosition=${lastPosition}`, { asOf: '2026-08-31T23:59:59.999Z' });
    expect(before.body).toMatchObject({ tierChanges: 0 });
    const job = await t.call('POST', `/v1/admin/jobs/expire?minPosition=${lastPosition}`, { asOf: '2026-09-02T00:00:00Z' });
    expect(job.status).toBe(200);
    expect(job.body).toMatchObject({ membersChecked: 1, membersChanged: 1, tierChanges: 1 });
    lastPosition = Math.max(lastPosition, Number(job.body.position));
    expect(await profile()).toMatchObject({
      tier: 'vib',
      tierProgress: { qualifyingValue: 40_000, nextTier: 'rouge', remainingToNext: 60_000, statusUntil: END_OF_2027_LA },
    });
  });

  it('leaves a tier held indefinitely out of the yearly review under a program without a tier policy', async () => {
    await write('PUT', '/v1/program', { ...PROGRAM, expiryMonths: 0 });
    // Today's rules spelled out are the same configuration: no new version.
    const spelledOut = { ...PROGRAM, expiryMonths: 0, tierPolicy: { qualifyBy: 'spend', window: { kind: 'rolling', months: 12 } } };
    expect((await t.call('PUT', '/v1/program', spelledOut)).status).toBe(200);
    await write('POST', '/v1/members', { memberId: 'bob', type: 'individual', occurredAt: '2025-06-01T00:00:00Z' });
    await write('POST', '/v1/members', { memberId: 'cy', type: 'individual', occurredAt: '2025-06-01T00:00:00Z' });
    await write('POST', '/v1/members/bob/tier', { changeId: 'tc-bob', tier: 'gold', reason: 'employee' });
    await t.caughtUp(lastPosition);
    const { policy } = await t.ledger.app.get(ProgramStore).inForce();
    // Both were enrolled over a year ago and their points never expire: cy's review is due, bob's held tier has none.
    expect(await settlementCandidates(t.ledger.readModels, policy, '2026-09-02T00:00:00.000Z', '', 100)).toEqual(['cy']);
  });
});
