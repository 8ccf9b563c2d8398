import {
  DEV_API_KEY_SECRETS,
  DEV_MEMBER_TOKEN_KID,
  loadConfig,
  probeDatabase,
  runningEmbeddedPostgresUrl,
  runProcess,
} from '@loyalty/platform';
import { startLedger } from './bootstrap';

/** Production logs are kept and shipped: they never carry a database password, even the embedded server's fixed one. */
function withoutPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** `npm start`: the whole ledger in one process on embedded defaults. Every line it prints is a JSON log line. */
runProcess(
  async (logger) => {
    const config = loadConfig();
    if (config.databaseUrl) await probeDatabase(config.databaseUrl);
    const ledger = await startLedger(config, { logger });
    const base = ledger.url.replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost').replace('127.0.0.1', 'localhost');
    const embeddedUrl = config.databaseUrl ? undefined : runningEmbeddedPostgresUrl(config.dataDir);
    const databaseUrl = embeddedUrl && (config.production ? withoutPassword(embeddedUrl) : embeddedUrl);
    // The URLs end their sentences with a space, so a script reading the message cuts them cleanly.
    logger.info(
      { url: base, docsUrl: `${base}/docs`, healthUrl: `${base}/health/ready` },
      `Loyalty ledger listening on ${base} (API docs: ${base}/docs)`,
    );
    logger.info(
      {
        eventStore: config.eventStore.kind,
        readModels: config.databaseUrl ? 'DATABASE_URL' : config.dataDir,
        ...(databaseUrl ? { databaseUrl } : {}),
      },
      `Event store: ${config.eventStore.kind}; read models: ${config.databaseUrl ? 'DATABASE_URL' : `embedded PostgreSQL in ${config.dataDir}`}` +
        (databaseUrl ? `; Database: ${databaseUrl} (for scripts: npm run -s db:url)` : ''),
    );
    logger.info(`Member page: ${base}/member#token=<token from POST /v1/members/{id}/sessions>`);
    if (config.apiKeysAreDevDefaults) {
      const keys = DEV_API_KEY_SECRETS.map((key) => `${key.role}: x-api-key: ${key.key}`).join(', ');
      logger.warn(`API_KEYS is unset; using development keys: ${keys}`);
    }
    if (config.memberTokens.signingKeysAreDevDefaults) {
      logger.warn(
        `MEMBER_TOKEN_KEYS is unset; member tokens are signed with the development key (kid ${DEV_MEMBER_TOKEN_KID}, derived from a fixed phrase)`,
      );
    }
    return { stop: () => ledger.close(), unfinished: () => ledger.closing() };
  },
  { name: 'the ledger', stopping: 'draining requests, stopping the projector, closing the stores' },
);
