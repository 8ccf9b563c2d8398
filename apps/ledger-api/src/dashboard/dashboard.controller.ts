import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../http/auth';
import { DASHBOARD_CSS, DASHBOARD_HTML } from './assets/page';
import { DASHBOARD_JS } from './assets/script';

/**
 * Strict: the page has no inline script, style or event handler, so nothing
 * inline may run (no 'unsafe-inline', hence no hashes or nonces to keep in
 * step), only its own script and stylesheet load, and it talks only to its
 * own origin. The SVG charts are built through the DOM and colours set
 * through CSSOM, neither of which style-src governs.
 */
export const DASHBOARD_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The program manager's dashboard: static, public, no data inside; the script reads the API with the key typed in. */
@ApiExcludeController()
@Public()
@Controller('dashboard')
export class DashboardController {
  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', DASHBOARD_CONTENT_SECURITY_POLICY)
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
