import { DataSource } from 'typeorm';
import { EventStore, GlobalPosition, RecordedEvent } from '@loyalty/event-store';
import { Projection, projectBatch } from './projection';

/** Pages a replay reads ahead of its slowest projection: enough to keep every lane busy, few enough to bound memory. */
export const REPLAY_PAGES_AHEAD_MAX = 2;

/**
 * The log from a position on, page by page; the next page is read (and
 * parsed) while the caller projects the current one.
 */
export async function* logPages(
  store: EventStore,
  after: GlobalPosition | undefined,
  pageSize: number,
): AsyncGenerator<readonly RecordedEvent[]> {
  let next = store.readAll({ after, maxCount: pageSize });
  for (;;) {
    const page = await next;
    if (page.length === 0) return;
    next = store.readAll({ after: page[page.length - 1]!.position, maxCount: pageSize });
    // Awaited on the next turn; if the caller stops first, its rejection must not go unhandled.
    next.catch(() => undefined);
    yield page;
  }
}

/**
 * Replays pages with each projection on its own connection ("lane"): the
 * projections own disjoint tables, so while one lane waits on Postgres
 * another folds in memory, and Postgres runs several lanes' statements on
 * its cores at once. A page is atomic per projection, not across them, so
 * this is only for tables nobody reads yet (a rebuild's fresh schema, thrown
 * away if the replay fails); the live projector keeps one transaction per
 * batch. `applied` is called for each page, in log order, once every
 * projection has committed it.
 */
export async function replayInLanes(
  dataSource: DataSource,
  projections: readonly Projection[],
  pages: AsyncIterable<readonly RecordedEvent[]>,
  applied: (page: readonly RecordedEvent[]) => void,
): Promise<void> {
  const lanes = projections.map(() => Promise.resolve());
  const pending: Array<Promise<void>> = [];
  try {
    for await (const page of pages) {
      for (const [i, projection] of projections.entries()) {
        // Each lane applies its pages in log order: the next one starts when its previous one committed.
        lanes[i] = lanes[i]!.then(() => applyAlone(dataSource, projection, page));
      }
      const done = Promise.all(lanes).then(() => applied(page));
      // Awaited in order below; a later page's failure must not go unhandled while an earlier one is awaited.
      done.catch(() => undefined);
      pending.push(done);
      if (pending.length > REPLAY_PAGES_AHEAD_MAX) await pending.shift();
    }
    for (const done of pending) await done;
  } catch (error) {
    // The caller drops the tables next: no lane may still be writing to them.
    await Promise.allSettled(lanes);
    throw error;
  }
}

function applyAlone(dataSource: DataSource, projection: Projection, page: readonly RecordedEvent[]): Promise<void> {
  return dataSource.transaction(async (manager) => {
    // Nobody reads these rows before the caller's own (synchronous) commit makes them visible, and that commit
    // flushes the log up to itself: waiting for each lane's flush would only idle the lane.
    await manager.query('set local synchronous_commit = off');
    await projectBatch(manager, [projection], page);
  });
}
