import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_MEMBER_TOKEN_KID, MEMBER_TOKEN_TTL_SECONDS_DEFAULT, parseMemberTokenConfig } from './member-token-config';

const secret = (bytes = 32) => randomBytes(bytes).toString('base64url');
const file = (name: string, content: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'member-tokens-')), name);
  writeFileSync(path, content);
  return path;
};
const parse = (env: NodeJS.ProcessEnv, production = false) => {
  const problems: string[] = [];
  return { config: parseMemberTokenConfig(env, production, problems), problems };
};

describe('member token configuration', () => {
  it('signs with a development key outside production and with none in production', () => {
    const dev = parse({});
    expect(dev.problems).toEqual([]);
    expect(dev.config.signingKeys.map((k) => k.kid)).toEqual([DEV_MEMBER_TOKEN_KID]);
    expect(dev.config.signingKeysAreDevDefaults).toBe(true);
    expect(dev.config.ttlSeconds).toBe(MEMBER_TOKEN_TTL_SECONDS_DEFAULT);
    const production = parse({}, true);
    expect(production.config.signingKeys).toEqual([]);
    expect(production.config.signingKeysAreDevDefaults).toBe(false);
  });

  it('keeps configured keys in order, the first one signing', () => {
    const { config, problems } = parse({ MEMBER_TOKEN_KEYS: `k2:${secret()}, k1:${secret(48)}`, MEMBER_TOKEN_TTL_SECONDS: '60' });
    expect(problems).toEqual([]);
    expect(config.signingKeys.map((k) => [k.kid, k.secret.length])).toEqual([
      ['k2', 32],
      ['k1', 48],
    ]);
    expect(config.ttlSeconds).toBe(60);
  });

  it('names every problem: short secrets, repeated or malformed kids, a ttl out of range', () => {
    const s = secret();
    const { problems } = parse({
      MEMBER_TOKEN_KEYS: `a:${secret(16)},b:${s},b:${s},:${s},bad kid:${s}`,
      MEMBER_TOKEN_TTL_SECONDS: '86401',
    });
    expect(problems).toEqual([
      'MEMBER_TOKEN_KEYS: the secret of a must be at least 32 bytes, base64url-encoded',
      'MEMBER_TOKEN_KEYS: kid b is given twice',
      'MEMBER_TOKEN_KEYS entries are kid:secret with a kid of 1-64 characters of [A-Za-z0-9._-]',
      'MEMBER_TOKEN_KEYS entries are kid:secret with a kid of 1-64 characters of [A-Za-z0-9._-]',
      'MEMBER_TOKEN_TTL_SECONDS must be an integer from 1 to 86400, got "86401"',
    ]);
  });

  it('reads the identity provider’s public keys from a JWKS file and from PEM, and refuses private keys', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwks = file('jwks.json', JSON.stringify({ keys: [{ ...ec.publicKey.export({ format: 'jwk' }), kid: 'ec-1' }] }));
    const pem = file('keys.pem', rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString());
    const provider = { MEMBER_IDP_ISSUER: 'https://id.example.test/', MEMBER_IDP_AUDIENCE: 'app' };
    const { config, problems } = parse({ ...provider, MEMBER_IDP_JWKS_FILE: jwks, MEMBER_IDP_PUBLIC_KEYS_FILE: pem });
    expect(problems).toEqual([]);
    expect(config.identityProvider?.keys.map((k) => [k.kty, k.kid])).toEqual([
      ['EC', 'ec-1'],
      ['RSA', undefined],
    ]);
    const leaked = file('private.json', JSON.stringify({ keys: [ec.privateKey.export({ format: 'jwk' })] }));
    expect(parse({ ...provider, MEMBER_IDP_JWKS_FILE: leaked }).problems).toEqual([
      `MEMBER_IDP_JWKS_FILE ${leaked} holds a private key: give the public keys only`,
    ]);
  });

  it('refuses a partial identity provider, and one that claims the ledger’s own issuer', () => {
    expect(parse({ MEMBER_IDP_AUDIENCE: 'app' }).problems).toEqual([
      'MEMBER_IDP_ISSUER is required with an identity provider (the iss its tokens carry)',
      'an identity provider needs MEMBER_IDP_JWKS_FILE or MEMBER_IDP_PUBLIC_KEYS_FILE',
    ]);
    const pem = file('keys.pem', generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }).toString());
    expect(parse({ MEMBER_IDP_ISSUER: 'loyalty-ledger', MEMBER_IDP_AUDIENCE: 'app', MEMBER_IDP_PUBLIC_KEYS_FILE: pem }).problems).toEqual([
      "MEMBER_IDP_ISSUER may not be loyalty-ledger, the ledger's own issuer",
    ]);
  });
});
