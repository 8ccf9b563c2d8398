import { CanActivate, createParamDecorator, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual, createHash } from 'node:crypto';
import { FastifyRequest } from 'fastify';
import { LedgerConfig, Role } from '@loyalty/platform';
import { LEDGER_CONFIG } from '../tokens';
import { ApiError } from './api-error';
import { clientAddressBucket, RequestLimiter, RequestLimits } from './rate-limiter';

const ROLES_KEY = 'loyalty:roles';
const PUBLIC_KEY = 'loyalty:public';
const MEMBER_KEY = 'loyalty:member';

/** The roles allowed on a route or controller. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/** Health and docs need no key. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
/** Members' own routes take a member token instead of a key; MemberTokenGuard (me/member-auth.ts) checks it. */
export const MemberTokenRoute = () => SetMetadata(MEMBER_KEY, true);

const digest = (key: string) => createHash('sha256').update(key).digest();

/**
 * x-api-key -> role, then a rate limit: a known key's own bucket, or, for a
 * missing or unknown key, the client address's bucket, so guessing keys is as
 * limited as using one. Keys are held as SHA-256 digests and compared in
 * constant time against every configured key, so timing tells nothing about
 * which one matched. Public routes (health, docs, dashboard) stay
 * unlimited: probes poll them from one address without a key.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: Array<{ role: Role; digest: Buffer }>;
  private readonly keyLimiter: RequestLimiter;
  private readonly addressLimiter: RequestLimiter;

  constructor(
    private readonly reflector: Reflector,
    @Inject(LEDGER_CONFIG) config: LedgerConfig,
    limits: RequestLimits,
  ) {
    this.keys = config.apiKeys.map((k) => ({ role: k.role, digest: Buffer.from(k.sha256Hex, 'hex') }));
    this.keyLimiter = limits.limiter(config.rateLimit);
    this.addressLimiter = limits.limiter(config.unauthenticatedRateLimit);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    if (this.reflector.getAllAndOverride<boolean>(MEMBER_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const presented = request.headers['x-api-key'];
    const hasKey = typeof presented === 'string' && presented.length > 0;
    const match = hasKey ? this.match(presented) : undefined;
    if (!match) {
      await enforce(
        this.addressLimiter,
        request,
        clientAddressBucket(request.ip),
        'too many requests without a valid API key from this address',
      );
      throw new ApiError(401, 'UNAUTHENTICATED', hasKey ? 'unknown API key' : 'send an API key in the x-api-key header');
    }
    await enforce(this.keyLimiter, request, match.digest.toString('hex'), 'too many requests for this API key');
    const allowed = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets) ?? ['admin'];
    if (!allowed.includes(match.role)) {
      throw new ApiError(403, 'FORBIDDEN', `the ${match.role} role may not do this`, { allowed });
    }
    (request as AuthenticatedRequest).principal = { role: match.role, keyId: match.digest.subarray(0, 4).toString('hex') };
    return true;
  }

  private match(presented: string): { role: Role; digest: Buffer } | undefined {
    const presentedDigest = digest(presented);
    let match: { role: Role; digest: Buffer } | undefined;
    for (const key of this.keys) if (timingSafeEqual(key.digest, presentedDigest) && !match) match = key;
    return match;
  }
}

export async function enforce(limiter: RequestLimiter, request: FastifyRequest, bucket: string, message: string): Promise<void> {
  const retryAfterSeconds = await limiter.take(request, bucket);
  if (retryAfterSeconds === undefined) return;
  throw new ApiError(429, 'RATE_LIMITED', message, { retryAfterSeconds }, { 'retry-after': String(retryAfterSeconds) });
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
