import { openPool } from '@loyalty/platform';
import { EVENT_STORE_SCHEMA, PostgresEventStore } from '@loyalty/event-store';
import { seedLog } from '../../apps/cli/src/seed/seed-log';
import { SeededLog } from './harness';

export const SEEDED_LOG_SIZE = { full: { events: 1_000_000, members: 10_000 }, quick: { events: 100_000, members: 1_000 } };

/** Seeds the shared log through the pure domain (see seed-log.ts), printing progress as it goes. */
export async function seedSharedLog(url: string, quick: boolean, progress: (line: string) => void): Promise<SeededLog> {
  const size = quick ? SEEDED_LOG_SIZE.quick : SEEDED_LOG_SIZE.full;
  const pool = openPool(url, 20, progress, 'seeded log');
  const store = await PostgresEventStore.open(pool);
  const started = performance.now();
  let reported = 0;
  try {
    const seeded = await seedLog(store, {
      ...size,
      seed: 1,
      onProgress: (written) => {
        if (written - reported < size.events / 10) return;
        reported = written;
        progress(`seeding the shared log: ${written.toLocaleString('en')} / ${size.events.toLocaleString('en')} events`);
      },
    });
    // Without statistics Postgres plans a page read of a freshly loaded log as a sort of the rest of it (seconds per page).
    await pool.query(`analyze ${EVENT_STORE_SCHEMA}.events`);
    const seconds = (performance.now() - started) / 1000;
    progress(
      `seeded ${seeded.events.toLocaleString('en')} events for ${seeded.members.toLocaleString('en')} members in ${seconds.toFixed(1)} s`,
    );
    return { url, events: seeded.events, members: seeded.members };
  } finally {
    await store.close();
    await pool.end();
  }
}
