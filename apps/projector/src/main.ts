import { EventStore, EventStoreDbEventStore, PostgresEventStore } from '@loyalty/event-store';
import {
  ConfigError,
  lineLogger,
  loadConfig,
  Logger,
  openPool,
  openPersonalDataVault,
  personalDataReader,
  probeDatabase,
  RunningProcess,
  runProcess,
  stopSteps,
} from '@loyalty/platform';
import { openReadModels, Projector, READ_MODEL_SCHEMA, readModelProjections } from '@loyalty/read-models';

/**
 * The projector as its own process (production layout). Needs DATABASE_URL;
 * a second replica is a hot standby behind the projection's advisory lock.
 */
async function main(logger: Logger): Promise<RunningProcess> {
  const config = loadConfig();
  if (!config.databaseUrl) throw new ConfigError(['DATABASE_URL is required for the standalone projector']);
  await probeDatabase(config.databaseUrl);
  const pool = openPool(config.databaseUrl, 5, lineLogger(logger, 'event-store', 'warn'), 'event store');
  const store: EventStore =
    config.eventStore.kind === 'eventstoredb' ? new EventStoreDbEventStore(config.eventStore.url) : await PostgresEventStore.open(pool);
  const readModels = await openReadModels(config.databaseUrl);
  const vault = await openPersonalDataVault(config.databaseUrl, { query: (text, values) => readModels.query(text, values) });
  const projector = new Projector(
    store,
    readModels,
    readModelProjections(READ_MODEL_SCHEMA, personalDataReader(vault)),
    'ledger',
    lineLogger(logger, 'projector'),
  );
  projector.start();
  logger.info('projector started (active or standby, see the advisory lock)');

  return stopSteps([
    ['projector', () => projector.stop()],
    ['event-store subscriptions', () => store.close()],
    ['read-model connections', () => readModels.destroy()],
    ['event-store connections', () => pool.end()],
  ]);
}

runProcess(main, { name: 'the projector', stopping: 'stopping at a checkpoint' });
