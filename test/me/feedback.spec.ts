import { Client } from 'pg';
import { PersonalDataVault } from '@loyalty/platform';
import { PROGRAM, startTestLedger, TestLedger } from '../support/ledger';
import { asMember, memberToken } from './support';

/** A vault of its own over the test's connection, so nothing the app caches answers for it. */
const vaultOver = (client: Client) => new PersonalDataVault({ query: async (sql, params) => (await client.query(sql, params)).rows });

const REVIEW_TEXT = 'Quixotic-Latte-Review the foam was perfect';

/** Feedback over HTTP: a review earns the review bonus under the review cap; its text is sealed and erased with the member's key. */
describe('member feedback', () => {
  let t: TestLedger;
  let raw: Client;
  let token: string;

  beforeAll(async () => {
    t = await startTestLedger('me_feedback');
    raw = new Client({ connectionString: t.databaseUrl });
    await raw.connect();
    const earning = { ...PROGRAM.earning, actionCaps: { review: { maxPerPeriod: 1, periodDays: 30 } } };
    expect((await t.call('PUT', '/v1/program', { ...PROGRAM, earning })).status).toBe(201);
    expect((await t.call('POST', '/v1/members', { memberId: 'fb-1', type: 'individual', name: 'Ada' })).status).toBe(201);
    token = await memberToken(t, 'fb-1');
  });
  afterAll(async () => {
    await raw?.end();
    await t?.close();
  });

  const sealedTexts = async () =>
    (
      await raw.query<{ sealed: string | null }>(
        `select data->'feedback'->>'sealedText' as sealed from event_store.events where stream_id = 'member-fb-1' and event_type = 'ActionRecorded' order by position`,
      )
    ).rows.map((r) => r.sealed);

  it('earns the review bonus once per cap window, answers a retry with the original, and refuses a bad rating', async () => {
    const review = { feedbackId: 'r-1', kind: 'review', rating: 5, text: REVIEW_TEXT, subject: 'latte' };
    const first = await asMember(t, token, 'POST', '/v1/me/feedback', review);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ feedbackId: 'r-1', kind: 'review', pointsAwarded: 50, capReached: false });
    expect((await asMember(t, token, 'POST', '/v1/me/feedback', review)).status).toBe(200);
    const conflicting = await asMember(t, token, 'POST', '/v1/me/feedback', { ...review, rating: 1 });
    expect(conflicting.status).toBe(409);
    const second = await asMember(t, token, 'POST', '/v1/me/feedback', { feedbackId: 'r-2', kind: 'review', rating: 4 });
    expect(second.body).toMatchObject({ pointsAwarded: 0, capReached: true });
    const survey = await asMember(t, token, 'POST', '/v1/me/feedback', { feedbackId: 's-1', kind: 'survey', subject: 'nps-2026' });
    expect(survey.body).toMatchObject({ pointsAwarded: 30 });
    for (const bad of [
      { feedbackId: 'x', kind: 'review', rating: 6 },
      { feedbackId: 'x', kind: 'rant' },
      { feedbackId: 'x', kind: 'review', text: 'x'.repeat(2001) },
    ]) {
      const refused = await asMember(t, token, 'POST', '/v1/me/feedback', bad);
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('VALIDATION_FAILED');
    }
    await t.caughtUp(survey.body.position);
    expect((await t.call('GET', '/v1/members/fb-1/balance')).body.available).toBe(100 + 50 + 30);
  });

  it('keeps the text out of the log in clear, sealed under the member key, and unreadable once the member is erased', async () => {
    const inClear = await raw.query(`select count(*) from event_store.events where data::text ilike '%Quixotic%'`);
    expect(inClear.rows[0].count).toBe('0');
    const [sealed] = await sealedTexts();
    expect(await vaultOver(raw).open('fb-1', sealed!)).toEqual({ text: REVIEW_TEXT });

    expect((await t.call('DELETE', '/v1/members/fb-1/personal-data')).status).toBe(201);
    expect(await vaultOver(raw).open('fb-1', sealed!)).toBeUndefined();
    const afterErasure = await asMember(t, token, 'POST', '/v1/me/feedback', { feedbackId: 'r-3', kind: 'review', text: 'more words' });
    expect(afterErasure.status).toBe(422);
    expect(afterErasure.body.error.code).toBe('MEMBER_ERASED');
    expect((await raw.query(`select count(*) from personal_data.member_keys where member_id = 'fb-1'`)).rows[0].count).toBe('0');
  });
});
