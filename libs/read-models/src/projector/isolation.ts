import { EntityManager } from 'typeorm';
import { RecordedEvent } from '@loyalty/event-store';
import { READ_MODEL_SCHEMA } from '../schema';
import { holdBack, isTransientFailure, parkStream } from './parking';
import { Projection, projectBatch } from './projection';

export interface ParkingScope {
  readonly manager: EntityManager;
  /** The checkpoint's name: the ledger projector, the reactions. */
  readonly consumer: string;
  readonly projections: readonly Projection[];
  /** Updated in place when an event parks its stream. */
  readonly parked: Set<string>;
  readonly schema?: string;
  readonly log?: (message: string) => void;
}

/** The usual path: events of parked streams are held back, the rest applied as one batch. */
export async function applyHoldingBack(scope: ParkingScope, batch: readonly RecordedEvent[]): Promise<void> {
  const held = batch.filter((e) => scope.parked.has(e.streamId));
  await holdBack(scope.manager, scope.consumer, held, scope.schema ?? READ_MODEL_SCHEMA);
  await projectBatch(scope.manager, scope.projections, held.length === 0 ? batch : batch.filter((e) => !scope.parked.has(e.streamId)));
}

/**
 * After a batch failed: one event at a time, each in a savepoint, so an
 * event a projection cannot apply parks its stream (and no projection keeps
 * any of its rows), while every other stream's events go through. A failure
 * of the database itself is no reason to park anything: it fails the batch.
 */
export async function applyIsolating(scope: ParkingScope, batch: readonly RecordedEvent[]): Promise<void> {
  const schema = scope.schema ?? READ_MODEL_SCHEMA;
  for (const event of batch) {
    if (scope.parked.has(event.streamId)) {
      await holdBack(scope.manager, scope.consumer, [event], schema);
      continue;
    }
    await scope.manager.query('savepoint projector_event');
    const failure = await firstFailure(scope.manager, scope.projections, event);
    if (!failure) {
      await scope.manager.query('release savepoint projector_event');
      continue;
    }
    await scope.manager.query('rollback to savepoint projector_event');
    if (isTransientFailure(failure.error)) throw failure.error;
    await parkStream(scope.manager, scope.consumer, event, failure.projection, failure.error, schema);
    scope.parked.add(event.streamId);
    scope.log?.(
      `${scope.consumer}: parked stream ${event.streamId} at ${event.type} ${event.eventId} (position ${event.position}): ` +
        `${failure.projection} could not apply it`,
    );
  }
}

async function firstFailure(
  manager: EntityManager,
  projections: readonly Projection[],
  event: RecordedEvent,
): Promise<{ projection: string; error: unknown } | undefined> {
  for (const projection of projections) {
    try {
      await projection.applyBatch(manager, [event]);
    } catch (error) {
      return { projection: projection.name, error };
    }
  }
  return undefined;
}
