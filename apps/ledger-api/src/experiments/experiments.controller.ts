import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { queryRows } from '@loyalty/platform';
import { READ_MODEL_SCHEMA as S } from '@loyalty/read-models';
import { rate } from '../analytics/kpi-queries';
import { AnalyticsQueries } from '../analytics/analytics-queries';
import { ApiError } from '../http/api-error';
import { Roles } from '../http/auth';
import { ClientIdPipe } from '../http/params';
import { ReadConsistency } from '../http/read-consistency';
import { READ_MODELS } from '../tokens';
import { ApiOperationSpec, ClientIdParam, KEY_ERRORS, MinPositionQuery, READ_ERRORS } from '../http/openapi-operation';
import { Responses } from '../http/openapi-schemas';

interface VariantRow {
  variant: string;
  members: string;
  buyers: string;
  repeaters: string;
  purchases: string;
  revenue_minor: string;
  points_issued: string;
  points_redeemed: string;
}

interface DefinitionRow {
  starts_at: Date;
  ends_at: Date | null;
  variants: Array<{ name: string; weightPercent: number; pointsPerUnit: number }>;
}

@ApiTags('analytics')
@ApiSecurity('api-key')
@Controller('v1/experiments')
export class ExperimentsController {
  constructor(
    @Inject(READ_MODELS) private readonly db: DataSource,
    private readonly analytics: AnalyticsQueries,
    private readonly consistency: ReadConsistency,
  ) {}

  /**
   * Per variant: members who had any event in the window, spend per member,
   * repeat purchase rate (2+ purchases among buyers), redemption rate
   * (redeemed / issued) and points cost per revenue (issued x point value / revenue).
   */
  @ClientIdParam('experimentId', 'exp-1')
  @ApiOperationSpec({
    operationId: 'getExperimentResults',
    summary: 'An experiment’s KPIs per variant',
    success: { status: 200, schema: Responses.experimentResults },
    errors: [...KEY_ERRORS, ...READ_ERRORS, 404],
  })
  @Get(':experimentId/results')
  @Roles('admin', 'analyst')
  @MinPositionQuery()
  async results(@Param('experimentId', ClientIdPipe) experimentId: string, @Query('minPosition') minPosition?: string) {
    await this.consistency.atLeast(minPosition);
    const asOfPosition = await this.analytics.asOfPosition();
    const [definition] = await queryRows<DefinitionRow>(
      this.db,
      `select starts_at, ends_at, variants from ${S}.experiment_definitions where experiment_id = $1`,
      [experimentId],
    );
    if (!definition) throw new ApiError(404, 'EXPERIMENT_NOT_FOUND', `no experiment ${experimentId}`, { experimentId });
    const rows: VariantRow[] = await this.db.query(
      `select variant, count(*) members, count(*) filter (where purchases > 0) buyers, count(*) filter (where purchases >= 2) repeaters,
              sum(purchases) purchases, sum(revenue_minor) revenue_minor, sum(points_issued) points_issued, sum(points_redeemed) points_redeemed
       from ${S}.experiment_members where experiment_id = $1 group by variant`,
      [experimentId],
    );
    const [value] = await queryRows<{ point_value_minor: string }>(
      this.db,
      `select point_value_minor from ${S}.kpi_point_values order by effective_at desc, position desc limit 1`,
    );
    const pointValueMinor = Number(value?.point_value_minor ?? 0);
    const byName = new Map(rows.map((r) => [r.variant, r]));
    const variants = definition.variants.map((v) => {
      const r = byName.get(v.name);
      const n = (x: string | undefined) => Number(x ?? 0);
      const members = n(r?.members);
      const revenueMinor = n(r?.revenue_minor);
      const pointsIssued = n(r?.points_issued);
      const pointsRedeemed = n(r?.points_redeemed);
      const pointsCostMinor = pointsIssued * pointValueMinor;
      return {
        variant: v.name,
        weightPercent: v.weightPercent,
        pointsPerUnit: v.pointsPerUnit,
        members,
        buyers: n(r?.buyers),
        purchases: n(r?.purchases),
        revenueMinor,
        spendPerMemberMinor: members === 0 ? 0 : Math.floor(revenueMinor / members),
        repeatPurchaseRate: rate(n(r?.repeaters), n(r?.buyers)),
        pointsIssued,
        pointsRedeemed,
        redemptionRate: rate(pointsRedeemed, pointsIssued),
        pointsCostMinor,
        pointsCostPerRevenue: rate(pointsCostMinor, revenueMinor),
      };
    });
    return {
      experimentId,
      startsAt: definition.starts_at.toISOString(),
      endsAt: definition.ends_at ? definition.ends_at.toISOString() : null,
      pointValueMinor,
      variants,
      asOfPosition,
    };
  }
}
