import { CanActivate, createParamDecorator, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual, createHash } from 'node:crypto';
import { FastifyRequest } from 'fastify';
import { LedgerConfig, Role } from '@loyalty/platform';
import { LEDGER_CONFIG } from '../tokens';
import { ApiError } from './api-error';
import { RateLimiter } from './rate-limiter';

const ROLES_KEY = 'loyalty:roles';
const PUBLIC_KEY = 'loyalty:public';

/** The roles allowed on a route or controller. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/** Health and docs need no key. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

const digest = (key: string) => createHash('sha256').update(key).digest();

/**
 * x-api-key -> role, then the key's rate limit. Keys are held as SHA-256
 * digests and compared in constant time against every configured key, so
 * timing tells nothing about which one matched.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: Array<{ role: Role; digest: Buffer }>;
  private readonly limiter: RateLimiter;

  constructor(
    private readonly reflector: Reflector,
    @Inject(LEDGER_CONFIG) config: LedgerConfig,
  ) {
    this.keys = config.apiKeys.map((k) => ({ role: k.role, digest: Buffer.from(k.sha256Hex, 'hex') }));
    this.limiter = new RateLimiter(config.rateLimit);
  }

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const presented = request.headers['x-api-key'];
    if (typeof presented !== 'string' || presented.length === 0) {
      throw new ApiError(401, 'UNAUTHENTICATED', 'send an API key in the x-api-key header');
    }
    const presentedDigest = digest(presented);
    let match: { role: Role; digest: Buffer } | undefined;
    for (const key of this.keys) if (timingSafeEqual(key.digest, presentedDigest) && !match) match = key;
    if (!match) throw new ApiError(401, 'UNAUTHENTICATED', 'unknown API key');
    const retryAfterSeconds = this.limiter.take(match.digest.toString('hex'), Date.now());
    if (retryAfterSeconds !== undefined) {
      throw new ApiError(
        429,
        'RATE_LIMITED',
        'too many requests for this API key',
        { retryAfterSeconds },
        { 'retry-after': String(retryAfterSeconds) },
      );
    }
    const allowed = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets) ?? ['admin'];
    if (!allowed.includes(match.role)) {
      throw new ApiError(403, 'FORBIDDEN', `the ${match.role} role may not do this`, { allowed });
    }
    (request as AuthenticatedRequest).principal = { role: match.role, keyId: match.digest.subarray(0, 4).toString('hex') };
    return true;
  }
}

/** Who made a request: the key's role and a short digest that identifies the key without revealing it. */
export interface Principal {
  readonly role: Role;
  readonly keyId: string;
}

type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

export const Actor = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  return principal ? `${principal.role}:${principal.keyId}` : 'unknown';
});
