import { Inject, Injectable } from '@nestjs/common';
import { createLocalJWKSet, decodeJwt, errors, JWK, JWTPayload, jwtVerify, JWTVerifyGetKey, SignJWT } from 'jose';
import { LedgerConfig, MEMBER_TOKEN_AUDIENCE, MEMBER_TOKEN_ISSUER, MemberSigningKey, MemberTokenConfig } from '@loyalty/platform';
import { ApiError } from '../http/api-error';
import { CLIENT_ID_PATTERN } from '../http/validation';
import { CLOCK, Clock, LEDGER_CONFIG } from '../tokens';

const OWN_ALGORITHM = 'HS256';
/** Asymmetric only: a provider's public key must never be usable as an HMAC secret (algorithm confusion). */
const IDENTITY_PROVIDER_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
/** The provider's clock is not ours; ours signs and checks on one clock, so it gets none. */
const IDENTITY_PROVIDER_CLOCK_TOLERANCE_SECONDS = 30;
const MILLIS_PER_SECOND = 1000;

export interface MemberSession {
  readonly token: string;
  readonly expiresAt: string;
}

type Verifier = (token: string, now: Date) => Promise<JWTPayload>;

/**
 * Member tokens: ours (HS256 under the current key, any configured key
 * accepted by its `kid`, so keys rotate without downtime) and, when
 * configured, the operator's identity provider's (its public keys, its
 * issuer, our audience). Either way the member is `sub`. Time is the app's
 * clock, so expiry follows the same time as every command.
 */
@Injectable()
export class MemberTokens {
  private readonly config: MemberTokenConfig;
  private readonly verifiers = new Map<string, Verifier>();

  constructor(
    @Inject(LEDGER_CONFIG) config: LedgerConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.config = config.memberTokens;
    if (this.config.signingKeys.length > 0) this.verifiers.set(MEMBER_TOKEN_ISSUER, ownVerifier(this.config.signingKeys));
    const provider = this.config.identityProvider;
    if (provider) this.verifiers.set(provider.issuer, providerVerifier(provider.issuer, provider.audience, provider.keys));
  }

  async mint(memberId: string): Promise<MemberSession> {
    const [current] = this.config.signingKeys;
    if (!current) {
      throw new ApiError(503, 'MEMBER_TOKENS_NOT_CONFIGURED', 'this ledger mints no member tokens: set MEMBER_TOKEN_KEYS');
    }
    const nowSeconds = Math.floor(this.clock.now().getTime() / MILLIS_PER_SECOND);
    const expiresSeconds = nowSeconds + this.config.ttlSeconds;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: OWN_ALGORITHM, kid: current.kid, typ: 'JWT' })
      .setIssuer(MEMBER_TOKEN_ISSUER)
      .setAudience(MEMBER_TOKEN_AUDIENCE)
      .setSubject(memberId)
      .setIssuedAt(nowSeconds)
      .setExpirationTime(expiresSeconds)
      .sign(current.secret);
    return { token, expiresAt: new Date(expiresSeconds * MILLIS_PER_SECOND).toISOString() };
  }

  /** The member a token speaks for; a 401 with a stable code for anything else, saying no more than the code. */
  async memberOf(token: string): Promise<string> {
    const verify = this.verifiers.get(issuerOf(token) ?? '');
    if (!verify) throw invalidToken();
    try {
      const { sub } = await verify(token, this.clock.now());
      if (sub === undefined || !CLIENT_ID_PATTERN.test(sub)) throw invalidToken();
      return sub;
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw memberTokenError('MEMBER_TOKEN_EXPIRED', 'the member token has expired');
      if (error instanceof errors.JOSEError) throw invalidToken();
      throw error;
    }
  }
}

function ownVerifier(keys: readonly MemberSigningKey[]): Verifier {
  const byKid = new Map(keys.map((k) => [k.kid, k.secret]));
  const keyOf = (header: { kid?: string }) => {
    const secret = header.kid === undefined ? undefined : byKid.get(header.kid);
    if (!secret) throw new errors.JWKSNoMatchingKey();
    return secret;
  };
  return async (token, now) =>
    (
      await jwtVerify(token, keyOf, {
        algorithms: [OWN_ALGORITHM],
        issuer: MEMBER_TOKEN_ISSUER,
        audience: MEMBER_TOKEN_AUDIENCE,
        requiredClaims: ['sub', 'exp'],
        currentDate: now,
      })
    ).payload;
}

function providerVerifier(issuer: string, audience: string, keys: readonly JWK[]): Verifier {
  const keySet: JWTVerifyGetKey = createLocalJWKSet({ keys: [...keys] });
  return async (token, now) =>
    (
      await jwtVerify(token, keySet, {
        algorithms: IDENTITY_PROVIDER_ALGORITHMS,
        issuer,
        audience,
        requiredClaims: ['sub', 'exp'],
        currentDate: now,
        clockTolerance: IDENTITY_PROVIDER_CLOCK_TOLERANCE_SECONDS,
      })
    ).payload;
}

/** Unverified: only picks which verifier checks the token, which then checks the issuer again. */
function issuerOf(token: string): string | undefined {
  try {
    return decodeJwt(token).iss;
  } catch {
    return undefined;
  }
}

export const memberTokenError = (code: string, message: string) =>
  new ApiError(401, code, message, {}, { 'www-authenticate': `Bearer error="invalid_token"` });

const invalidToken = () => memberTokenError('MEMBER_TOKEN_INVALID', 'the member token is not valid');
