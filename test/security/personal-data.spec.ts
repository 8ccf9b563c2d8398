import { Client } from 'pg';
import { KEYS, PROGRAM, startTestLedger, TestLedger } from '../support/ledger';

const NAME = 'Zelda Quux-Unique';
const EMAIL = 'zelda.quux@example.org';
const BIRTH_DATE = '1987-04-23';

/**
 * Crypto-shredding, proven on the raw store: personal data never reaches the
 * event log in clear, and erasure makes it unreadable everywhere while
 * balances, ledger and audit stay intact.
 */
describe('personal data (crypto-shredding)', () => {
  let t: TestLedger;
  let raw: Client;

  beforeAll(async () => {
    t = await startTestLedger('personal_data');
    raw = new Client({ connectionString: t.databaseUrl });
    await raw.connect();
    await t.call('PUT', '/v1/program', PROGRAM);
  });
  afterAll(async () => {
    await raw.end();
    await t.close();
  });

  const inEventLog = async (text: string) =>
    Number(
      (await raw.query(`select count(*) from event_store.events where data::text ilike $1 or metadata::text ilike $1`, [`%${text}%`]))
        .rows[0].count,
    );

  it('keeps the event log free of plaintext, serves the profile, and erases it for good', async () => {
    await t.call('POST', '/v1/members', { memberId: 'pii-1', type: 'individual', name: NAME, email: EMAIL, birthDate: BIRTH_DATE });
    const buy = await t.call('POST', '/v1/purchases', { transactionId: 'pii-tx', memberId: 'pii-1', amountMinor: 5000, currency: 'EUR' });
    for (const secret of [NAME, 'Zelda', EMAIL, 'example.org', BIRTH_DATE]) expect(await inEventLog(secret)).toBe(0);

    const profile = await t.call('GET', `/v1/members/pii-1?minPosition=${buy.body.position}`);
    expect(profile.body).toMatchObject({ name: NAME, email: EMAIL, birthDate: BIRTH_DATE });
    const before = await t.call('GET', '/v1/members/pii-1/balance');
    const liabilityBefore = await t.call('GET', `/v1/audit/liability`, undefined, { key: KEYS.auditor });

    expect((await t.call('DELETE', '/v1/members/pii-1/personal-data', undefined, { key: KEYS.pos })).status).toBe(403);
    const erased = await t.call('DELETE', '/v1/members/pii-1/personal-data');
    expect(erased.status).toBe(201);
    expect(erased.body).toMatchObject({ memberId: 'pii-1', erased: true });
    expect((await t.call('DELETE', '/v1/members/pii-1/personal-data')).status).toBe(200);
    expect((await t.call('DELETE', '/v1/members/nobody/personal-data')).status).toBe(404);

    expect((await raw.query(`select count(*) from personal_data.member_keys where member_id = 'pii-1'`)).rows[0].count).toBe('0');
    const after = await t.call('GET', `/v1/members/pii-1?minPosition=${erased.body.position}`);
    expect(after.body).toMatchObject({ memberId: 'pii-1', name: null, email: null, birthDate: null });
    const rows = await raw.query(`select name, email, birth_date from read_models.members where member_id = 'pii-1'`);
    expect(rows.rows).toEqual([{ name: null, email: null, birth_date: null }]);

    const balance = await t.call('GET', '/v1/members/pii-1/balance');
    expect({ ...balance.body, asOfPosition: 0 }).toEqual({ ...before.body, asOfPosition: 0 });
    expect((await t.call('GET', '/v1/members/pii-1/ledger')).body.entries).toHaveLength(2);
    const liabilityAfter = await t.call('GET', `/v1/audit/liability`, undefined, { key: KEYS.auditor });
    // 100 welcome + 50 for the purchase, before and after: erasure moves no points.
    expect([liabilityBefore.body.outstandingPoints, liabilityAfter.body.outstandingPoints]).toEqual([150, 150]);
    const erasure = await raw.query(
      `select event_type from event_store.events where stream_id = 'member-pii-1' order by position desc limit 1`,
    );
    expect(erasure.rows[0].event_type).toBe('MemberErased');
    for (const secret of [NAME, EMAIL, BIRTH_DATE]) expect(await inEventLog(secret)).toBe(0);
  });
});
