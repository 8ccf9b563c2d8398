import { Controller, Param, Post } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Roles } from '../http/auth';
import { ApiError } from '../http/api-error';
import { ClientIdPipe } from '../http/params';
import { MemberLedger } from '../ledger/member-ledger';
import { MemberTokens } from './member-tokens';
import { ApiOperationSpec, ClientIdParam, KEY_ERRORS } from '../http/openapi-operation';
import { Responses } from '../http/openapi-schemas';

/** The operator's app asks for a member's token after signing the member in its own way; the token then reaches only /v1/me. */
@ApiTags('members')
@ApiSecurity('api-key')
@Controller('v1/members/:memberId/sessions')
export class SessionsController {
  constructor(
    private readonly tokens: MemberTokens,
    private readonly ledger: MemberLedger,
  ) {}

  @ClientIdParam('memberId', 'm-1001')
  @ApiOperationSpec({
    operationId: 'createMemberSession',
    summary: 'A short-lived member token for /v1/me',
    success: { status: 201, schema: Responses.session },
    errors: [...KEY_ERRORS, 400, 404],
  })
  @Post()
  @Roles('admin', 'pos')
  async create(@Param('memberId', ClientIdPipe) memberId: string) {
    if (!(await this.ledger.isEnrolled(memberId))) throw new ApiError(404, 'MEMBER_NOT_FOUND', `no member ${memberId}`, { memberId });
    return this.tokens.mint(memberId);
  }
}
