import { EntityManager } from 'typeorm';
import { asMemberEvent, MEMBER_STREAM_PREFIX } from '@loyalty/domain';
import { RecordedEvent } from '@loyalty/event-store';
import { Projection } from '../projector/projection';
import { READ_MODEL_SCHEMA } from '../schema';

const OFFER_RULE_PREFIX = 'offer:';

/** Offer accruals carry the offer as their rule id (`offer:<id>`) and the purchase as their reference. */
export const offersProjectionIn = (schema: string): Projection => ({
  name: 'offers',
  async apply(manager: EntityManager, recorded: RecordedEvent): Promise<void> {
    const event = recorded.streamId.startsWith(MEMBER_STREAM_PREFIX) ? asMemberEvent(recorded.type, recorded.data) : undefined;
    if (event?.type !== 'PointsAccrued' || event.data.source !== 'offer') return;
    const d = event.data;
    for (const rule of d.ruleIds.filter((r) => r.startsWith(OFFER_RULE_PREFIX))) {
      await manager.query(
        `insert into ${schema}.offer_awards (offer_id, transaction_id, member_id, points, occurred_at, position) values ($1, $2, $3, $4, $5, $6)`,
        [rule.slice(OFFER_RULE_PREFIX.length), d.reference, d.memberId, d.points, d.occurredAt, recorded.position.toString()],
      );
    }
  },
});

export const offersProjection = offersProjectionIn(READ_MODEL_SCHEMA);
