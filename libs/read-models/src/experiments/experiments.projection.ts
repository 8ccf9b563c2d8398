import { EntityManager } from 'typeorm';
import { asMemberEvent, ExperimentVariant, MEMBER_STREAM_PREFIX, MemberEvent, ProgramConfigured, variantOf } from '@loyalty/domain';
import { RecordedEvent } from '@loyalty/event-store';
import { Projection } from '../projector/projection';
import { READ_MODEL_SCHEMA } from '../schema';

interface Deltas {
  readonly purchases: number;
  readonly revenueMinor: number;
  readonly pointsIssued: number;
  readonly pointsRedeemed: number;
}

const NONE: Deltas = { purchases: 0, revenueMinor: 0, pointsIssued: 0, pointsRedeemed: 0 };

function deltasOf(event: MemberEvent): Deltas {
  switch (event.type) {
    case 'PurchaseRecorded':
      return { ...NONE, purchases: 1, revenueMinor: event.data.amountMinor };
    case 'PointsAccrued':
      return { ...NONE, pointsIssued: event.data.points };
    case 'PointsRedeemed':
      return { ...NONE, pointsRedeemed: event.data.points };
    case 'RedemptionReversed':
      return { ...NONE, pointsRedeemed: -event.data.points };
    default:
      return NONE;
  }
}

/**
 * Experiments are learned from ProgramConfigured events in log order, so the
 * projection knows exactly the experiments the domain knew when it decided.
 * A definition removed from the program keeps its rows: results outlive it.
 */
export const experimentsProjectionIn = (schema: string): Projection => ({
  name: 'experiments',
  async apply(manager: EntityManager, recorded: RecordedEvent): Promise<void> {
    if (recorded.type === 'ProgramConfigured' && recorded.streamId.startsWith('program-')) {
      const { policy } = recorded.data as unknown as ProgramConfigured['data'];
      for (const e of policy.experiments ?? []) {
        await manager.query(
          `insert into ${schema}.experiment_definitions (experiment_id, starts_at, ends_at, variants, position) values ($1, $2, $3, $4, $5)
           on conflict (experiment_id) do update set starts_at = excluded.starts_at, ends_at = excluded.ends_at, variants = excluded.variants, position = excluded.position`,
          [e.experimentId, e.startsAt, e.endsAt, JSON.stringify(e.variants), recorded.position.toString()],
        );
      }
      return;
    }
    const event = recorded.streamId.startsWith(MEMBER_STREAM_PREFIX) ? asMemberEvent(recorded.type, recorded.data) : undefined;
    if (!event) return;
    const running: Array<{ experiment_id: string; variants: ExperimentVariant[] }> = await manager.query(
      `select experiment_id, variants from ${schema}.experiment_definitions
       where starts_at <= $1::timestamptz and (ends_at is null or ends_at > $1::timestamptz) order by experiment_id`,
      [event.data.occurredAt],
    );
    const d = deltasOf(event);
    for (const e of running) {
      const variant = variantOf({ experimentId: e.experiment_id, variants: e.variants }, event.data.memberId);
      await manager.query(
        `insert into ${schema}.experiment_members (experiment_id, member_id, variant, joined_at, purchases, revenue_minor, points_issued, points_redeemed)
         values ($1, $2, $3, $4, $5, $6, $7, $8)
         on conflict (experiment_id, member_id) do update set
           purchases = experiment_members.purchases + excluded.purchases,
           revenue_minor = experiment_members.revenue_minor + excluded.revenue_minor,
           points_issued = experiment_members.points_issued + excluded.points_issued,
           points_redeemed = experiment_members.points_redeemed + excluded.points_redeemed`,
        [e.experiment_id, event.data.memberId, variant.name, event.data.occurredAt, d.purchases, d.revenueMinor, d.pointsIssued, d.pointsRedeemed],
      );
    }
  },
});

export const experimentsProjection = experimentsProjectionIn(READ_MODEL_SCHEMA);
