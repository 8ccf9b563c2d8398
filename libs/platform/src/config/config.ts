import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { MemberTokenConfig, parseMemberTokenConfig } from './member-token-config';
import { parseWebhookConfig, WebhookConfig } from './webhook-config';
import { MemberStateConfig, parseMemberStateConfig } from './member-state-config';

export type Role = 'admin' | 'pos' | 'analyst' | 'auditor';
export const ROLES: readonly Role[] = ['admin', 'pos', 'analyst', 'auditor'];

/** A key is held only as its SHA-256 digest, so neither memory dumps nor logs carry it. */
export interface ApiKey {
  readonly role: Role;
  readonly sha256Hex: string;
}

export const apiKeyDigest = (key: string) => createHash('sha256').update(key).digest('hex');

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
  readonly rateLimit: RateLimit;
  /** Requests with no key or an unknown one, per client address. */
  readonly unauthenticatedRateLimit: RateLimit;
  /** Origins allowed to call the API from a browser; empty: CORS off. */
  readonly corsOrigins: readonly string[];
  readonly port: number;
  readonly host: string;
  readonly memberTokens: MemberTokenConfig;
  readonly webhooks: WebhookConfig;
  readonly memberStates: MemberStateConfig;
}

/** Printed at boot when API_KEYS is unset outside production; never used in production. */
export const DEV_API_KEY_SECRETS: ReadonlyArray<{ role: Role; key: string }> = [
  { role: 'admin', key: 'dev-admin-key' },
  { role: 'pos', key: 'dev-pos-key' },
];
const DEV_API_KEYS: readonly ApiKey[] = DEV_API_KEY_SECRETS.map((k) => ({ role: k.role, sha256Hex: apiKeyDigest(k.key) }));

export interface RateLimit {
  /** Sustained requests per second per bucket; 0 turns limiting off. */
  readonly perSecond: number;
  readonly burst: number;
}

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
  if (!env.DATABASE_URL && production) {
    problems.push('DATABASE_URL is required when NODE_ENV=production: a production install has no embedded PostgreSQL');
  }
  if (env.DATABASE_URL && !isPostgresUrl(env.DATABASE_URL)) {
    problems.push('DATABASE_URL must be a URL such as postgres://user:password@host:5432/database');
  }
  const rateLimit = {
    perSecond: parseCount(env.RATE_LIMIT_PER_SECOND, 'RATE_LIMIT_PER_SECOND', 500, problems),
    burst: parseCount(env.RATE_LIMIT_BURST, 'RATE_LIMIT_BURST', 1000, problems),
  };
  const unauthenticatedRateLimit = {
    perSecond: parseCount(env.RATE_LIMIT_UNAUTHENTICATED_PER_SECOND, 'RATE_LIMIT_UNAUTHENTICATED_PER_SECOND', 5, problems),
    burst: parseCount(env.RATE_LIMIT_UNAUTHENTICATED_BURST, 'RATE_LIMIT_UNAUTHENTICATED_BURST', 20, problems),
  };
  const kafkaBrokers = env.KAFKA_BROKERS?.split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  const memberTokens = parseMemberTokenConfig(env, production, problems);
  const webhooks = parseWebhookConfig(env, production, problems);
  const memberStates = parseMemberStateConfig(env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    production,
    eventStore,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.DATA_DIR || './.data'),
    kafkaBrokers: kafkaBrokers && kafkaBrokers.length > 0 ? kafkaBrokers : undefined,
    apiKeys: keys ?? DEV_API_KEYS,
    apiKeysAreDevDefaults: !keys,
    rateLimit,
    unauthenticatedRateLimit,
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    port,
    host: env.HOST || '0.0.0.0',
    memberTokens,
    webhooks,
    memberStates,
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

/** Checked at boot: pg reads any other string as a socket or database name and fails much later, far from the cause. */
function isPostgresUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'postgres:' || protocol === 'postgresql:';
  } catch {
    return false;
  }
}

function parsePort(value: string | undefined, problems: string[]): number {
  if (value === undefined || value === '') return 3000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT must be 0-65535, got "${value}"`);
  return port;
}

function parseCount(value: string | undefined, name: string, fallback: number, problems: string[]): number {
  if (value === undefined || value === '') return fallback;
  const count = Number(value);
  if (!Number.isSafeInteger(count) || count < 0) problems.push(`${name} must be a non-negative integer, got "${value}"`);
  return count;
}

/** `role:key`, or `role:sha256:<64 hex>` so the environment need not hold the key itself. */
function parseApiKeys(value: string | undefined, problems: string[]): ApiKey[] | undefined {
  if (!value) return undefined;
  const keys: ApiKey[] = [];
  for (const entry of value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const separator = entry.indexOf(':');
    const role = entry.slice(0, separator) as Role;
    const secret = entry.slice(separator + 1);
    const hashed = /^sha256:([0-9a-f]{64})$/i.exec(secret);
    if (separator < 1 || !ROLES.includes(role) || (!hashed && secret.length < 8)) {
      problems.push(
        `API_KEYS entry "${entry.slice(0, 12)}..." must be role:key (key of 8+ chars) or role:sha256:<hex>, with a role in ${ROLES.join('|')}`,
      );
      continue;
    }
    keys.push({ role, sha256Hex: hashed ? hashed[1]!.toLowerCase() : apiKeyDigest(secret) });
  }
  return keys;
}
