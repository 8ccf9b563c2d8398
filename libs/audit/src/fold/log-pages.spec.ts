import fc from 'fast-check';
import { Pool } from 'pg';
import { PROGRAM_STREAM_ID } from '@loyalty/domain';
import { EventStore, InstrumentedEventStore, PostgresEventStore } from '@loyalty/event-store';
import { memberPlanWithCoupons, ARBITRARY_REWARDS } from '../../../domain/src/testing/arbitrary-history';
import { programInForce } from '../../../domain/src/testing/fixtures';
import { appendGeneratedMember } from '../../../../test/support/generated-history';
import { createTestDatabase } from '../../../../test/support/postgres';
import { AuditFold, asOfWindow, AuditWindow } from './audit-fold';
import { foldLog } from './read-log';
import { liabilityReport } from '../reports/liability';
import { rollForwardReport } from '../reports/roll-forward';

const RUNS = Number(process.env.AUDIT_PROPERTY_RUNS ?? 10);
const END_MS = Date.parse('2030-01-01T00:00:00Z');
/** Small pages, so a generated log spans several and every page bound is crossed. */
const PAGE_SIZE = 7;

/** The same store seen only through the EventStore port, as any other adapter is read. */
const throughThePort = (store: EventStore): EventStore => ({
  append: (...args) => store.append(...args),
  readStream: (...args) => store.readStream(...args),
  readAll: (...args) => store.readAll(...args),
  subscribeToAll: (...args) => store.subscribeToAll(...args),
  ping: () => store.ping(),
  close: () => store.close(),
});

const figures = (fold: AuditFold) => ({
  liability: liabilityReport(fold, new Date(END_MS).toISOString(), { byMember: true }),
  eventsRead: fold.eventsRead,
  eventsCounted: fold.eventsCounted,
  lastPosition: fold.lastPosition,
});

/** The audit's direct Postgres read (fewer columns, trimmed payloads) against paging through the port, on generated logs. */
describe('audit log pages on Postgres (fast-check)', () => {
  let pool: Pool;
  let store: PostgresEventStore;
  let members = 0;
  let last = -1n;

  beforeAll(async () => {
    pool = new Pool({ connectionString: await createTestDatabase('audit_log_pages'), max: 4 });
    store = await PostgresEventStore.open(pool);
    const program = programInForce({ rewards: [...ARBITRARY_REWARDS] });
    await store.append(
      PROGRAM_STREAM_ID,
      [
        {
          eventId: '00000000-0000-5000-8000-000000000001',
          type: 'ProgramConfigured',
          data: { schemaVersion: 1, version: 1, policy: program.policy, occurredAt: '2024-12-01T00:00:00.000Z' },
        },
      ],
      'no_stream',
    );
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
  });

  it('folds the same figures as the port, whole log or cut at a position, with or without a reader alongside', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(memberPlanWithCoupons, { minLength: 1, maxLength: 2 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (plans, cut) => {
          for (const plan of plans) {
            const { lastPosition } = await appendGeneratedMember(store, plan, `pages-${members++}`);
            if (lastPosition > last) last = lastPosition;
          }
          const windows: AuditWindow[] = [asOfWindow(END_MS), asOfWindow(END_MS, (last * BigInt(Math.round(cut * 1000))) / 1000n)];
          for (const window of windows) {
            const direct = await foldLog(store, window, { pageSize: PAGE_SIZE });
            const viaPort = await foldLog(throughThePort(store), window, { pageSize: PAGE_SIZE });
            expect(figures(direct)).toEqual(figures(viaPort));
            const seen: bigint[] = [];
            const alongside = await foldLog(store, window, { pageSize: PAGE_SIZE }, (event) => seen.push(event.position));
            expect(figures(alongside)).toEqual(figures(viaPort));
            expect(seen).toHaveLength(viaPort.eventsRead);
          }
          const period = { asOfMs: END_MS, fromMs: Date.parse('2025-06-01T00:00:00Z'), untilPosition: null };
          const roll = async (s: EventStore) =>
            rollForwardReport(await foldLog(s, period, { pageSize: PAGE_SIZE }), '2025-06-01', '2030-01-01');
          expect(await roll(store)).toEqual(await roll(throughThePort(store)));
        },
      ),
      { numRuns: RUNS },
    );
  }, 120_000);

  it("reads the adapter's log directly through the API's instrumented store too", async () => {
    const instrumented = new InstrumentedEventStore(store, {
      appended: () => undefined,
      conflicted: () => undefined,
      committed: () => undefined,
    });
    const readAll = jest.spyOn(store, 'readAll');
    try {
      const direct = await foldLog(instrumented, asOfWindow(END_MS), { pageSize: PAGE_SIZE });
      expect(readAll).not.toHaveBeenCalled();
      expect(figures(direct)).toEqual(figures(await foldLog(throughThePort(store), asOfWindow(END_MS), { pageSize: PAGE_SIZE })));
    } finally {
      readAll.mockRestore();
    }
  });

  it('gives the connection back once the fold is done, and when it fails', async () => {
    const idle = () => pool.idleCount;
    await foldLog(store, asOfWindow(END_MS), { pageSize: PAGE_SIZE });
    const idleAfterFold = idle();
    await expect(foldLog(store, asOfWindow(END_MS), { pageSize: 0 })).rejects.toThrow(RangeError);
    await expect(
      foldLog(store, asOfWindow(END_MS), {
        pageSize: PAGE_SIZE,
        onProgress: () => {
          throw new Error('reader gone');
        },
        progressIntervalMs: 0,
      }),
    ).rejects.toThrow('reader gone');
    expect(idle()).toBe(idleAfterFold);
    expect(pool.totalCount - pool.idleCount).toBe(0);
  });
});
