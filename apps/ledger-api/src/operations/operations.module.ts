import { Module } from '@nestjs/common';
import { DashboardController } from '../dashboard/dashboard.controller';
import { HealthController } from '../health/health.controller';
import { DailyScheduler } from '../jobs/daily-scheduler';
import { JobsController } from '../jobs/jobs.controller';
import { SettleMembersHandler } from '../jobs/settle-members.handler';
import { MetricsController } from '../observability/metrics.controller';
import { LedgerReactions } from '../reactions/ledger-reactions';
import { ParkedStreamsController } from './parked-streams.controller';

/** Running the ledger: health, metrics, the daily job, cross-member reactions, parked streams and the dashboard. */
@Module({
  controllers: [HealthController, MetricsController, JobsController, ParkedStreamsController, DashboardController],
  providers: [SettleMembersHandler, DailyScheduler, LedgerReactions],
})
export class OperationsModule {}
