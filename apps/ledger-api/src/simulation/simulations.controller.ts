import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { EventStore } from '@loyalty/event-store';
import { Roles } from '../http/auth';
import { CLOCK, Clock, EVENT_STORE } from '../tokens';
import { SimulationRequestDto } from './simulation.dto';
import { candidatePolicy, runSimulation, simulationWindow } from './run-simulation';
import { ApiOperationSpec, BODY_ERRORS, KEY_ERRORS } from '../http/openapi-operation';
import { Responses } from '../http/openapi-schemas';

/** What-if replays of the log under a candidate program (docs/simulation.md). Nothing is written: 200, not 201. */
@ApiTags('simulations')
@ApiSecurity('api-key')
@Controller('v1/simulations')
export class SimulationsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @ApiOperationSpec({
    operationId: 'runSimulation',
    summary: 'Replay a window of the log under a candidate program',
    success: { status: 200, schema: Responses.simulation },
    errors: [...KEY_ERRORS, ...BODY_ERRORS, 422, 503],
  })
  @Post()
  @HttpCode(200)
  @Roles('admin', 'analyst')
  async simulate(@Body() body: SimulationRequestDto) {
    const window = simulationWindow(body.from, body.to, this.clock.now().getTime());
    const candidate = await candidatePolicy(this.store, body.program);
    return runSimulation(this.store, window, candidate);
  }
}
