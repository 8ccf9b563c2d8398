import { resolve } from 'node:path';

export type Role = 'admin' | 'pos' | 'analyst' | 'auditor';
export const ROLES: readonly Role[] = ['admin', 'pos', 'analyst', 'auditor'];

export interface ApiKey {
  readonly role: Role;
  readonly key: string;
}

export interface LedgerConfig {
  readonly production: boolean;
  /** `postgres`, or an `esdb://` / `kurrentdb://` connection string. */
  readonly eventStore: { readonly kind: 'postgres' } | { readonly kind: 'eventstoredb'; readonly url: string };
  /** Absent: an embedded PostgreSQL under dataDir. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly kafkaBrokers: readonly string[] | undefined;
  readonly apiKeys: readonly ApiKey[];
  readonly apiKeysAreDevDefaults: boolean;
  readonly port: number;
  readonly host: string;
}

export const DEV_API_KEYS: readonly ApiKey[] = [
  { role: 'admin', key: 'dev-admin-key' },
  { role: 'pos', key: 'dev-pos-key' },
];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment once at boot; every problem is reported together. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  const problems: string[] = [];
  const production = env.NODE_ENV === 'production';
  const eventStore = parseEventStore(env.EVENT_STORE, problems);
  const port = parsePort(env.PORT, problems);
  const keys = parseApiKeys(env.API_KEYS, problems);
  if (!keys && production) problems.push('API_KEYS is required when NODE_ENV=production (format role:key,role:key)');
  const kafkaBrokers = env.KAFKA_BROKERS?.split(',').map((b) => b.trim()).filter(Boolean);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    production,
    eventStore,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.DATA_DIR || './.data'),
    kafkaBrokers: kafkaBrokers && kafkaBrokers.length > 0 ? kafkaBrokers : undefined,
    apiKeys: keys ?? DEV_API_KEYS,
    apiKeysAreDevDefaults: !keys,
    port,
    host: env.HOST || '0.0.0.0',
  };
}

function parseEventStore(value: string | undefined, problems: string[]): LedgerConfig['eventStore'] {
  if (!value || value === 'postgres') return { kind: 'postgres' };
  if (/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kurrent|kurrent\+discover):\/\//.test(value)) {
    return { kind: 'eventstoredb', url: value };
  }
  problems.push(`EVENT_STORE must be "postgres" or an esdb:// connection string, got "${value}"`);
  return { kind: 'postgres' };
}

function parsePort(value: string | undefined, problems: string[]): number {
  if (value === undefined || value === '') return 3000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT must be 0-65535, got "${value}"`);
  return port;
}

function parseApiKeys(value: string | undefined, problems: string[]): ApiKey[] | undefined {
  if (!value) return undefined;
  const keys: ApiKey[] = [];
  for (const entry of value.split(',').map((e) => e.trim()).filter(Boolean)) {
    const separator = entry.indexOf(':');
    const role = entry.slice(0, separator) as Role;
    const key = entry.slice(separator + 1);
    if (separator < 1 || !ROLES.includes(role) || key.length < 8) {
      problems.push(`API_KEYS entry "${entry.slice(0, 20)}..." must be role:key with a role in ${ROLES.join('|')} and a key of 8+ chars`);
      continue;
    }
    keys.push({ role, key });
  }
  return keys;
}
