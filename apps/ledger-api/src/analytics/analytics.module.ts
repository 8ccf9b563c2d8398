import { Module } from '@nestjs/common';
import { ExperimentsController } from '../experiments/experiments.controller';
import { OfferBudgets } from '../offers/offer-budgets';
import { OffersController } from '../offers/offers.controller';
import { AnalyticsQueries } from './analytics-queries';
import { KpiQueries } from './kpi-queries';
import { KpisController } from './kpis.controller';
import { SegmentDefinitions } from './segment-definitions';
import { SegmentsController } from './segments.controller';

/** Segments, KPIs, experiments and offers: projections of the log, and the admin writes that shape them. */
@Module({
  controllers: [SegmentsController, KpisController, ExperimentsController, OffersController],
  providers: [AnalyticsQueries, KpiQueries, SegmentDefinitions, OfferBudgets],
})
export class AnalyticsModule {}
