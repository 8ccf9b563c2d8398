import { randomInt } from 'node:crypto';
import { Pool } from 'pg';
import { PostgresEventStore } from '@loyalty/event-store';
import { requireBuiltApp } from '../support/app-process';
import { Campaign } from './support/campaign';
import { planCampaign } from './support/campaign-plan';
import {
  indexLog,
  isIn,
  parkedProblems,
  rebuildProblems,
  reconciliationProblems,
  unansweredProblems,
  waitForConvergence,
  writeProblems,
} from './support/checks';
import { RestartableCluster, startRestartableCluster } from './support/cluster';
import { CAMPAIGN_API_KEY, Services } from './support/services';

const SEED = seedFromEnvironment();
const REPLAY = `FAULT_SEED=${SEED} npm run test:fault`;
const CONVERGENCE_TIMEOUT_MS = 60_000;
const CAMPAIGN_TIMEOUT_MS = 300_000;
const OUTPUT_TAIL_CHARS = 3000;

const progress = (line: string) => process.stderr.write(`[fault campaign ${SEED}] ${line}\n`);

/**
 * A seeded random campaign of enrolments, purchases, refunds, redemptions and
 * program changes against the real processes while they are killed, paused,
 * doubled and their database restarted. Every acknowledged write must be in
 * the log exactly once, failed ones must retry without doubling, and the read
 * models must end equal to a rebuild from the log, reconciled and unparked.
 */
describe(`seeded fault campaign (${REPLAY})`, () => {
  let cluster: RestartableCluster;
  let services: Services;
  let pool: Pool | undefined;
  let store: PostgresEventStore | undefined;

  beforeAll(async () => {
    progress(`starting; replay with: ${REPLAY}`);
    requireBuiltApp();
    cluster = await startRestartableCluster();
    services = new Services(cluster);
    await services.start();
  }, 120_000);
  afterAll(async () => {
    await services?.killAll();
    await store?.close();
    await pool?.end();
    await cluster?.destroy();
  });

  it(
    'keeps every acknowledged write exactly once and converges to a rebuild from the log',
    async () => {
      const campaign = new Campaign(planCampaign(SEED), services, progress);
      const problems: string[] = [];
      try {
        await campaign.runSetup();
        await campaign.runLoad();
        pool = new Pool({ connectionString: cluster.databaseUrl, max: 2 });
        store = await PostgresEventStore.open(pool);
        await campaign.retryFailed(isIn(await indexLog(store)));
        const log = await indexLog(store);
        progress(`log: ${log.events} events up to ${log.head}`);
        problems.push(...unansweredProblems(campaign.all), ...writeProblems(campaign.all, log));
        problems.push(...(await waitForConvergence(services.pool, log.head, CONVERGENCE_TIMEOUT_MS)));
        problems.push(...(await reconciliationProblems(services.url, CAMPAIGN_API_KEY)));
        problems.push(...(await parkedProblems(services.pool)));
        await services.stopAll();
        problems.push(...(await rebuildProblems(cluster.databaseUrl, store, services.pool)), ...services.reapplied(), ...services.crashes);
      } catch (error) {
        throw new Error(`${REPLAY}: the campaign broke off: ${String(error)}\n${services.outputTails(OUTPUT_TAIL_CHARS)}`, {
          cause: error,
        });
      }
      progress(problems.length === 0 ? 'all checks passed' : `${problems.length} problems; replay with: ${REPLAY}`);
      expect({ replay: REPLAY, problems }).toEqual({ replay: REPLAY, problems: [] });
    },
    CAMPAIGN_TIMEOUT_MS,
  );
});

function seedFromEnvironment(): number {
  const given = process.env.FAULT_SEED;
  if (given === undefined || given === '') return randomInt(1, 2 ** 31);
  const seed = Number(given);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`FAULT_SEED must be a non-negative integer, not ${given}`);
  return seed;
}
