import { applyDecorators, CanActivate, createParamDecorator, ExecutionContext, Inject, Injectable, UseGuards } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { LedgerConfig } from '@loyalty/platform';
import { enforce, MemberTokenRoute } from '../http/auth';
import { clientAddressBucket, RequestLimiter, RequestLimits } from '../http/rate-limiter';
import { LEDGER_CONFIG } from '../tokens';
import { memberTokenError, MemberTokens } from './member-tokens';

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

type MemberRequest = FastifyRequest & { memberId?: string };

/**
 * `Authorization: Bearer <member token>` -> the member, then a rate limit:
 * the member's own bucket, or for a missing or bad token the client
 * address's, as for API keys. No API key is looked at: a member route is
 * only ever a member's.
 */
@Injectable()
export class MemberTokenGuard implements CanActivate {
  private readonly memberLimiter: RequestLimiter;
  private readonly addressLimiter: RequestLimiter;

  constructor(
    private readonly tokens: MemberTokens,
    @Inject(LEDGER_CONFIG) config: LedgerConfig,
    limits: RequestLimits,
  ) {
    this.memberLimiter = limits.limiter(config.rateLimit);
    this.addressLimiter = limits.limiter(config.unauthenticatedRateLimit);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<MemberRequest>();
    const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
    const unauthenticated = () =>
      enforce(
        this.addressLimiter,
        request,
        clientAddressBucket(request.ip),
        'too many requests without a valid member token from this address',
      );
    if (!token) {
      await unauthenticated();
      throw memberTokenError('MEMBER_TOKEN_MISSING', 'send a member token: Authorization: Bearer <token>');
    }
    const memberId = await this.tokens.memberOf(token).catch(async (error: unknown) => {
      await unauthenticated();
      throw error;
    });
    await enforce(this.memberLimiter, request, `member:${memberId}`, 'too many requests for this member');
    request.memberId = memberId;
    return true;
  }
}

/** A route for the member a token names, and no one else. */
export const MemberRoute = () => applyDecorators(MemberTokenRoute(), UseGuards(MemberTokenGuard), ApiBearerAuth('member-token'));

/** The member the request's token speaks for; set by MemberTokenGuard before any handler runs. */
export const CurrentMember = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const memberId = context.switchToHttp().getRequest<MemberRequest>().memberId;
  if (memberId === undefined) throw memberTokenError('MEMBER_TOKEN_MISSING', 'send a member token: Authorization: Bearer <token>');
  return memberId;
});
