import { createHash, createPublicKey, JsonWebKey } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** A key our own member tokens are signed (the first) or still accepted (the rest) with: HS256, told apart by `kid`. */
export interface MemberSigningKey {
  readonly kid: string;
  readonly secret: Buffer;
}

/** The operator's identity provider: tokens it signs with one of these public keys, for its issuer and our audience. */
export interface IdentityProviderConfig {
  readonly issuer: string;
  readonly audience: string;
  readonly keys: readonly JsonWebKey[];
}

export interface MemberTokenConfig {
  /** Empty in production without MEMBER_TOKEN_KEYS: the ledger mints no tokens, and accepts only the identity provider's. */
  readonly signingKeys: readonly MemberSigningKey[];
  readonly signingKeysAreDevDefaults: boolean;
  readonly ttlSeconds: number;
  readonly identityProvider: IdentityProviderConfig | undefined;
}

export const MEMBER_TOKEN_ISSUER = 'loyalty-ledger';
export const MEMBER_TOKEN_AUDIENCE = 'loyalty-ledger:member';
export const MEMBER_TOKEN_TTL_SECONDS_DEFAULT = 900;
export const MEMBER_TOKEN_TTL_SECONDS_MAX = 86_400;
/** HS256 is only as strong as its key: RFC 7518 asks for at least the hash's 256 bits. */
export const MEMBER_TOKEN_SECRET_BYTES_MIN = 32;
export const DEV_MEMBER_TOKEN_KID = 'dev';

/** Derived from a fixed phrase so development tokens survive a restart; outside production only, and announced at boot. */
const DEV_MEMBER_SIGNING_KEY: MemberSigningKey = {
  kid: DEV_MEMBER_TOKEN_KID,
  secret: createHash('sha256').update('loyalty-ledger development member-token key').digest(),
};

const KID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const PEM_PUBLIC_KEY = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g;

export function parseMemberTokenConfig(env: NodeJS.ProcessEnv, production: boolean, problems: string[]): MemberTokenConfig {
  const keys = parseSigningKeys(env.MEMBER_TOKEN_KEYS, problems);
  return {
    signingKeys: keys ?? (production ? [] : [DEV_MEMBER_SIGNING_KEY]),
    signingKeysAreDevDefaults: !keys && !production,
    ttlSeconds: parseTtl(env.MEMBER_TOKEN_TTL_SECONDS, problems),
    identityProvider: parseIdentityProvider(env, problems),
  };
}

/** `kid:base64url-secret,kid:secret`: the first signs, every one verifies, so a key is rotated in before it signs and out after its tokens expire. */
function parseSigningKeys(value: string | undefined, problems: string[]): MemberSigningKey[] | undefined {
  if (!value) return undefined;
  const keys: MemberSigningKey[] = [];
  for (const entry of value.split(',').map((e) => e.trim())) {
    const separator = entry.indexOf(':');
    const kid = entry.slice(0, separator);
    const secret = Buffer.from(entry.slice(separator + 1), 'base64url');
    if (separator < 1 || !KID_PATTERN.test(kid)) {
      problems.push('MEMBER_TOKEN_KEYS entries are kid:secret with a kid of 1-64 characters of [A-Za-z0-9._-]');
    } else if (secret.length < MEMBER_TOKEN_SECRET_BYTES_MIN) {
      problems.push(`MEMBER_TOKEN_KEYS: the secret of ${kid} must be at least ${MEMBER_TOKEN_SECRET_BYTES_MIN} bytes, base64url-encoded`);
    } else if (keys.some((k) => k.kid === kid)) {
      problems.push(`MEMBER_TOKEN_KEYS: kid ${kid} is given twice`);
    } else keys.push({ kid, secret });
  }
  return keys;
}

function parseTtl(value: string | undefined, problems: string[]): number {
  if (value === undefined || value === '') return MEMBER_TOKEN_TTL_SECONDS_DEFAULT;
  const seconds = Number(value);
  if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > MEMBER_TOKEN_TTL_SECONDS_MAX) {
    problems.push(`MEMBER_TOKEN_TTL_SECONDS must be an integer from 1 to ${MEMBER_TOKEN_TTL_SECONDS_MAX}, got "${value}"`);
  }
  return seconds;
}

function parseIdentityProvider(env: NodeJS.ProcessEnv, problems: string[]): IdentityProviderConfig | undefined {
  const { MEMBER_IDP_ISSUER: issuer, MEMBER_IDP_AUDIENCE: audience, MEMBER_IDP_JWKS_FILE: jwksFile } = env;
  const pemFile = env.MEMBER_IDP_PUBLIC_KEYS_FILE;
  if (!issuer && !audience && !jwksFile && !pemFile) return undefined;
  const before = problems.length;
  if (!issuer) problems.push('MEMBER_IDP_ISSUER is required with an identity provider (the iss its tokens carry)');
  if (issuer === MEMBER_TOKEN_ISSUER) problems.push(`MEMBER_IDP_ISSUER may not be ${MEMBER_TOKEN_ISSUER}, the ledger's own issuer`);
  if (!audience) problems.push('MEMBER_IDP_AUDIENCE is required with an identity provider (the aud its tokens carry for the ledger)');
  if (!jwksFile && !pemFile) problems.push('an identity provider needs MEMBER_IDP_JWKS_FILE or MEMBER_IDP_PUBLIC_KEYS_FILE');
  const keys = [...(jwksFile ? readJwks(jwksFile, problems) : []), ...(pemFile ? readPemKeys(pemFile, problems) : [])];
  if (problems.length > before) return undefined;
  return { issuer: issuer!, audience: audience!, keys };
}

function readJwks(path: string, problems: string[]): JsonWebKey[] {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { keys?: unknown };
    const keys = Array.isArray(parsed.keys) ? (parsed.keys as JsonWebKey[]) : [];
    const usable = keys.filter((k) => typeof k === 'object' && k !== null && (k.kty === 'RSA' || k.kty === 'EC' || k.kty === 'OKP'));
    if (usable.length === 0) problems.push(`MEMBER_IDP_JWKS_FILE ${path} holds no RSA, EC or OKP public key`);
    if (usable.some((k) => k.d !== undefined)) problems.push(`MEMBER_IDP_JWKS_FILE ${path} holds a private key: give the public keys only`);
    return usable;
  } catch (error) {
    problems.push(`MEMBER_IDP_JWKS_FILE ${path} is not a readable JWKS: ${(error as Error).message}`);
    return [];
  }
}

function readPemKeys(path: string, problems: string[]): JsonWebKey[] {
  try {
    const pems = readFileSync(path, 'utf8').match(PEM_PUBLIC_KEY) ?? [];
    if (pems.length === 0) problems.push(`MEMBER_IDP_PUBLIC_KEYS_FILE ${path} holds no PEM public key`);
    return pems.map((pem) => createPublicKey(pem).export({ format: 'jwk' }));
  } catch (error) {
    problems.push(`MEMBER_IDP_PUBLIC_KEYS_FILE ${path} is not readable PEM: ${(error as Error).message}`);
    return [];
  }
}
