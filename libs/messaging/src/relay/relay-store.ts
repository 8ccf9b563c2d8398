import { Pool, PoolClient } from 'pg';
import { migrateSchema, MigrationSet } from '@loyalty/platform';
import { DeadLetter } from './chunks';

export const RELAY_SCHEMA = 'relay';

/** Serialises the migrations across relays booting at once (the key the idempotent DDL took before them). */
const RELAY_MIGRATION_LOCK_KEY = 7_310_101;

/** The baseline of RELAY_MIGRATIONS: frozen, as every earlier release applied it at boot. */
const RELAY_DDL = `
create schema if not exists ${RELAY_SCHEMA};

create table if not exists ${RELAY_SCHEMA}.checkpoints (
  name text primary key,
  position bigint not null,
  updated_at timestamptz not null default now()
);

create table if not exists ${RELAY_SCHEMA}.dead_letters (
  relay_name text not null,
  event_id uuid not null,
  position bigint not null,
  stream_id text not null,
  revision bigint not null,
  event_type text not null,
  topic text not null,
  message_bytes integer not null,
  error text not null,
  recorded_at timestamptz not null default now(),
  primary key (relay_name, event_id)
);
`;

/** The relay schema, change by change (docs/operations.md, "Upgrades"). */
export const RELAY_MIGRATIONS: MigrationSet = {
  lockKey: RELAY_MIGRATION_LOCK_KEY,
  migrations: [{ name: 'RelayBaseline1764633600000', sql: () => RELAY_DDL }],
};

/**
 * The Postgres side of a relay, all on one connection that holds the session
 * advisory lock: one active relay per topic map, others wait as hot standbys.
 * Checkpoints go through the same connection, so a relay that has lost its
 * lock (connection gone) cannot move the checkpoint any more.
 */
export class RelayLeadership {
  private lostReason: string | undefined;
  private readonly onError: (error: Error) => void;

  private constructor(
    private readonly client: PoolClient,
    readonly name: string,
    onLost: (reason: string) => void,
  ) {
    this.onError = (error) => {
      this.lostReason ??= `leadership connection lost: ${error.message}`;
      onLost(this.lostReason);
    };
    client.on('error', this.onError);
  }

  /**
   * Undefined when another relay holds the lock for this name. The client
   * listens for errors from the moment it is checked out: a connection that
   * drops while the schema migrates would otherwise emit an error no one
   * handles, which ends the process.
   */
  static async tryAcquire(pool: Pool, name: string, onLost: (reason: string) => void): Promise<RelayLeadership | undefined> {
    const client = await pool.connect();
    let dropped: Error | undefined;
    const onEarlyError = (error: Error) => void (dropped ??= error);
    client.on('error', onEarlyError);
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        `select pg_try_advisory_lock(hashtext('kafka-relay'), hashtext($1)) as locked`,
        [name],
      );
      if (!rows[0]?.locked) {
        client.off('error', onEarlyError);
        client.release();
        return undefined;
      }
      const url = pool.options.connectionString;
      if (!url) throw new Error('the relay needs a pool opened with a connection string, to migrate its schema');
      await migrateSchema(url, RELAY_SCHEMA, RELAY_MIGRATIONS);
      if (dropped) throw new Error(`leadership connection lost while migrating: ${dropped.message}`, { cause: dropped });
      client.off('error', onEarlyError);
      return new RelayLeadership(client, name, onLost);
    } catch (error) {
      client.off('error', onEarlyError);
      client.release(true);
      throw error;
    }
  }

  get lost(): string | undefined {
    return this.lostReason;
  }

  async loadCheckpoint(): Promise<bigint | undefined> {
    const { rows } = await this.client.query<{ position: string }>(`select position from ${RELAY_SCHEMA}.checkpoints where name = $1`, [
      this.name,
    ]);
    return rows[0] ? BigInt(rows[0].position) : undefined;
  }

  /**
   * Records the dead letters and moves the checkpoint in one transaction, so a
   * poison event is on record before the relay is past it. The move is a
   * compare-and-set from the checkpoint this relay started its chunk from: a
   * relay that is not the one that moved it last (a second copy, one that was
   * paused) fails here instead of recording anything.
   */
  async commit(expected: bigint | undefined, position: bigint, deadLetters: readonly DeadLetter[]): Promise<void> {
    await this.client.query('begin');
    try {
      if (deadLetters.length > 0) {
        await this.client.query(
          `insert into ${RELAY_SCHEMA}.dead_letters
             (relay_name, event_id, position, stream_id, revision, event_type, topic, message_bytes, error)
           select $1, * from unnest($2::uuid[], $3::bigint[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::int[], $9::text[])
           on conflict (relay_name, event_id) do update set error = excluded.error, recorded_at = now()`,
          [
            this.name,
            deadLetters.map((d) => d.event.eventId),
            deadLetters.map((d) => d.event.position.toString()),
            deadLetters.map((d) => d.event.streamId),
            deadLetters.map((d) => d.event.revision.toString()),
            deadLetters.map((d) => d.event.type),
            deadLetters.map((d) => d.topic),
            deadLetters.map((d) => d.bytes),
            deadLetters.map((d) => d.error),
          ],
        );
      }
      const { rowCount } =
        expected === undefined
          ? await this.client.query(
              `insert into ${RELAY_SCHEMA}.checkpoints (name, position) values ($1, $2) on conflict (name) do nothing`,
              [this.name, position.toString()],
            )
          : await this.client.query(
              `update ${RELAY_SCHEMA}.checkpoints set position = $3, updated_at = now() where name = $1 and position = $2`,
              [this.name, expected.toString(), position.toString()],
            );
      if (rowCount !== 1) throw new Error(`relay checkpoint ${this.name} moved past ${String(expected ?? 'none')} by another relay`);
      await this.client.query('commit');
    } catch (error) {
      await this.client.query('rollback').catch(() => undefined);
      throw error;
    }
  }

  async release(): Promise<void> {
    if (!this.lostReason) {
      await this.client.query(`select pg_advisory_unlock(hashtext('kafka-relay'), hashtext($1))`, [this.name]).catch(() => undefined);
    }
    // The client goes back to the pool (or away): it must not report to this leadership any more.
    this.client.off('error', this.onError);
    this.client.release(this.lostReason ? true : undefined);
  }
}

export interface DeadLetterRow {
  readonly eventId: string;
  readonly position: bigint;
  readonly eventType: string;
  readonly topic: string;
  readonly messageBytes: number;
  readonly error: string;
}

/** For operators and tests: what a relay set aside, oldest first. */
export async function listDeadLetters(pool: Pool, relayName: string): Promise<DeadLetterRow[]> {
  const { rows } = await pool.query<{
    event_id: string;
    position: string;
    event_type: string;
    topic: string;
    message_bytes: number;
    error: string;
  }>(
    `select event_id, position, event_type, topic, message_bytes, error from ${RELAY_SCHEMA}.dead_letters
     where relay_name = $1 order by position`,
    [relayName],
  );
  return rows.map((r) => ({
    eventId: r.event_id,
    position: BigInt(r.position),
    eventType: r.event_type,
    topic: r.topic,
    messageBytes: r.message_bytes,
    error: r.error,
  }));
}
