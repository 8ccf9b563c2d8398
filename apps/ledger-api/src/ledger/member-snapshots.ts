import { Logger } from '@nestjs/common';
import { decodeMemberState, MEMBER_STATE_SHAPE_VERSION, MemberState } from '@loyalty/domain';
import { describeFailure, migrateSchema, MigrationSet } from '@loyalty/platform';
import { processStateEncoder, StateEncoder } from './snapshot-encoder';

export const MEMBER_SNAPSHOT_SCHEMA = 'ledger_state';

const MEMBER_SNAPSHOT_DDL = `
create schema if not exists ${MEMBER_SNAPSHOT_SCHEMA};
create table if not exists ${MEMBER_SNAPSHOT_SCHEMA}.member_snapshots (
  stream_id text primary key,
  revision bigint not null,
  event_id text not null,
  shape_version integer not null,
  state text not null,
  written_at timestamptz not null default now()
);`;

/** Serialises the migrations across processes booting at once (the idempotent DDL took no lock, and could race). */
const MEMBER_SNAPSHOT_MIGRATION_LOCK_KEY = 7_310_005;

/** The snapshot schema, change by change (docs/operations.md, "Upgrades"): MEMBER_SNAPSHOT_DDL is the frozen baseline. */
export const MEMBER_SNAPSHOT_MIGRATIONS: MigrationSet = {
  lockKey: MEMBER_SNAPSHOT_MIGRATION_LOCK_KEY,
  migrations: [{ name: 'MemberSnapshotsBaseline1764633600000', sql: () => MEMBER_SNAPSHOT_DDL }],
};

/** A member's state folded up to `revision`, whose event was `eventId`: a later read from `revision` checks the stream still holds it. */
export interface MemberSnapshot {
  readonly revision: bigint;
  readonly eventId: string;
  readonly state: MemberState;
}

export interface SqlRunner {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

/**
 * Members' folded states, persisted so that a process with a cold cache
 * reads only the events after a snapshot. Writes happen off the request
 * path and may be lost (a crash, a failed write): a snapshot only ever
 * saves reading, so a missing one costs a longer read, never a wrong state.
 * The encode runs on the encoder's thread: a long history's state took
 * 25-100 ms to encode, a pause of every request on this event loop.
 */
export class MemberSnapshots {
  private readonly logger = new Logger('member snapshots');
  /** Writes under way, by stream: one at a time per member, all awaited at shutdown. */
  private readonly writing = new Map<string, Promise<void>>();

  private constructor(
    private readonly db: SqlRunner,
    private readonly encoder: StateEncoder,
  ) {}

  /** Migrates the table at `url`, read through `db`; snapshots of another state shape are discarded, as this code could not use them. */
  static async open(url: string, db: SqlRunner): Promise<MemberSnapshots> {
    await migrateSchema(url, MEMBER_SNAPSHOT_SCHEMA, MEMBER_SNAPSHOT_MIGRATIONS);
    await db.query(`delete from ${MEMBER_SNAPSHOT_SCHEMA}.member_snapshots where shape_version <> $1`, [MEMBER_STATE_SHAPE_VERSION]);
    return new MemberSnapshots(db, processStateEncoder());
  }

  async load(streamId: string): Promise<MemberSnapshot | undefined> {
    const rows = (await this.db.query(
      `select revision, event_id, state from ${MEMBER_SNAPSHOT_SCHEMA}.member_snapshots where stream_id = $1 and shape_version = $2`,
      [streamId, MEMBER_STATE_SHAPE_VERSION],
    )) as Array<{ revision: string; event_id: string; state: string }>;
    const row = rows[0];
    return row && { revision: BigInt(row.revision), eventId: row.event_id, state: decodeMemberState(row.state) };
  }

  /** Starts writing the snapshot after the current request has answered; false when one for this member is still being written. */
  save(streamId: string, snapshot: MemberSnapshot): boolean {
    if (this.writing.has(streamId)) return false;
    const write = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.write(streamId, snapshot))
      .catch((error) => this.logger.warn(`snapshot of ${streamId} at revision ${snapshot.revision} not written: ${describeFailure(error)}`))
      .finally(() => this.writing.delete(streamId));
    this.writing.set(streamId, write);
    return true;
  }

  /** Resolves once every write started so far has finished. */
  async drain(): Promise<void> {
    await Promise.all(this.writing.values());
  }

  private async write(streamId: string, { revision, eventId, state }: MemberSnapshot): Promise<void> {
    const text = await this.encoder.encode(state);
    await this.db.query(
      `insert into ${MEMBER_SNAPSHOT_SCHEMA}.member_snapshots (stream_id, revision, event_id, shape_version, state)
       values ($1, $2, $3, $4, $5)
       on conflict (stream_id) do update
         set revision = excluded.revision, event_id = excluded.event_id, shape_version = excluded.shape_version,
             state = excluded.state, written_at = now()
       where ${MEMBER_SNAPSHOT_SCHEMA}.member_snapshots.revision < excluded.revision
          or ${MEMBER_SNAPSHOT_SCHEMA}.member_snapshots.shape_version <> excluded.shape_version`,
      [streamId, revision.toString(), eventId, MEMBER_STATE_SHAPE_VERSION, text],
    );
  }
}
