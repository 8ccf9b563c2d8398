import { EntityManager } from 'typeorm';
import { READ_MODEL_SCHEMA } from '../schema';

export async function loadCheckpoint(manager: EntityManager, projection: string, schema = READ_MODEL_SCHEMA): Promise<bigint | undefined> {
  const rows: Array<{ position: string }> = await manager.query(`select position from ${schema}.checkpoints where projection = $1`, [
    projection,
  ]);
  return rows[0] ? BigInt(rows[0].position) : undefined;
}

/** Another writer moved the checkpoint since this consumer read it: its batch must not commit. */
export class CheckpointMovedError extends Error {
  constructor(
    readonly projection: string,
    readonly expected: bigint | undefined,
    readonly actual: bigint | undefined,
  ) {
    super(`checkpoint ${projection} is at ${String(actual ?? 'none')}, not ${String(expected ?? 'none')}: another consumer moved it`);
    this.name = 'CheckpointMovedError';
  }
}

/**
 * Compare-and-set: moves the checkpoint from `expected` (undefined: none yet)
 * to `next`, or throws CheckpointMovedError. Run it first in a batch's
 * transaction: the row lock it takes makes a second writer wait for this
 * batch and then see the checkpoint moved, so two consumers of one name (a
 * paused one, one that lost its lock, a second copy) never apply an event twice.
 * Every batch also needs the consumer's parked streams, so they come back
 * from the same round trip.
 */
export async function advanceCheckpoint(
  manager: EntityManager,
  projection: string,
  expected: bigint | undefined,
  next: bigint,
  schema = READ_MODEL_SCHEMA,
): Promise<{ readonly parkedStreamIds: ReadonlySet<string> }> {
  const move =
    expected === undefined
      ? `insert into ${schema}.checkpoints (projection, position) select $1, $3::bigint where $2::bigint is null
         on conflict (projection) do nothing returning position`
      : `update ${schema}.checkpoints set position = $3::bigint where projection = $1 and position = $2::bigint returning position`;
  const rows: Array<{ moved: number; parked: string[] }> = await manager.query(
    `with moved as (${move})
     select (select count(*)::int from moved) as moved,
            array(select stream_id from ${schema}.parked_streams where consumer = $1) as parked`,
    [projection, expected?.toString() ?? null, next.toString()],
  );
  if (rows[0]?.moved !== 1) throw new CheckpointMovedError(projection, expected, await loadCheckpoint(manager, projection, schema));
  return { parkedStreamIds: new Set(rows[0].parked) };
}
