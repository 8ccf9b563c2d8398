import { EntityManager } from 'typeorm';
import { RecordedEvent } from '@loyalty/event-store';

/**
 * Folds events into rows inside the projector's transaction; it must depend
 * on the log alone. A batch is applied as a whole (load the rows it touches,
 * fold in memory, write back in a few multi-row statements), and the rows
 * must be exactly those of applying its events one at a time, in log order,
 * whatever the batch boundaries.
 */
export interface Projection {
  readonly name: string;
  applyBatch(manager: EntityManager, events: readonly RecordedEvent[]): Promise<void>;
}

/** The one place a batch meets the projections: the live projector and the rebuild both call it. */
export async function projectBatch(
  manager: EntityManager,
  projections: readonly Projection[],
  events: readonly RecordedEvent[],
): Promise<void> {
  // Each projection owns its tables, so applying them one after another equals interleaving them per event.
  for (const projection of projections) await projection.applyBatch(manager, events);
}

/** Several projections applied as one, in order: a read model made of parts that a rebuild may run on lanes of their own. */
export const composite = (name: string, parts: readonly Projection[]): Projection => ({
  name,
  applyBatch: (manager, events) => projectBatch(manager, parts, events),
});

/** A projection whose effect is per event by nature (reactions run commands), applied in log order. */
export const perEvent = (name: string, apply: (event: RecordedEvent) => Promise<void>): Projection => ({
  name,
  async applyBatch(_manager, events) {
    for (const event of events) await apply(event);
  },
});
