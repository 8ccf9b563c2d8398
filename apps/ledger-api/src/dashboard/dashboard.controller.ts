import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../http/auth';
import { DASHBOARD_CSS, DASHBOARD_HTML } from './assets/page';
import { DASHBOARD_JS } from './assets/script';

/** The program manager's dashboard: static, public, no data inside; the script reads the API with the key typed in. */
@ApiExcludeController()
@Public()
@Controller('dashboard')
export class DashboardController {
  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:")
  page(): string {
    return DASHBOARD_HTML;
  }

  @Get('app.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  script(): string {
    return DASHBOARD_JS;
  }

  @Get('app.css')
  @Header('content-type', 'text/css; charset=utf-8')
  style(): string {
    return DASHBOARD_CSS;
  }
}
