import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { policy, T0 } from '../../libs/domain/src/testing/fixtures';
import { enrol, purchase } from '../../libs/domain/src/testing/member-commands';
import { analyticsLog, sealForTest } from './support';

const sql = (file: string) => readFileSync(join(__dirname, '../../infra/sql', file), 'utf8');

/** The documented views and the read-only analyst role, applied as an operator would. */
describe('analyst SQL access', () => {
  let log: Awaited<ReturnType<typeof analyticsLog>>;
  let client: Client;

  beforeAll(async () => {
    log = await analyticsLog('analyst_sql');
    const { db } = await log.project();
    await log.appendTo(
      'program-default',
      [{ type: 'ProgramConfigured', data: { schemaVersion: 1, version: 1, policy: policy(), occurredAt: '2026-01-01T00:00:00.000Z' } }],
      'p1',
    );
    await log.execute(enrol({ memberId: 'v1', personalData: sealForTest({ name: 'Secret Name', birthDate: '1980-02-02' }) }));
    await log.execute(purchase({ memberId: 'v1', transactionId: 'vt1', amountMinor: 4200 }));
    await log.caughtUp(db);
    client = new Client({ connectionString: log.url });
    await client.connect();
    await client.query(sql('analytics-views.sql'));
    await client.query(sql('analyst-role.sql'));
  });
  afterAll(async () => {
    await client?.end();
    await log.close();
  });

  it('lets loyalty_analyst read every view, without personal data', async () => {
    await client.query('set role loyalty_analyst');
    try {
      const members = await client.query('select * from analytics.members');
      expect(members.rows).toEqual([
        { member_id: 'v1', member_type: 'individual', tier: 'silver', enrolled_at: new Date(T0), age_band: 'age-45-54' },
      ]);
      expect(JSON.stringify(members.rows)).not.toContain('Secret');
      const daily = await client.query('select day::text, purchases, revenue_minor, outstanding_points from analytics.kpi_daily');
      expect(daily.rows).toEqual([{ day: '2026-01-10', purchases: '1', revenue_minor: '4200', outstanding_points: '142' }]);
      const views = await client.query(`select table_name from information_schema.views where table_schema = 'analytics' order by 1`);
      for (const { table_name } of views.rows) await client.query(`select * from analytics.${table_name} limit 1`);
      const documented = [...sql('analytics-views.sql').matchAll(/create or replace view analytics\.(\w+)/g)].map((m) => m[1]).sort();
      expect(views.rows.map((r) => r.table_name as string).sort()).toEqual(documented);
    } finally {
      await client.query('reset role');
    }
  });

  it('refuses the analyst any write and any read of the underlying tables', async () => {
    await client.query('set role loyalty_analyst');
    try {
      const attempts = [
        `select * from read_models.members`,
        `insert into analytics.offer_awards values ('o', 't', 'm', 1, now())`,
        `delete from analytics.segment_changes`,
        `create table analytics.mine (x int)`,
      ];
      for (const attempt of attempts) {
        await client.query('begin');
        await expect(client.query(attempt)).rejects.toMatchObject({ code: expect.stringMatching(/^(42501|25006)$/) });
        await client.query('rollback');
      }
    } finally {
      await client.query('reset role');
    }
  });
});
