import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AnalyticsModule } from './analytics/analytics.module';
import { AuditModule } from './audit/audit.module';
import { CouponsModule } from './coupons/coupons.module';
import { ApiKeyGuard } from './http/auth';
import { ErrorFilter } from './http/error-filter';
import { RateLimitModule } from './http/rate-limiter';
import { LedgerModule } from './ledger/ledger.module';
import { MeModule } from './me/me.module';
import { MembersModule } from './members/members.module';
import { OperationsModule } from './operations/operations.module';
import { PointsModule } from './points/points.module';
import { ProgramModule } from './program/program.module';
import { LedgerRuntime, RuntimeModule } from './runtime.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { SimulationModule } from './simulation/simulation.module';

/** The HTTP app: one module per area over the shared runtime and write path; every route behind the key guard. */
@Module({})
export class LedgerApiModule {
  static register(runtime: LedgerRuntime): DynamicModule {
    return {
      module: LedgerApiModule,
      imports: [
        CqrsModule.forRoot(),
        RuntimeModule.register(runtime),
        RateLimitModule,
        LedgerModule,
        ProgramModule,
        MembersModule,
        PointsModule,
        AnalyticsModule,
        AuditModule,
        CouponsModule,
        OperationsModule,
        WebhooksModule,
        MeModule,
        SimulationModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
      ],
    };
  }
}
