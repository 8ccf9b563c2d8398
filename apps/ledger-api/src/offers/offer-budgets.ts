import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { budgetStreamId, ProgramPolicy, ruleBudgets } from '@loyalty/domain';
import { READ_MODEL_SCHEMA as S } from '@loyalty/read-models';
import { BudgetLedger } from '../ledger/budget-ledger';
import { READ_MODELS } from '../tokens';

export interface RuleBudgetUse {
  /** `rule:<ruleId>` or `offer:<offerId>`. */
  readonly ruleKey: string;
  readonly totalPoints: number;
  readonly pointsReserved: number;
  readonly pointsRemaining: number;
  readonly reservations: number;
}

/**
 * What each offer awarded, from the offers read model. Budgets are enforced
 * on the write path (a budget stream per budgeted rule, see
 * libs/domain/src/budgets/budgets.ts), not from here: this only reports.
 */
@Injectable()
export class OfferBudgets {
  constructor(
    @Inject(READ_MODELS) private readonly db: DataSource,
    private readonly budgets: BudgetLedger,
  ) {}

  /** What each budgeted rule has reserved, read from its budget stream: the figure the write path decides by. */
  async reserved(policy: ProgramPolicy): Promise<RuleBudgetUse[]> {
    const uses: RuleBudgetUse[] = [];
    for (const [ruleKey, totalPoints] of ruleBudgets(policy)) {
      const { reservedPoints, byTransaction } = (await this.budgets.load(budgetStreamId(ruleKey))).state;
      uses.push({
        ruleKey,
        totalPoints,
        pointsReserved: reservedPoints,
        pointsRemaining: Math.max(0, totalPoints - reservedPoints),
        reservations: byTransaction.size,
      });
    }
    return uses;
  }

  async awarded(): Promise<Map<string, { points: number; awards: number; members: number }>> {
    const rows: Array<{ offer_id: string; points: string; awards: string; members: string }> = await this.db.query(
      `select offer_id, sum(points) points, count(*) awards, count(distinct member_id) members from ${S}.offer_awards group by offer_id`,
    );
    return new Map(rows.map((r) => [r.offer_id, { points: Number(r.points), awards: Number(r.awards), members: Number(r.members) }]));
  }
}
