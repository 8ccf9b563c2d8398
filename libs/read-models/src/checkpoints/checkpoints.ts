import { EntityManager } from 'typeorm';
import { READ_MODEL_SCHEMA } from '../schema';

export async function loadCheckpoint(manager: EntityManager, projection: string): Promise<bigint | undefined> {
  const rows: Array<{ position: string }> = await manager.query(
    `select position from ${READ_MODEL_SCHEMA}.checkpoints where projection = $1`,
    [projection],
  );
  return rows[0] ? BigInt(rows[0].position) : undefined;
}

/** Refuses to move backwards, so a stale writer can never rewind a checkpoint. */
export async function saveCheckpoint(manager: EntityManager, projection: string, position: bigint): Promise<void> {
  const rows: unknown[] = await manager.query(
    `insert into ${READ_MODEL_SCHEMA}.checkpoints (projection, position) values ($1, $2)
     on conflict (projection) do update set position = excluded.position
       where ${READ_MODEL_SCHEMA}.checkpoints.position < excluded.position
     returning position`,
    [projection, position.toString()],
  );
  if (rows.length === 0) throw new Error(`checkpoint ${projection} is already past ${position}: another projector is running`);
}
