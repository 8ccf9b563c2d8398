import { DEV_API_KEY_SECRETS, DEV_MEMBER_TOKEN_KID, loadConfig, runningEmbeddedPostgresUrl, runProcess } from '@loyalty/platform';
import { startLedger } from './bootstrap';

/** Production logs are kept and shipped: they never carry a database password, even the embedded server's fixed one. */
function withoutPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** `npm start`: the whole ledger in one process on embedded defaults. */
runProcess(
  async () => {
    const config = loadConfig();
    const ledger = await startLedger(config);
    const base = ledger.url.replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost').replace('127.0.0.1', 'localhost');
    const lines = [
      `Loyalty ledger listening on ${base}`,
      `  API docs:   ${base}/docs`,
      `  Health:     ${base}/health/ready`,
      `  Member page: ${base}/member#token=<token from POST /v1/members/{id}/sessions>`,
      `  Event store: ${config.eventStore.kind}; read models: ${config.databaseUrl ? 'DATABASE_URL' : `embedded PostgreSQL in ${config.dataDir}`}`,
    ];
    const embeddedUrl = config.databaseUrl ? undefined : runningEmbeddedPostgresUrl(config.dataDir);
    if (embeddedUrl)
      lines.push(`  Database:   ${config.production ? withoutPassword(embeddedUrl) : embeddedUrl}  (for scripts: npm run -s db:url)`);
    if (config.apiKeysAreDevDefaults) {
      lines.push('  WARNING: API_KEYS is unset; using development keys:');
      for (const key of DEV_API_KEY_SECRETS) lines.push(`    ${key.role}: x-api-key: ${key.key}`);
    }
    if (config.memberTokens.signingKeysAreDevDefaults) {
      lines.push(
        `  WARNING: MEMBER_TOKEN_KEYS is unset; member tokens are signed with the development key (kid ${DEV_MEMBER_TOKEN_KID}, derived from a fixed phrase)`,
      );
    }
    console.log(lines.join('\n'));
    return { stop: () => ledger.close(), unfinished: () => ledger.closing() };
  },
  { name: 'the ledger', stopping: 'draining requests, stopping the projector, closing the stores' },
);
