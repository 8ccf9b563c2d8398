import { Module } from '@nestjs/common';
import { SimulationsController } from './simulations.controller';
import { SimulationDashboardController } from './simulation-dashboard.controller';

@Module({ controllers: [SimulationsController, SimulationDashboardController] })
export class SimulationModule {}
