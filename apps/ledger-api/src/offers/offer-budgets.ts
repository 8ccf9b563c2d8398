import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { READ_MODEL_SCHEMA as S } from '@loyalty/read-models';
import { READ_MODELS } from '../tokens';

/**
 * What each offer awarded, from the offers read model. Budgets are enforced
 * on the write path (a budget stream per budgeted rule, see
 * libs/domain/src/budgets/budgets.ts), not from here: this only reports.
 */
@Injectable()
export class OfferBudgets {
  constructor(@Inject(READ_MODELS) private readonly db: DataSource) {}

  async awarded(): Promise<Map<string, { points: number; awards: number; members: number }>> {
    const rows: Array<{ offer_id: string; points: string; awards: string; members: string }> = await this.db.query(
      `select offer_id, sum(points) points, count(*) awards, count(distinct member_id) members from ${S}.offer_awards group by offer_id`,
    );
    return new Map(rows.map((r) => [r.offer_id, { points: Number(r.points), awards: Number(r.awards), members: Number(r.members) }]));
  }
}
