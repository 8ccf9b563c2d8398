import fc from 'fast-check';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { DomainError, initialMemberState, lotDueAt, MemberState } from '@loyalty/domain';
import { PostgresEventStore, RecordedEvent } from '@loyalty/event-store';
import { projectBatch, readModelProjections, readModelsDdl } from '@loyalty/read-models';
import { commandsOf, memberPlanUnderExpiry } from '../../libs/domain/src/testing/arbitrary-history';
import { createTestDatabase } from '../support/postgres';
import { appendDecided } from '../support/generated-history';

const RUNS = Number(process.env.BATCH_PROPERTY_RUNS ?? 4);
const MEMBERS = 3;
/** One event at a time, and batches that hold a member's activity together with the lots it moves. */
const BATCH_SIZES = [1, 500];

/** Plans under an inactivity policy only (the others never move a lot's deadline), some with a gold override. */
const inactivityPlans = fc.array(
  memberPlanUnderExpiry.filter((p) => p.expiry.kind === 'inactivity'),
  { minLength: MEMBERS, maxLength: MEMBERS },
);

interface LotView {
  member_id: string;
  lot_id: string;
  remaining: number;
  status: string;
  expires_at: string | null;
  due_at: string | null;
}

/**
 * The balance read model moves inactivity deadlines on the same activities
 * as the member's state: every lot row's expires_at and due_at (what the
 * daily job selects by) equal the domain's, at every batch size.
 */
describe('the balance read model under an inactivity policy', () => {
  it('keeps every lot deadline and due instant the domain folds, whatever the batch size', async () => {
    await fc.assert(
      fc.asyncProperty(inactivityPlans, async (plans) => {
        const url = await createTestDatabase('inactivity');
        const pool = new Pool({ connectionString: url, max: 4 });
        const store = await PostgresEventStore.open(pool);
        const db = new DataSource({ type: 'postgres', url, entities: [] });
        await db.initialize();
        try {
          const states = await writeHistories(store, plans);
          const expected = states.flatMap((state, i) => lotViews(`i-${i}`, state)).sort(byKey);
          expect(expected.some((l) => l.expires_at !== null)).toBe(true);
          for (const size of BATCH_SIZES) expect(await projectedLots(store, db, size)).toEqual(expected);
        } finally {
          await db.destroy();
          await store.close();
          await pool.end();
        }
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});

async function writeHistories(store: PostgresEventStore, plans: ReadonlyArray<Parameters<typeof commandsOf>[0]>): Promise<MemberState[]> {
  const states: MemberState[] = [];
  for (const [i, plan] of plans.entries()) {
    const memberId = `i-${i}`;
    let state = initialMemberState();
    for (const command of commandsOf(plan, memberId)) {
      try {
        state = (await appendDecided(store, command, state))?.state ?? state;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
      }
    }
    states.push(state);
  }
  return states;
}

const iso = (at: string | null) => (at === null ? null : new Date(at).toISOString());

function lotViews(memberId: string, state: MemberState): LotView[] {
  return state.lots.map((lot) => ({
    member_id: memberId,
    lot_id: lot.lotId,
    remaining: lot.remaining,
    status: lot.status,
    expires_at: iso(lot.expiresAt),
    due_at: iso(lotDueAt(lot)),
  }));
}

const byKey = (a: LotView, b: LotView) => a.member_id.localeCompare(b.member_id) || a.lot_id.localeCompare(b.lot_id);

async function projectedLots(store: PostgresEventStore, db: DataSource, size: number): Promise<LotView[]> {
  const schema = `rm_${size}`;
  for (const ddl of readModelsDdl(schema)) await db.query(ddl);
  const projections = readModelProjections(schema);
  let after: bigint | undefined;
  for (;;) {
    const page: RecordedEvent[] = await store.readAll({ after, maxCount: size });
    if (page.length === 0) break;
    await db.transaction((manager) => projectBatch(manager, projections, page));
    after = page[page.length - 1]!.position;
  }
  const rows: Array<{
    member_id: string;
    lot_id: string;
    remaining: string;
    status: string;
    expires_at: Date | null;
    due_at: Date | null;
  }> = await db.query(`select member_id, lot_id, remaining, status, expires_at, due_at from ${schema}.member_lots`);
  return rows
    .map((r) => ({
      member_id: r.member_id,
      lot_id: r.lot_id,
      remaining: Number(r.remaining),
      status: r.status,
      expires_at: r.expires_at && r.expires_at.toISOString(),
      due_at: r.due_at && r.due_at.toISOString(),
    }))
    .sort(byKey);
}
