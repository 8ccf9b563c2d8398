import { ConfigError, DEV_API_KEY_SECRETS, loadConfig } from '@loyalty/platform';
import { startLedger } from './bootstrap';

/** `npm start`: the whole ledger in one process on embedded defaults. */
async function main(): Promise<void> {
  const config = loadConfig();
  const ledger = await startLedger(config);
  const base = ledger.url.replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost').replace('127.0.0.1', 'localhost');
  const lines = [
    `Loyalty ledger listening on ${base}`,
    `  API docs:   ${base}/docs`,
    `  Health:     ${base}/health/ready`,
    `  Event store: ${config.eventStore.kind}; read models: ${config.databaseUrl ? 'DATABASE_URL' : `embedded PostgreSQL in ${config.dataDir}`}`,
  ];
  if (config.apiKeysAreDevDefaults) {
    lines.push('  WARNING: API_KEYS is unset; using development keys:');
    for (const key of DEV_API_KEY_SECRETS) lines.push(`    ${key.role}: x-api-key: ${key.key}`);
  }
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received: draining requests, stopping the projector, closing the stores`);
    ledger.close().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
