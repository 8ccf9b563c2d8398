import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { builtinSegments, DEFAULT_SEGMENT_THRESHOLDS } from '@loyalty/domain';
import { openReadModels, Projector, READ_MODEL_SCHEMA as S, readModelProjections, waitForCheckpoint } from '@loyalty/read-models';
import { PersonalDataVault, personalDataReader } from '@loyalty/platform';
import { progressBar, rebuildReadModels, RebuildProgress } from '../../apps/cli/src/projections-rebuild';
import { KEYS, PROGRAM, startTestLedger, TestLedger } from '../support/ledger';
import { createTestDatabase } from '../support/postgres';

/** Rebuild into a fresh schema and swap while the API serves and takes writes; the result equals a replay row for row. */
describe('projections rebuild', () => {
  let t: TestLedger;
  let last = -1;
  const past = (days: number) => t.clock.daysAgo(days);
  const write = async (path: string, body: unknown) => {
    const r = await t.call('POST', path, body);
    expect(r.status).toBe(201);
    last = Math.max(last, r.body.position);
  };

  beforeAll(async () => {
    t = await startTestLedger('rebuild');
    await t.call('PUT', '/v1/program', {
      ...PROGRAM,
      offers: [{ offerId: 'o1', startsAt: past(40), endsAt: past(-10), multiplier: 2, boughtCategories: ['coffee'] }],
      experiments: [
        {
          experimentId: 'e1',
          startsAt: past(40),
          variants: [
            { name: 'a', weightPercent: 50, pointsPerUnit: 1 },
            { name: 'b', weightPercent: 50, pointsPerUnit: 3 },
          ],
        },
      ],
    });
    for (let i = 0; i < 12; i++)
      await write('/v1/members', {
        memberId: `rb-${i}`,
        type: i % 3 ? 'individual' : 'business',
        birthDate: `19${60 + i}-03-0${1 + (i % 9)}`,
        occurredAt: past(35 - i),
      });
    for (let i = 0; i < 40; i++) {
      const items = i % 2 ? [{ sku: 'espresso', category: 'coffee', quantity: 2, unitPriceMinor: 300 }] : [];
      await write('/v1/purchases', {
        transactionId: `rbt-${i}`,
        memberId: `rb-${i % 12}`,
        amountMinor: 1_000 + 137 * i,
        currency: 'EUR',
        items,
        occurredAt: past(30 - i / 2),
      });
    }
    await write('/v1/redemptions', { redemptionId: 'rbr-1', memberId: 'rb-1', points: 30, occurredAt: past(3) });
    const seg = await t.call('PUT', '/v1/segments/espresso', { criteria: { type: 'bought', skus: ['espresso'] } });
    last = Math.max(last, seg.body.position);
    expect((await t.call('GET', `/v1/members/rb-1/balance?minPosition=${last}`)).status).toBe(200);
  });
  afterAll(async () => t.close());

  it('swaps in rebuilt tables equal to the live ones, serving reads and taking writes throughout', async () => {
    const admin = new Client({ connectionString: t.databaseUrl });
    await admin.connect();
    await admin.query(readFileSync(join(__dirname, '../../infra/sql/analytics-views.sql'), 'utf8'));
    const progress: RebuildProgress[] = [];
    const reads: number[] = [];

    const result = await rebuildReadModels({
      databaseUrl: t.databaseUrl,
      store: t.ledger.store,
      viewsSql: readFileSync(join(__dirname, '../../infra/sql/analytics-views.sql'), 'utf8'),
      progress: (p) => progress.push(p),
      // Writes and reads while the rebuilt schema exists but is not yet swapped in: the live tables serve them.
      beforeSwap: async () => {
        for (let i = 0; i < 5; i++) {
          await write('/v1/purchases', { transactionId: `during-${i}`, memberId: `rb-${i}`, amountMinor: 2_000, currency: 'EUR' });
          reads.push((await t.call('GET', '/v1/segments', undefined, { key: KEYS.analyst })).status);
        }
      },
    });
    expect(reads).toEqual([200, 200, 200, 200, 200]);
    // The swap replays the tail written during the rebuild, so the rebuilt tables hold the whole log as it is now.
    expect(result.events).toBe((await t.ledger.store.readAll({ maxCount: 10_000 })).length);
    expect(progress[progress.length - 1]).toMatchObject({ fraction: 1, events: result.events });
    expect(progressBar(progress[progress.length - 1]!)).toMatch(/\[#+\] 100% {2}\d+ events {2}\d+ events\/s/);

    // The live projector resumes on the swapped-in tables from their checkpoint.
    await write('/v1/purchases', { transactionId: 'after-swap', memberId: 'rb-2', amountMinor: 3_000, currency: 'EUR' });
    expect((await t.call('GET', `/v1/members/rb-2/balance?minPosition=${last}`)).status).toBe(200);
    const schemas = await admin.query(`select schema_name from information_schema.schemata where schema_name like 'read_models%'`);
    expect(schemas.rows).toEqual([{ schema_name: 'read_models' }]);
    const segmentNames = (await admin.query('select segment from analytics.segments')).rows.map((r) => r.segment as string).sort();
    expect(segmentNames).toEqual([...builtinSegments(DEFAULT_SEGMENT_THRESHOLDS).map((d) => d.name), 'espresso'].sort());

    // Reference: the whole log replayed into an empty database.
    const reference = await openReadModels(await createTestDatabase('rebuild_reference'), 4);
    // Personal data opens with the live database's keys, as the rebuild does.
    const vault = new PersonalDataVault({ query: async (text, values) => (await admin.query(text, values)).rows });
    const projector = new Projector(t.ledger.store, reference, readModelProjections(S, personalDataReader(vault)));
    projector.start();
    expect(await waitForCheckpoint(reference, 'ledger', BigInt(last), 20_000)).toBeDefined();
    await projector.stop();
    const tables = (
      await admin.query(
        `select table_name from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE' and table_name <> 'checkpoints' order by 1`,
        [S],
      )
    ).rows.map((r) => r.table_name as string);
    expect(tables).toEqual(
      expect.arrayContaining(['members', 'ledger_entries', 'segment_memberships', 'kpi_days', 'experiment_members', 'offer_awards']),
    );
    for (const table of tables) {
      const [{ n }] = (
        await admin.query(`select count(*)::int as n from information_schema.columns where table_schema = $1 and table_name = $2`, [
          S,
          table,
        ])
      ).rows;
      const order = Array.from({ length: n }, (_, i) => i + 1).join(', ');
      const live = (await admin.query(`select * from ${S}.${table} order by ${order}`)).rows;
      const replayed = await reference.query(`select * from ${S}.${table} order by ${order}`);
      expect({ table, rows: live }).toEqual({ table, rows: replayed });
    }
    await reference.destroy();
    await admin.end();
  }, 55_000);
});
