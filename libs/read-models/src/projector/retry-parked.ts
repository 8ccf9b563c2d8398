import { DataSource, EntityManager } from 'typeorm';
import { EventStore, RecordedEvent } from '@loyalty/event-store';
import { READ_MODEL_SCHEMA } from '../schema';
import { describe, isTransientFailure } from './parking';
import { Projection, projectBatch } from './projection';

export type RetryOutcome =
  | { readonly status: 'released'; readonly events: number }
  | { readonly status: 'still-parked'; readonly events: number; readonly error: string }
  | { readonly status: 'not-parked' };

/**
 * Applies a parked stream's held-back events again, in order and all
 * together, after a fix: either every projection takes all of them and the
 * stream moves with the others again, or nothing changes but the recorded
 * error. It holds the consumer's batches off meanwhile (the same lock the
 * rebuild's swap takes), so no batch of that stream runs in between. The
 * events are read again from the log, which is what they are, rather than
 * from their dead-letter copies.
 */
export async function retryParkedStream(
  dataSource: DataSource,
  store: EventStore,
  consumer: string,
  projections: readonly Projection[],
  streamId: string,
  holdBatches: (manager: EntityManager, consumer: string) => Promise<void>,
): Promise<RetryOutcome> {
  return dataSource.transaction(async (manager) => {
    await holdBatches(manager, consumer);
    const held: Array<{ revision: string; event_id: string }> = await manager.query(
      `select d.revision::text, d.event_id from ${READ_MODEL_SCHEMA}.parked_streams p
         join ${READ_MODEL_SCHEMA}.dead_letters d on d.consumer = p.consumer and d.stream_id = p.stream_id
        where p.consumer = $1 and p.stream_id = $2 order by d.position`,
      [consumer, streamId],
    );
    if (held.length === 0) return { status: 'not-parked' };
    const events = await heldEvents(store, streamId, held);
    await manager.query('savepoint retry_parked');
    try {
      await projectBatch(manager, projections, events);
    } catch (error) {
      await manager.query('rollback to savepoint retry_parked');
      if (isTransientFailure(error)) throw error;
      await manager.query(
        `update ${READ_MODEL_SCHEMA}.parked_streams set error = $3, retried_at = now() where consumer = $1 and stream_id = $2`,
        [consumer, streamId, describe(error)],
      );
      return { status: 'still-parked', events: events.length, error: describe(error) };
    }
    await manager.query(`delete from ${READ_MODEL_SCHEMA}.dead_letters where consumer = $1 and stream_id = $2`, [consumer, streamId]);
    await manager.query(`delete from ${READ_MODEL_SCHEMA}.parked_streams where consumer = $1 and stream_id = $2`, [consumer, streamId]);
    return { status: 'released', events: events.length };
  });
}

async function heldEvents(store: EventStore, streamId: string, held: ReadonlyArray<{ revision: string; event_id: string }>) {
  const first = BigInt(held[0]!.revision);
  const last = BigInt(held[held.length - 1]!.revision);
  const ids = new Set(held.map((h) => h.event_id));
  const events: RecordedEvent[] = [];
  for (let from = first; from <= last;) {
    const page = await store.readStream(streamId, { fromRevision: from, maxCount: Number(last - from + 1n) });
    if (page.length === 0) break;
    events.push(...page.filter((e) => ids.has(e.eventId)));
    from = page[page.length - 1]!.revision + 1n;
  }
  if (events.length !== held.length)
    throw new Error(`stream ${streamId}: ${held.length} events are held back but ${events.length} of them are in the log`);
  return events;
}
