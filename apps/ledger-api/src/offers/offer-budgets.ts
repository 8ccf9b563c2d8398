import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decideOfferExhaustion, deterministicEventId, PROGRAM_STREAM_ID, ProgramEvent } from '@loyalty/domain';
import { EventStore, runCommand } from '@loyalty/event-store';
import { READ_MODEL_SCHEMA as S } from '@loyalty/read-models';
import { ClockService } from '../ledger/clock.service';
import { programStateOf } from '../ledger/program-store';
import { EVENT_STORE, READ_MODELS } from '../tokens';

/** How often budgets are compared with the points awarded; with the projector's lag, this bounds the overspend window. */
export const OFFER_BUDGET_CHECK_MS = 1000;

/**
 * Offer budgets: the awarded points come from the offers read model; once
 * they reach the budget, OfferBudgetExhausted goes to the program stream and
 * the domain stops applying the offer. Purchases decided between the budget
 * being reached and that event (projector lag + one check period) still earn
 * the offer: a bounded overspend, reported by GET /v1/offers.
 */
@Injectable()
export class OfferBudgets implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('offer-budgets');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly db: DataSource,
    private readonly clock: ClockService,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.check()
        .catch((error) => this.logger.warn(`budget check failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => (this.running = undefined));
    }, OFFER_BUDGET_CHECK_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async awarded(): Promise<Map<string, { points: number; awards: number; members: number }>> {
    const rows: Array<{ offer_id: string; points: string; awards: string; members: string }> = await this.db.query(
      `select offer_id, sum(points) points, count(*) awards, count(distinct member_id) members from ${S}.offer_awards group by offer_id`,
    );
    return new Map(rows.map((r) => [r.offer_id, { points: Number(r.points), awards: Number(r.awards), members: Number(r.members) }]));
  }

  /** Returns the offers found exhausted by this check. */
  async check(): Promise<string[]> {
    const state = programStateOf(await this.store.readStream(PROGRAM_STREAM_ID));
    const budgeted = (state.policy?.offers ?? []).filter((o) => o.pointsBudget !== null && !state.exhaustedOfferIds?.has(o.offerId));
    if (budgeted.length === 0) return [];
    const awarded = await this.awarded();
    const exhausted: string[] = [];
    for (const offer of budgeted) {
      const points = awarded.get(offer.offerId)?.points ?? 0;
      if (points < offer.pointsBudget!) continue;
      const streamId = PROGRAM_STREAM_ID;
      const outcome = await runCommand<ProgramEvent>(this.store, {
        streamId,
        eventId: (index) => deterministicEventId(streamId, `offer-exhausted:${offer.offerId}`, index),
        decide: (history) => decideOfferExhaustion(programStateOf(history), offer.offerId, points, this.clock.nowIso()),
      });
      if (outcome.appended) exhausted.push(offer.offerId);
    }
    return exhausted;
  }
}
