import { Pool } from 'pg';
import { PostgresEventStore } from '@loyalty/event-store';
import { rebuildReadModels } from '../../apps/cli/src/projections-rebuild';
import { BenchSection, SectionResult } from '../support/harness';
import { round } from '../support/load';

/** Issue #7: the whole read model rebuilt from the log at this rate or better. */
const TARGET_EVENTS_PER_SECOND = 20_000;
/** A progress line every tenth of the log. */
const PROGRESS_STEPS = 10;

/**
 * `npm run projections:rebuild` over the shared seeded log: every
 * projection (balances, lots, ledger entries, segments, KPIs, experiments,
 * offers) replayed into a fresh schema, then swapped in. Timed end to end,
 * schema creation and swap included, as an operator would wait for it.
 */
export const rebuildSection: BenchSection = {
  id: 'rebuild',
  title: 'Projection rebuild',
  async run(ctx): Promise<SectionResult> {
    const log = await ctx.seededLog();
    const pool = new Pool({ connectionString: log.url, max: 4 });
    const store = await PostgresEventStore.open(pool);
    try {
      let step = 0;
      ctx.progress(`rebuild: replaying ${log.events.toLocaleString('en')} events of ${log.members.toLocaleString('en')} members`);
      const result = await rebuildReadModels({
        databaseUrl: log.url,
        store,
        // By events rather than p.fraction: a database without live read models has no checkpoint to measure the way to.
        progress: (p) => {
          const done = p.events / log.events;
          if (done * PROGRESS_STEPS < step + 1) return;
          step = Math.floor(done * PROGRESS_STEPS);
          ctx.progress(`rebuild: ${p.events.toLocaleString('en')} events, ${p.eventsPerSecond.toLocaleString('en')} events/s`);
        },
      });
      const eventsPerSecond = Math.round(result.events / result.seconds);
      return {
        tables: [
          {
            title: 'Rebuild of every read model from the log (fresh schema, replay, swap)',
            columns: ['events', 'members', 'seconds', 'events/s'],
            rows: [[result.events, log.members, round(result.seconds, 1), eventsPerSecond]],
          },
        ],
        figures: { events: result.events, members: log.members, seconds: round(result.seconds, 2), eventsPerSecond },
        targets: [
          {
            target: `rebuild >= ${TARGET_EVENTS_PER_SECOND.toLocaleString('en')} events/s`,
            measured: `${eventsPerSecond.toLocaleString('en')} events/s over ${result.events.toLocaleString('en')} events`,
            met: eventsPerSecond >= TARGET_EVENTS_PER_SECOND,
          },
        ],
      };
    } finally {
      await store.close();
      await pool.end();
    }
  },
};
