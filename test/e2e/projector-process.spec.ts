import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Pool } from 'pg';
import { PostgresEventStore } from '@loyalty/event-store';
import { openReadModels, waitForCheckpoint } from '@loyalty/read-models';
import { enrol, historyOf } from '../../libs/domain/src/testing/member-commands';
import { requireBuiltApp } from '../support/app-process';
import { createTestDatabase } from '../support/postgres';

/** The production layout's standalone projector: catches up from the log, stops at a checkpoint on SIGTERM. */
describe('apps/projector as its own process', () => {
  beforeAll(() => requireBuiltApp());

  it('projects the log into the read models and exits 0 on SIGTERM', async () => {
    const databaseUrl = await createTestDatabase('projector_process');
    const pool = new Pool({ connectionString: databaseUrl, max: 2 });
    const store = await PostgresEventStore.open(pool);
    const events = historyOf(enrol({ memberId: 'proc-1', personalData: null }));
    const written = await store.append(
      'member-proc-1',
      events.map((e, i) => ({
        eventId: `00000000-0000-4000-8000-00000000000${i}`,
        type: e.type,
        data: e.data as unknown as Record<string, unknown>,
      })),
      'no_stream',
    );

    const child = spawn(process.execPath, [join(__dirname, '..', '..', 'dist/apps/projector/src/main.js')], {
      env: { ...process.env, DATABASE_URL: databaseUrl, API_KEYS: 'admin:projector-test-key' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const readModels = await openReadModels(databaseUrl, 2);
    try {
      expect(await waitForCheckpoint(readModels, 'ledger', written.position, 30_000)).toBeDefined();
      const rows = await readModels.query(`select available from read_models.member_balances where member_id = 'proc-1'`);
      expect(rows).toEqual([{ available: '100' }]);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await readModels.destroy();
      await store.close();
      await pool.end();
    }
  }, 120_000);
});
