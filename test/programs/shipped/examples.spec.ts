import { basename, dirname } from 'node:path';
import { exampleFiles, readExample } from './support';
import { startTestLedger, TestLedger } from '../../support/ledger';

/**
 * A program file is a whole configuration; a promotion (promotions/<program>/<name>.json) is a list of earning rules
 * a manager adds to that program's `earning.rules`. Either way what reaches PUT /v1/program is the file as shipped.
 */
function configurationOf(path: string): unknown {
  const file = readExample(path);
  if (!Array.isArray(file)) return file;
  const program = readExample(`${basename(dirname(path))}.json`) as { earning: { rules?: unknown[] } };
  return { ...program, earning: { ...program.earning, rules: [...(program.earning.rules ?? []), ...file] } };
}

describe('examples/programs', () => {
  let t: TestLedger;

  beforeAll(async () => {
    t = await startTestLedger('shipped_examples');
  });
  afterAll(async () => t.close());

  it('ships the three programs and their promotions', () => {
    expect(exampleFiles()).toEqual(
      expect.arrayContaining([
        'paid-membership.json',
        'sephora-beauty-insider.json',
        'starbucks-rewards.json',
        'promotions/starbucks-rewards/double-star-day.json',
      ]),
    );
  });

  it.each(exampleFiles())('%s is accepted by PUT /v1/program as it is, and the same file again records no new version', async (path) => {
    const configuration = configurationOf(path);
    const put = await t.call('PUT', '/v1/program', configuration);
    expect({ status: put.status, body: put.body }).toMatchObject({ status: 201 });
    // The same file again is the configuration in force: no new version.
    expect((await t.call('PUT', '/v1/program', configuration)).status).toBe(200);
  });
});
