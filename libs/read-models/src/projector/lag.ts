import { EventStore, GlobalPosition } from '@loyalty/event-store';

/** Lag is counted up to this many events: enough to alert on, cheap to measure on any adapter. */
export const LAG_COUNT_CAP = 1000;

/** Events in the log after a checkpoint, at most LAG_COUNT_CAP (the cap means "at least that many"). */
export async function eventsBehind(store: EventStore, checkpoint: GlobalPosition | undefined): Promise<number> {
  const page = await store.readAll({ after: checkpoint, maxCount: LAG_COUNT_CAP });
  return page.length;
}
