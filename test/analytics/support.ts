import { appendDecided } from '../support/generated-history';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { deterministicEventId, DomainError, initialMemberState, MemberCommand, MemberState } from '@loyalty/domain';
import { PostgresEventStore } from '@loyalty/event-store';
import {
  openReadModels,
  PersonalDataReader,
  Projector,
  READ_MODEL_SCHEMA,
  readModelProjections,
  waitForCheckpoint,
} from '@loyalty/read-models';

/** Tests seal personal data as plain JSON (`sealForTest`); production seals it with the member's key. */
export const sealForTest = (data: { name?: string; email?: string; birthDate?: string }) => JSON.stringify(data);
const TEST_PERSONAL_DATA: PersonalDataReader = (_memberId, sealed) =>
  Promise.resolve(sealed.startsWith('{') ? JSON.parse(sealed) : undefined);
import { createTestDatabase } from '../support/postgres';

/** An event store and live read models on a fresh database, and a writer that decides commands with the pure domain. */
export async function analyticsLog(label: string) {
  const url = await createTestDatabase(label);
  const pool = new Pool({ connectionString: url, max: 10 });
  const store = await PostgresEventStore.open(pool);
  const states = new Map<string, MemberState>();
  const open: DataSource[] = [];
  const projectors: Projector[] = [];
  let last = -1n;
  const errors: string[] = [];

  async function execute(command: MemberCommand): Promise<boolean> {
    try {
      const appended = await appendDecided(store, command, states.get(command.memberId) ?? initialMemberState());
      if (!appended) return false;
      states.set(command.memberId, appended.state);
      last = appended.position;
      return true;
    } catch (error) {
      if (error instanceof DomainError) return false;
      throw error;
    }
  }

  async function appendTo(streamId: string, events: Array<{ type: string; data: object }>, key: string) {
    const result = await store.append(
      streamId,
      events.map((e, i) => ({ eventId: deterministicEventId(streamId, key, i), type: e.type, data: e.data as Record<string, unknown> })),
      'any',
    );
    last = result.position;
    return result.position;
  }

  /** Projects the whole log into a database (the log's own, or a fresh one) and waits for the last write. */
  const projected = new Map<string, { db: DataSource; projector: Projector }>();
  async function project(into: string = url): Promise<{ db: DataSource; projector: Projector }> {
    // One projector per database: a second one would only stand by, and its DDL would contend with the first one's writes.
    const existing = projected.get(into);
    if (existing) return existing;
    const db = await openReadModels(into, 4);
    open.push(db);
    const projector = new Projector(store, db, readModelProjections(READ_MODEL_SCHEMA, TEST_PERSONAL_DATA), 'ledger', (line) =>
      errors.push(line),
    );
    projector.start();
    projectors.push(projector);
    projected.set(into, { db, projector });
    return { db, projector };
  }

  async function caughtUp(db: DataSource) {
    const reached = await waitForCheckpoint(db, 'ledger', last, 20_000);
    expect({ reached: reached !== undefined, errors: errors.slice(0, 3) }).toEqual({ reached: true, errors: [] });
  }

  return {
    url,
    pool,
    store,
    states,
    execute,
    appendTo,
    project,
    caughtUp,
    newDatabase: () => createTestDatabase(`${label}_rebuild`),
    get last() {
      return last;
    },
    async close() {
      for (const projector of projectors) await projector.stop();
      for (const db of open) await db.destroy();
      await store.close();
      await pool.end();
    },
  };
}
