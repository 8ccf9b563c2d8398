import { decodeMemberEvent } from '@loyalty/domain';
import { Projection } from '../projector/projection';
import { insertRows } from '../projector/row-sets';
import { READ_MODEL_SCHEMA } from '../schema';

const OFFER_RULE_PREFIX = 'offer:';

/** Offer accruals carry the offer as their rule id (`offer:<id>`) and the purchase as their reference. */
export const offersProjectionIn = (schema: string): Projection => ({
  name: 'offers',
  async applyBatch(manager, events) {
    const awards = events.flatMap((recorded) => {
      const event = decodeMemberEvent(recorded);
      if (event?.type !== 'PointsAccrued' || event.data.source !== 'offer') return [];
      const d = event.data;
      return d.ruleIds
        .filter((r) => r.startsWith(OFFER_RULE_PREFIX))
        .map((rule) => ({
          offer_id: rule.slice(OFFER_RULE_PREFIX.length),
          transaction_id: d.reference,
          member_id: d.memberId,
          points: d.points,
          occurred_at: d.occurredAt,
          position: recorded.position.toString(),
        }));
    });
    await insertRows(manager, `${schema}.offer_awards`, awards);
  },
});

export const offersProjection = offersProjectionIn(READ_MODEL_SCHEMA);
