import { ProgramStore } from '../../apps/ledger-api/src/ledger/program-store';
import { settlementCandidates } from '../../apps/ledger-api/src/jobs/settlement-candidates';
import { TEST_NOW } from '../support/clock';
import { PROGRAM, startTestLedger, TestLedger } from '../support/ledger';

/** No welcome lots, a 14-day return window and 6-month expiry: each member below is due for one reason or none. */
const DUE_PROGRAM = { ...PROGRAM, pendingDays: 14, expiryMonths: 6, earning: { ...PROGRAM.earning, welcomeBonus: 0 } };

/** The daily job finds its members by the due instants the projection keeps, and only those. */
describe('settlement candidates', () => {
  let t: TestLedger;
  let lastPosition = -1;
  const past = (daysAgo: number) => t.clock.daysAgo(daysAgo);

  beforeAll(async () => {
    t = await startTestLedger('settlement-due');
    expect((await t.call('PUT', '/v1/program', DUE_PROGRAM)).status).toBe(201);
  });
  afterAll(async () => t.close());

  async function write(method: string, path: string, body?: unknown) {
    const response = await t.call(method, path, body);
    expect(response.status).toBe(201);
    lastPosition = Math.max(lastPosition, response.body.position as number);
    return response.body;
  }
  const enrol = (memberId: string, occurredAt: string, extra: Record<string, unknown> = {}) =>
    write('POST', '/v1/members', { memberId, type: 'individual', occurredAt, ...extra });
  const buy = (memberId: string, occurredAt: string) =>
    write('POST', '/v1/purchases', { transactionId: `${memberId}-tx`, memberId, amountMinor: 5000, currency: 'EUR', occurredAt });
  const runJob = async (asOf: string) => {
    const job = await t.call('POST', `/v1/admin/jobs/expire?minPosition=${lastPosition}`, { asOf });
    expect(job.status).toBe(200);
    lastPosition = Math.max(lastPosition, job.body.position as number);
    return job.body;
  };
  const candidates = async () => {
    await t.caughtUp(lastPosition);
    const { policy } = await t.ledger.app.get(ProgramStore).inForce();
    return settlementCandidates(t.ledger.readModels, policy, TEST_NOW, '', 100);
  };

  it('picks exactly the members with a lot or a requalification or a birthday bonus due, and none once settled', async () => {
    await enrol('due-expiry', past(250));
    await buy('due-expiry', past(240));
    // Activated by an earlier run; what is left of the lot expires 6 months after the purchase, 57 days ago.
    expect(await runJob(past(200))).toMatchObject({ membersChecked: 1, activated: 1 });
    await enrol('due-activation', past(30));
    await buy('due-activation', past(20));
    await enrol('due-requalification', past(370));
    await enrol('due-birthday', past(30), { birthDate: '1990-05-22' });
    await enrol('due-leap-day', '2026-02-27T12:00:00.000Z', { birthDate: '2000-02-29' });
    await enrol('not-pending-yet', past(30));
    await buy('not-pending-yet', past(5));
    await enrol('not-birthday-yet', past(30), { birthDate: '1990-12-25' });
    await enrol('not-erased', past(30), { birthDate: '1990-05-22' });
    lastPosition = (await t.call('DELETE', '/v1/members/not-erased/personal-data')).body.position;
    await enrol('not-anything', past(30));

    const due = ['due-activation', 'due-birthday', 'due-expiry', 'due-leap-day', 'due-requalification'];
    expect(await candidates()).toEqual(due);
    expect(await runJob(TEST_NOW)).toMatchObject({
      membersChecked: due.length,
      membersChanged: due.length,
      activated: 1,
      expired: 1,
      birthdayBonuses: 2,
      tierChanges: 1,
    });
    const leapDay = await t.call('GET', `/v1/members/due-leap-day/ledger?minPosition=${lastPosition}`);
    // 29 February falls on 28 February in 2026.
    expect(leapDay.body.entries[0]).toMatchObject({ type: 'accrual:birthday', occurredAt: '2026-02-28T00:00:00.000Z' });

    // The run's own events moved every due instant past now: nobody is left, and a second run checks nobody.
    expect(await candidates()).toEqual([]);
    expect(await runJob(TEST_NOW)).toMatchObject({ membersChecked: 0, membersChanged: 0 });
  });

  it('leaves out requalifications and birthdays under a program without tiers or a birthday bonus', async () => {
    const plain = { ...DUE_PROGRAM, tiers: [], earning: { ...DUE_PROGRAM.earning, birthdayBonus: 0 } };
    await write('PUT', '/v1/program', plain);
    await enrol('plain-anniversary', past(370));
    await enrol('plain-birthday', past(30), { birthDate: '1990-05-22' });
    expect(await candidates()).toEqual([]);
    expect(await runJob(TEST_NOW)).toMatchObject({ membersChecked: 0 });
  });
});
