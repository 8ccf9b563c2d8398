import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { EventStore } from '@loyalty/event-store';
import { LedgerConfig, LedgerMetrics, PersonalDataVault } from '@loyalty/platform';
import { Projector } from '@loyalty/read-models';
import { AuditController } from './audit/audit.controller';
import { HealthController } from './health/health.controller';
import { DailyScheduler } from './jobs/daily-scheduler';
import { JobsController } from './jobs/jobs.controller';
import { SettleMembersHandler } from './jobs/settle-members.handler';
import { MemberPointsController } from './members/member-points.controller';
import { LedgerReactions } from './reactions/ledger-reactions';
import { ApiKeyGuard } from './http/auth';
import { ErrorFilter } from './http/error-filter';
import { ReadConsistency } from './http/read-consistency';
import { ClockService } from './ledger/clock.service';
import { CommandContextFactory } from './ledger/command-context';
import { MemberLedger } from './ledger/member-ledger';
import { ProgramStore } from './ledger/program-store';
import { MemberQueries } from './members/member-queries';
import { MembersController } from './members/members.controller';
import { PointsController } from './points/points.controller';
import { PointsRequests } from './points/points.requests';
import { MemberRequests } from './members/members.requests';
import { ErasePersonalDataHandler } from './members/erase-personal-data.handler';
import { ConfigureProgramHandler } from './program/configure-program.handler';
import { ProgramController } from './program/program.controller';
import { AnalyticsQueries } from './analytics/analytics-queries';
import { KpiQueries } from './analytics/kpi-queries';
import { KpisController } from './analytics/kpis.controller';
import { SegmentDefinitions } from './analytics/segment-definitions';
import { SegmentsController } from './analytics/segments.controller';
import { DashboardController } from './dashboard/dashboard.controller';
import { ExperimentsController } from './experiments/experiments.controller';
import { OfferBudgets } from './offers/offer-budgets';
import { OffersController } from './offers/offers.controller';
import { CLOCK, Clock, EVENT_STORE, LEDGER_CONFIG, METRICS, PROJECTOR, READ_MODELS, RELAY, VAULT } from './tokens';
import { KafkaRelay } from '@loyalty/messaging';
import { MetricsController } from './observability/metrics.controller';
import { ParkedStreamsController } from './operations/parked-streams.controller';

/** What the composition root built before Nest starts; Nest only wires it to HTTP. */
export interface LedgerRuntime {
  readonly config: LedgerConfig;
  readonly store: EventStore;
  readonly readModels: DataSource;
  readonly projector: Projector | null;
  readonly relay: KafkaRelay | null;
  readonly vault: PersonalDataVault;
  readonly clock: Clock;
  readonly metrics: LedgerMetrics;
}

@Module({})
export class LedgerApiModule {
  static register(runtime: LedgerRuntime): DynamicModule {
    return {
      module: LedgerApiModule,
      imports: [CqrsModule.forRoot()],
      controllers: [
        ProgramController,
        MembersController,
        MemberPointsController,
        PointsController,
        JobsController,
        HealthController,
        ParkedStreamsController,
        MetricsController,
        AuditController,
        SegmentsController,
        KpisController,
        ExperimentsController,
        OffersController,
        DashboardController,
      ],
      providers: [
        { provide: LEDGER_CONFIG, useValue: runtime.config },
        { provide: EVENT_STORE, useValue: runtime.store },
        { provide: READ_MODELS, useValue: runtime.readModels },
        { provide: PROJECTOR, useValue: runtime.projector },
        { provide: RELAY, useValue: runtime.relay },
        { provide: VAULT, useValue: runtime.vault },
        { provide: CLOCK, useValue: runtime.clock },
        { provide: METRICS, useValue: runtime.metrics },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
        ClockService,
        ProgramStore,
        MemberLedger,
        CommandContextFactory,
        ReadConsistency,
        MemberQueries,
        ConfigureProgramHandler,
        PointsRequests,
        MemberRequests,
        ErasePersonalDataHandler,
        SettleMembersHandler,
        DailyScheduler,
        LedgerReactions,
        AnalyticsQueries,
        KpiQueries,
        SegmentDefinitions,
        OfferBudgets,
      ],
    };
  }
}
