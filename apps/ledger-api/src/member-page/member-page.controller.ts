import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DASHBOARD_CONTENT_SECURITY_POLICY } from '../dashboard/dashboard.controller';
import { Public } from '../http/auth';
import { MEMBER_PAGE_CSS, MEMBER_PAGE_HTML } from './assets/page';
import { MEMBER_PAGE_JS } from './assets/script';

/** The members' page: static and public like the dashboard, under the same strict policy; its script reads /v1/me with the member's token. */
@ApiExcludeController()
@Public()
@Controller('member')
export class MemberPageController {
  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', DASHBOARD_CONTENT_SECURITY_POLICY)
  @Header('referrer-policy', 'no-referrer')
  @Header('cache-control', 'no-store')
  page(): string {
    return MEMBER_PAGE_HTML;
  }

  @Get('app.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  script(): string {
    return MEMBER_PAGE_JS;
  }

  @Get('app.css')
  @Header('content-type', 'text/css; charset=utf-8')
  style(): string {
    return MEMBER_PAGE_CSS;
  }
}
