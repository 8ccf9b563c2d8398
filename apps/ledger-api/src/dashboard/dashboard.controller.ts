import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../http/auth';
import { DASHBOARD_COMMON_JS } from './assets/common-script';
import { DASHBOARD_CSS, DASHBOARD_HTML, DASHBOARD_ICON_SVG } from './assets/page';
import { DASHBOARD_JS } from './assets/script';
import { CHART_LIBRARY_CACHE_CONTROL, readChartLibrary } from './chart-library';

/**
 * Strict: the page has no inline script, style or event handler, so nothing
 * inline may run (no 'unsafe-inline', hence no hashes or nonces to keep in
 * step), only its own scripts and stylesheet load, and it talks only to its
 * own origin. Chart.js draws on canvas and sizes it through CSSOM, which
 * style-src does not govern.
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
  private readonly chartLibrary = readChartLibrary();

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

  /** What the dashboard and its simulation view share: API calls, error sentences, formats, chart defaults. */
  @Get('common.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  commonScript(): string {
    return DASHBOARD_COMMON_JS;
  }

  @Get('app.css')
  @Header('content-type', 'text/css; charset=utf-8')
  style(): string {
    return DASHBOARD_CSS;
  }

  /** Named by the pages, so the browser does not ask for /favicon.ico (a 404 in every console). */
  @Get('favicon.svg')
  @Header('content-type', 'image/svg+xml')
  @Header('cache-control', CHART_LIBRARY_CACHE_CONTROL)
  icon(): string {
    return DASHBOARD_ICON_SVG;
  }

  @Get('vendor/chart.umd.min.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', CHART_LIBRARY_CACHE_CONTROL)
  @Header('content-security-policy', DASHBOARD_CONTENT_SECURITY_POLICY)
  chartScript(): string {
    return this.chartLibrary;
  }
}
