import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditCommand, FailedReport } from '../../apps/cli/src/commands/audit-command';
import { KEYS, PROGRAM, startTestLedger, TestLedger } from '../support/ledger';

/** `npm run ledger:audit -- reconcile` in a script or a cron job: a difference must fail it, not only be written down. */
describe('npm run ledger:audit -- reconcile', () => {
  let t: TestLedger;
  const out = join(mkdtempSync(join(tmpdir(), 'audit-cli-')), 'reconciliation.json');
  const reconcile = async () => {
    const previous = process.env.DATABASE_URL;
    process.env.DATABASE_URL = t.databaseUrl;
    try {
      await auditCommand(['reconcile', '--out', out]);
    } finally {
      process.env.DATABASE_URL = previous;
    }
  };

  beforeAll(async () => {
    t = await startTestLedger('audit_cli');
    await t.call('PUT', '/v1/program', PROGRAM);
    await t.call('POST', '/v1/members', { memberId: 'cli-1', type: 'individual' }, { key: KEYS.pos });
    const purchase = await t.call(
      'POST',
      '/v1/purchases',
      { transactionId: 'cli-tx', memberId: 'cli-1', amountMinor: 2500, currency: 'EUR' },
      { key: KEYS.pos },
    );
    await t.caughtUp(purchase.body.position);
  });
  afterAll(async () => t.close());

  it('succeeds on a healthy ledger and fails, after writing the report, on a difference', async () => {
    await reconcile();
    expect(JSON.parse(readFileSync(out, 'utf8')).healthy).toBe(true);

    await t.ledger.readModels.query(`update read_models.kpi_days set revenue_minor = revenue_minor + 1`);
    await expect(reconcile()).rejects.toThrow(FailedReport);
    expect(JSON.parse(readFileSync(out, 'utf8')).healthy).toBe(false);
  });
});
