import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../http/auth';
import { DASHBOARD_CONTENT_SECURITY_POLICY } from '../dashboard/dashboard.controller';
import { SIMULATION_CSS, SIMULATION_HTML } from '../dashboard/assets/simulation-page';
import { SIMULATION_JS } from '../dashboard/assets/simulation-script';

/** The dashboard's simulation view: static and public like the dashboard, under the same strict CSP; the script posts with the key typed in. */
@ApiExcludeController()
@Public()
@Controller('dashboard')
export class SimulationDashboardController {
  @Get('simulation')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', DASHBOARD_CONTENT_SECURITY_POLICY)
  page(): string {
    return SIMULATION_HTML;
  }

  @Get('simulation.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  script(): string {
    return SIMULATION_JS;
  }

  @Get('simulation.css')
  @Header('content-type', 'text/css; charset=utf-8')
  style(): string {
    return SIMULATION_CSS;
  }
}
