import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { TestLedger } from '../support/ledger';

export const IDP_ISSUER = 'https://id.example.test/';
export const IDP_AUDIENCE = 'loyalty-app';

/** Two of our own keys, current first, so every test ledger also proves that a previous key still verifies. */
export const OWN_KEYS = { current: { kid: 'k2', secret: randomBytes(32) }, previous: { kid: 'k1', secret: randomBytes(32) } };

export interface IdentityProvider {
  readonly env: Record<string, string>;
  sign(claims: { sub?: string; iss?: string; aud?: string; expiresInSeconds?: number }, now: Date): Promise<string>;
}

/** An operator identity provider of the test's own: an ES256 key pair, its public half in a JWKS file the ledger reads at boot. */
export async function identityProvider(): Promise<IdentityProvider> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'idp-1', alg: 'ES256', use: 'sig' };
  const file = join(mkdtempSync(join(tmpdir(), 'idp-')), 'jwks.json');
  writeFileSync(file, JSON.stringify({ keys: [jwk] }));
  return {
    env: { MEMBER_IDP_ISSUER: IDP_ISSUER, MEMBER_IDP_AUDIENCE: IDP_AUDIENCE, MEMBER_IDP_JWKS_FILE: file },
    sign: (claims, now) => {
      const nowSeconds = Math.floor(now.getTime() / 1000);
      const jwt = new SignJWT({})
        .setProtectedHeader({ alg: 'ES256', kid: 'idp-1' })
        .setIssuer(claims.iss ?? IDP_ISSUER)
        .setAudience(claims.aud ?? IDP_AUDIENCE)
        .setIssuedAt(nowSeconds)
        .setExpirationTime(nowSeconds + (claims.expiresInSeconds ?? 300));
      if (claims.sub !== undefined) jwt.setSubject(claims.sub);
      return jwt.sign(privateKey);
    },
  };
}

export const ownKeysEnv = () => ({
  MEMBER_TOKEN_KEYS: [OWN_KEYS.current, OWN_KEYS.previous].map((k) => `${k.kid}:${k.secret.toString('base64url')}`).join(','),
});

/** A token in our own format, signed with any secret under any kid: the previous key, or a forger's. */
export function ownFormatToken(memberId: string, kid: string, secret: Uint8Array, now: Date, expiresInSeconds = 300): Promise<string> {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', kid })
    .setIssuer('loyalty-ledger')
    .setAudience('loyalty-ledger:member')
    .setSubject(memberId)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + expiresInSeconds)
    .sign(secret);
}

export async function memberToken(t: TestLedger, memberId: string): Promise<string> {
  const session = await t.call('POST', `/v1/members/${memberId}/sessions`);
  if (session.status !== 201) throw new Error(`session for ${memberId}: ${session.status} ${JSON.stringify(session.body)}`);
  return session.body.token as string;
}

/** A GET or POST as the member a bearer token names, with no API key. */
export function asMember(t: TestLedger, token: string, method: string, path: string, body?: unknown) {
  return t.call(method, path, body, { key: null, headers: { authorization: `Bearer ${token}` } });
}

/** The same token with its payload's subject swapped and the signature kept: what a tamperer would send. */
export function tampered(token: string, sub: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  return [header, Buffer.from(JSON.stringify({ ...claims, sub })).toString('base64url'), signature].join('.');
}
