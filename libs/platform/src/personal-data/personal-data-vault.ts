import { LRUCache } from 'lru-cache';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { migrateSchema, MigrationSet } from '../database/migrations';
import { queryRows, RowsQuery } from '../sql/query-rows';

/** What the ledger knows about a person; everything else in the log is pseudonymous ids and numbers. */
export interface PersonalData {
  readonly name?: string;
  readonly email?: string;
  readonly birthDate?: string;
  /** A member's feedback text (POST /v1/me/feedback), sealed on its own like the profile. */
  readonly text?: string;
}

/** `v1.<iv>.<tag>.<ciphertext>` in base64url: AES-256-GCM under the member's own key, bound to the member id. */
export type SealedPersonalData = string;

export type SqlRunner = RowsQuery;

export const PERSONAL_DATA_SCHEMA = 'personal_data';
const FORMAT = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
/** Keys kept in memory at most; a key erased here is also dropped from the cache. */
const KEY_CACHE_MAX = 10_000;
/** A key erased by another process stops working here within this time. */
const KEY_CACHE_TTL_MS = 60_000;

export const PERSONAL_DATA_DDL = `
create schema if not exists ${PERSONAL_DATA_SCHEMA};
create table if not exists ${PERSONAL_DATA_SCHEMA}.member_keys (
  member_id text primary key,
  key bytea not null,
  created_at timestamptz not null default now()
);`;

/** Serialises the vault's migrations across processes booting at once (its idempotent DDL took no lock, and could race). */
const PERSONAL_DATA_MIGRATION_LOCK_KEY = 7_310_004;

/** The vault's schema, change by change (docs/operations.md, "Upgrades"): PERSONAL_DATA_DDL is the frozen baseline. */
export const PERSONAL_DATA_MIGRATIONS: MigrationSet = {
  lockKey: PERSONAL_DATA_MIGRATION_LOCK_KEY,
  migrations: [{ name: 'PersonalDataBaseline1764633600000', sql: () => PERSONAL_DATA_DDL }],
};

/**
 * Crypto-shredding: personal data is sealed in events with a per-member key
 * kept outside the log. Erasure deletes the key; the immutable events stay,
 * their personal data becomes unreadable, and balances, ledger and audit are
 * untouched because they never needed it.
 */
export class PersonalDataVault {
  private readonly cache = new LRUCache<string, { key: Buffer; loadedMs: number }>({ max: KEY_CACHE_MAX });

  constructor(private readonly db: SqlRunner) {}

  async seal(memberId: string, data: PersonalData): Promise<SealedPersonalData> {
    const key = await this.keyFor(memberId, true);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key!, iv);
    cipher.setAAD(Buffer.from(memberId));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]);
    return [FORMAT, iv, cipher.getAuthTag(), ciphertext].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  /** Undefined once the member's key is erased (or for data sealed under another member). */
  async open(memberId: string, sealed: SealedPersonalData): Promise<PersonalData | undefined> {
    const [format, iv, tag, ciphertext] = sealed.split('.');
    if (format !== FORMAT || !iv || !tag || ciphertext === undefined) return undefined;
    const key = await this.keyFor(memberId, false);
    if (!key) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(memberId));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const plaintext = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
      return JSON.parse(plaintext.toString('utf8')) as PersonalData;
    } catch {
      return undefined;
    }
  }

  /** Deletes the key; true when there was one. Idempotent. */
  async erase(memberId: string): Promise<boolean> {
    this.cache.delete(memberId);
    const rows = await queryRows<{ member_id: string }>(
      this.db,
      `delete from ${PERSONAL_DATA_SCHEMA}.member_keys where member_id = $1 returning member_id`,
      [memberId],
    );
    return rows.length > 0;
  }

  private async keyFor(memberId: string, create: boolean): Promise<Buffer | undefined> {
    const cached = this.cache.get(memberId);
    if (cached && Date.now() - cached.loadedMs < KEY_CACHE_TTL_MS) return cached.key;
    if (create) {
      await this.db.query(
        `insert into ${PERSONAL_DATA_SCHEMA}.member_keys (member_id, key) values ($1, $2) on conflict (member_id) do nothing`,
        [memberId, randomBytes(KEY_BYTES)],
      );
    }
    const rows = await queryRows<{ key: Buffer }>(this.db, `select key from ${PERSONAL_DATA_SCHEMA}.member_keys where member_id = $1`, [
      memberId,
    ]);
    const key = rows[0]?.key;
    if (!key) return undefined;
    this.cache.set(memberId, { key, loadedMs: Date.now() });
    return key;
  }
}

/** Migrates the key table at `url` to this release's shape and returns the vault over it, read through `db`. */
export async function openPersonalDataVault(url: string, db: SqlRunner): Promise<PersonalDataVault> {
  await migrateSchema(url, PERSONAL_DATA_SCHEMA, PERSONAL_DATA_MIGRATIONS);
  return new PersonalDataVault(db);
}

/** The vault as the read models' reader of sealed personal data. */
export const personalDataReader = (vault: PersonalDataVault) => (memberId: string, sealed: string) => vault.open(memberId, sealed);
