import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { EventStore, EventStoreDbEventStore, InstrumentedEventStore, PostgresEventStore } from '@loyalty/event-store';
import {
  describeFailure,
  EmbeddedDatabase,
  createLogger,
  LedgerConfig,
  lineLogger,
  Logger,
  logLevelFrom,
  LedgerMetrics,
  openPersonalDataVault,
  openPool,
  personalDataReader,
  startEmbeddedPostgres,
} from '@loyalty/platform';
import { installHttpHooks, requestId } from './http/http-hooks';
import { mountDocs } from './http/openapi';
import { RouteTemplates, withHttpLogging } from './http/http-logging';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import { refuseUnknownMethods } from './http/method-not-allowed';
import { refuseNulCharacters } from './http/nul-characters';
import { openReadModels, Projector, READ_MODEL_SCHEMA, readModelProjections } from '@loyalty/read-models';
import { KafkaRelay, NotificationRelay, notificationsRelayedThrough } from '@loyalty/messaging';
import { openWebhookDatabase, WebhookWorker, WebhookWorkerOptions } from '@loyalty/webhooks';
import { LedgerApiModule } from './app.module';
import { validationPipe } from './http/validation';
import { Clock } from './tokens';

/** Request bodies above this are refused with 413 before they are parsed. */
export const REQUEST_BODY_BYTES_MAX = 64 * 1024;
const STORE_POOL_SIZE_MAX = 20;
/** Longer than any valid id (128), so an over-long id reaches validation and gets a clear 400. */
const PATH_PARAM_LENGTH_MAX = 512;

/** Named shutdown steps, run in reverse order of opening. */
type Closers = Array<[string, () => Promise<unknown>]>;

export interface RunningLedger {
  readonly url: string;
  readonly app: NestFastifyApplication;
  readonly store: EventStore;
  readonly readModels: DataSource;
  readonly projector: Projector;
  close(): Promise<void>;
  /** The shutdown steps of a close() under way that have not finished, the one in progress first. */
  closing(): readonly string[];
}

export interface StartOptions {
  readonly clock?: Clock;
  readonly log?: (line: string) => void;
  /** false silences the framework and access logs (tests); default: JSON lines on stdout. */
  readonly jsonLogs?: boolean;
  /** The process's logger (runProcess makes it); default: one on stdout at LOG_LEVEL. */
  readonly logger?: Logger;
}

/**
 * The composition root of the embedded default: database (embedded when no
 * DATABASE_URL), event store, read models, projector and HTTP in one process.
 * Every resource opened here is closed by `close()` in reverse order.
 */
export async function startLedger(config: LedgerConfig, options: StartOptions = {}): Promise<RunningLedger> {
  const logger = options.logger ?? createLogger({ level: options.jsonLogs === false ? 'silent' : logLevelFrom(process.env) });
  const log = options.log ?? lineLogger(logger, 'ledger');
  const routes = new RouteTemplates();
  const metrics = new LedgerMetrics();
  const closers: Closers = [];
  const unfinished: string[] = [];
  const close = async () => {
    const steps = closers.splice(0).reverse();
    unfinished.push(...steps.map(([name]) => name));
    for (const [name, closeOne] of steps) {
      log(`shutdown: ${name}`);
      await closeOne().catch((e) => log(`shutdown of ${name} failed: ${describeFailure(e)}`));
      unfinished.shift();
    }
  };
  try {
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      const embedded: EmbeddedDatabase = await startEmbeddedPostgres(config.dataDir, log);
      closers.push(['embedded PostgreSQL', () => embedded.stop()]);
      databaseUrl = embedded.url;
    }
    const store = new InstrumentedEventStore(await openEventStore(config, databaseUrl, closers, logger), {
      appended: (seconds) => metrics.appendDuration.observe(seconds),
      conflicted: () => metrics.appendConflicts.inc(),
      committed: (events) => metrics.countAppended(events),
    });
    const readModels = await openReadModels(databaseUrl);
    closers.push(['read-model connections', () => readModels.destroy()]);
    const vault = await openPersonalDataVault(databaseUrl, { query: (text, values) => readModels.query(text, values) });
    const projector = new Projector(store, readModels, readModelProjections(READ_MODEL_SCHEMA, personalDataReader(vault)), 'ledger', log);
    projector.start();
    closers.push(['projector', () => projector.stop()]);
    const clock = options.clock ?? { now: () => new Date() };
    const webhooks = await startWebhooks(
      { store, databaseUrl, config: config.webhooks, registry: metrics.registry, now: () => clock.now(), log, notificationsRelayedThrough },
      closers,
    );
    const relays = config.kafkaBrokers ? startRelays(store, databaseUrl, config.kafkaBrokers, log, closers) : null;

    const app = await NestFactory.create<NestFastifyApplication>(
      withHttpLogging(
        LedgerApiModule.register({
          config,
          store,
          readModels,
          projector,
          relay: relays?.events ?? null,
          notificationRelay: relays?.notifications ?? null,
          vault,
          metrics,
          clock,
          webhooks,
        }),
        logger,
        routes,
      ),
      new FastifyAdapter({
        bodyLimit: REQUEST_BODY_BYTES_MAX,
        routerOptions: { maxParamLength: PATH_PARAM_LENGTH_MAX },
        genReqId: requestId,
      }),
      { bufferLogs: true },
    );
    app.useLogger(app.get(NestPinoLogger));
    app.useGlobalPipes(validationPipe());
    await installHttpHooks(app.getHttpAdapter().getInstance(), metrics, routes);
    refuseUnknownMethods(app.getHttpAdapter().getInstance());
    refuseNulCharacters(app.getHttpAdapter().getInstance());
    if (config.corsOrigins.length > 0)
      app.enableCors({ origin: [...config.corsOrigins], allowedHeaders: ['content-type', 'x-api-key', 'x-request-id'] });
    mountDocs(app);
    await app.listen(config.port, config.host);
    closers.push(['HTTP server and reactions', () => app.close()]);
    return { url: await app.getUrl(), app, store, readModels, projector, close, closing: () => [...unfinished] };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The Kafka relays (events, notifications), hosted here when KAFKA_BROKERS is set; their own pool, as each holds a connection while active. */
function startRelays(
  store: EventStore,
  databaseUrl: string,
  brokers: readonly string[],
  log: (line: string) => void,
  closers: Closers,
): { events: KafkaRelay; notifications: NotificationRelay } {
  const pool = openPool(databaseUrl, 4, log, 'kafka relay');
  closers.push(['kafka relay connections', () => pool.end()]);
  const relay = new KafkaRelay({ store, pool, brokers, log });
  relay.start();
  closers.push(['kafka relay', () => relay.stop()]);
  const notifications = new NotificationRelay({ pool, brokers, log });
  notifications.start();
  closers.push(['kafka notification relay', () => notifications.stop()]);
  return { events: relay, notifications };
}

/** The webhook worker on a pool of its own; it stops before the event store it reads. */
async function startWebhooks(
  options: Omit<WebhookWorkerOptions, 'db'> & { databaseUrl: string },
  closers: Closers,
): Promise<WebhookWorker> {
  const db = await openWebhookDatabase(options.databaseUrl);
  closers.push(['webhook connections', () => db.destroy()]);
  const worker = await WebhookWorker.open({ ...options, db });
  worker.start();
  closers.push(['webhook deliveries', () => worker.stop()]);
  return worker;
}

async function openEventStore(config: LedgerConfig, databaseUrl: string, closers: Closers, logger: Logger): Promise<EventStore> {
  if (config.eventStore.kind === 'eventstoredb') {
    const store = new EventStoreDbEventStore(config.eventStore.url);
    closers.push(['EventStoreDB client', () => store.close()]);
    return store;
  }
  const pool = openPool(databaseUrl, STORE_POOL_SIZE_MAX, lineLogger(logger, 'event-store', 'warn'), 'event store');
  closers.push(['event-store connections', () => pool.end()]);
  const store = await PostgresEventStore.open(pool);
  closers.push(['event-store subscriptions', () => store.close()]);
  return store;
}
