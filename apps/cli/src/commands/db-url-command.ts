import { loadConfig, runningEmbeddedPostgresUrl } from '@loyalty/platform';
import { parseCommand } from '../cli/args';
import { StorageUnavailable } from '../cli/run-cli';
import { databaseLocation } from '../storage';

export const DB_URL_USAGE = `usage: npm run -s db:url
  Prints the URL of the ledger's PostgreSQL, for scripts and psql:
    export DATABASE_URL="$(npm run -s db:url)"; psql "$DATABASE_URL"
  DATABASE_URL when it is set; else the embedded PostgreSQL that the running ledger (\`npm start\`) serves from
  DATA_DIR (default ./.data). Exit 1 when neither is there.`;

const DB_URL_COMMAND = { usage: DB_URL_USAGE, options: {} } as const;

export function dbUrlCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): void {
  parseCommand(DB_URL_COMMAND, argv);
  const config = loadConfig(env);
  if (config.databaseUrl) databaseLocation(config.databaseUrl);
  const url = config.databaseUrl ?? runningEmbeddedPostgresUrl(config.dataDir);
  if (!url) {
    throw new StorageUnavailable(
      `no embedded PostgreSQL runs on DATA_DIR ${config.dataDir}: start the ledger (npm start) first, or set DATABASE_URL`,
    );
  }
  process.stdout.write(`${url}\n`);
}
