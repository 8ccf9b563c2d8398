import { appendDecided } from '../support/generated-history';
import fc from 'fast-check';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import {
  DEFAULT_SEGMENT_THRESHOLDS,
  deterministicEventId,
  DomainError,
  initialMemberState,
  MemberCommand,
  ProgramPolicy,
  SEGMENT_DEFINITIONS_STREAM_ID,
} from '@loyalty/domain';
import { PostgresEventStore, RecordedEvent } from '@loyalty/event-store';
import { PersonalDataReader, projectBatch, readModelProjections, readModelsDdl } from '@loyalty/read-models';
import { commandsOf, memberPlanWithCoupons, RECEIVED_AT } from '../../libs/domain/src/testing/arbitrary-history';
import { policy } from '../../libs/domain/src/testing/fixtures';
import { erase } from '../../libs/domain/src/testing/member-commands';
import { createTestDatabase } from '../support/postgres';

const RUNS = Number(process.env.BATCH_PROPERTY_RUNS ?? 4);
/** One event at a time (the reference), a size that cuts through every member's history, and the live projector's maximum. */
const BATCH_SIZES = [1, 7, 500];
/** Personal data sealed as plain JSON, as the analytics tests do; production opens it with the member's key. */
const READER: PersonalDataReader = (_memberId, sealed) => Promise.resolve(sealed.startsWith('{') ? JSON.parse(sealed) : undefined);

const window = { startsAt: '2025-02-01T00:00:00.000Z', endsAt: '2026-01-01T00:00:00.000Z' };
const PROGRAM: ProgramPolicy = policy({
  experiments: [
    {
      experimentId: 'rate',
      ...window,
      variants: [
        { name: 'a', weightPercent: 50, pointsPerUnit: 1 },
        { name: 'b', weightPercent: 50, pointsPerUnit: 2 },
      ],
    },
  ],
  offers: [
    {
      offerId: 'coffee',
      ...window,
      multiplierBp: null,
      bonusPoints: 25,
      criteria: null,
      boughtSkus: [],
      boughtCategories: ['coffee'],
      pointsBudget: null,
    },
  ],
});

/** Admin writes to the segment definitions stream, dropped into the members' histories at generated points. */
const DEFINITIONS = [
  {
    type: 'SegmentDefined',
    data: {
      name: 'coffee-spenders',
      description: 'test',
      criteria: {
        type: 'all',
        of: [
          { type: 'bought', categories: ['coffee'], withinDays: 60 },
          { type: 'purchaseAmount', minMinor: 50_000 },
        ],
      },
    },
  },
  { type: 'SegmentThresholdsChanged', data: { thresholds: { ...DEFAULT_SEGMENT_THRESHOLDS, newMemberDays: 10, loyalMinPurchases: 2 } } },
  {
    type: 'SegmentDefined',
    data: {
      name: 'anniversary',
      description: 'test',
      criteria: {
        type: 'any',
        of: [
          { type: 'enrolmentAnniversary', withinDays: 100 },
          { type: 'lastPurchase', minDaysAgo: 5, maxDaysAgo: 50 },
        ],
      },
    },
  },
  { type: 'SegmentRemoved', data: { name: 'coffee-spenders' } },
] as const;

/** Several generated plans joined into one: histories long enough for batches to cut through day changes, refunds and expiries. */
const longPlan = fc
  .array(memberPlanWithCoupons, { minLength: 4, maxLength: 8 })
  .map((plans) => ({ ...plans[0]!, steps: plans.flatMap((p) => p.steps) }));

const history = fc.record({
  plans: fc.array(longPlan, { minLength: 3, maxLength: 5 }),
  /** Which member writes next: members interleave, and their clocks disagree, so the segment clock also sees backdated events. */
  schedule: fc.array(fc.nat(), { minLength: 400, maxLength: 400 }),
  definitionsAt: fc.array(fc.nat({ max: 100 }), { minLength: DEFINITIONS.length, maxLength: DEFINITIONS.length }),
  sealed: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
  erasedAt: fc.array(fc.option(fc.nat({ max: 60 })), { minLength: 5, maxLength: 5 }),
});

/**
 * Batching is an optimisation only: the read models are the same rows
 * whether a log is applied one event at a time or in batches of any size,
 * for every table of every projection (personal data, erasures, segment
 * definitions, day changes, experiments, offers and coupons included).
 */
describe('projections applied in batches', () => {
  it('write the same rows at every batch size', async () => {
    await fc.assert(
      fc.asyncProperty(history, async (h) => {
        const url = await createTestDatabase('batches');
        const pool = new Pool({ connectionString: url, max: 4 });
        const store = await PostgresEventStore.open(pool);
        const db = new DataSource({ type: 'postgres', url, entities: [] });
        await db.initialize();
        try {
          await writeHistory(store, h);
          const [reference, ...others] = await Promise.all(
            BATCH_SIZES.map(async (size) => ({ size, tables: await project(store, db, size) })),
          );
          expect(Object.keys(reference!.tables).length).toBeGreaterThan(15);
          expect(reference!.tables['ledger_entries']!.length).toBeGreaterThan(0);
          for (const other of others) expect(other).toEqual({ size: other.size, tables: reference!.tables });
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

async function writeHistory(store: PostgresEventStore, h: HistoryValue): Promise<void> {
  await store.append(
    'program-default',
    [
      {
        eventId: deterministicEventId('program-default', 'v1', 0),
        type: 'ProgramConfigured',
        data: { schemaVersion: 1, version: 1, policy: PROGRAM, occurredAt: '2024-12-01T00:00:00.000Z' },
      },
    ],
    'no_stream',
  );
  const queues = h.plans.map((plan, i) => {
    const memberId = `b-${i}`;
    const commands = commandsOf(plan, memberId).map((c) => withProgram(c, i, h.sealed[i]!));
    const erasedAt = h.erasedAt[i];
    if (erasedAt !== null && erasedAt !== undefined && erasedAt < commands.length) {
      commands.splice(
        erasedAt + 1,
        0,
        erase({ memberId, occurredAt: commands[erasedAt]!.occurredAt, receivedAt: RECEIVED_AT, requestHash: `erase-${memberId}` }),
      );
    }
    return { memberId, commands, state: initialMemberState() };
  });
  let written = 0;
  let definitions = 0;
  for (const pick of h.schedule) {
    const open = queues.filter((q) => q.commands.length > 0);
    if (open.length === 0) break;
    const queue = open[pick % open.length]!;
    const command = queue.commands.shift()!;
    try {
      const appended = await appendDecided(store, command, queue.state);
      if (!appended) continue;
      queue.state = appended.state;
    } catch (error) {
      if (error instanceof DomainError) continue;
      throw error;
    }
    written += 1;
    for (const [i, at] of h.definitionsAt.entries()) {
      if (at !== written) continue;
      const d = DEFINITIONS[i]!;
      const data = { schemaVersion: 1, ...d.data, occurredAt: command.occurredAt };
      await store.append(
        SEGMENT_DEFINITIONS_STREAM_ID,
        [{ eventId: deterministicEventId(SEGMENT_DEFINITIONS_STREAM_ID, `d${definitions++}`, 0), type: d.type, data }],
        'any',
      );
    }
  }
}

type HistoryValue = typeof history extends fc.Arbitrary<infer T> ? T : never;

/** The generated commands with this test's program (an experiment and an offer) and, for some members, sealed personal data. */
function withProgram(command: MemberCommand, member: number, sealed: boolean): MemberCommand {
  const program = {
    version: 1,
    policy: { ...PROGRAM, pendingDays: command.program.policy.pendingDays, expiryMonths: command.program.policy.expiryMonths },
  };
  if (command.type === 'EnrolMember' && sealed)
    return { ...command, program, personalData: JSON.stringify({ name: `n${member}`, birthDate: `19${70 + member}-02-2${member}` }) };
  return { ...command, program };
}

/** The whole log into a fresh schema, `size` events per transaction; every table's rows, in key order. */
async function project(store: PostgresEventStore, db: DataSource, size: number): Promise<Record<string, unknown[]>> {
  const schema = `rm_${size}`;
  for (const ddl of readModelsDdl(schema)) await db.query(ddl);
  const projections = readModelProjections(schema, READER);
  let after: bigint | undefined;
  for (;;) {
    const page: RecordedEvent[] = await store.readAll({ after, maxCount: size });
    if (page.length === 0) break;
    await db.transaction((manager) => projectBatch(manager, projections, page));
    after = page[page.length - 1]!.position;
  }
  const tables: Array<{ table_name: string; columns: number }> = await db.query(
    `select table_name, (select count(*)::int from information_schema.columns c where c.table_schema = t.table_schema and c.table_name = t.table_name) as columns
     from information_schema.tables t where table_schema = $1 and table_type = 'BASE TABLE' order by 1`,
    [schema],
  );
  const rows: Record<string, unknown[]> = {};
  for (const { table_name, columns } of tables) {
    const order = Array.from({ length: columns }, (_, i) => i + 1).join(', ');
    rows[table_name] = await db.query(`select * from ${schema}.${table_name} order by ${order}`);
  }
  return rows;
}
