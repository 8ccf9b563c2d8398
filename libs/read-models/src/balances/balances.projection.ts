import { EntityManager } from 'typeorm';
import { asMemberEvent, MEMBER_STREAM_PREFIX } from '@loyalty/domain';
import { RecordedEvent } from '@loyalty/event-store';
import { READ_MODEL_SCHEMA } from '../schema';
import { Projection } from '../projector/projection';

const S = READ_MODEL_SCHEMA;

/**
 * Members, balances, lots and ledger entries. Every write is keyed by the
 * event (entry id = event id, lot id from the event), so the rows depend on
 * the log alone and a replay produces the same rows.
 */
export const balancesProjection: Projection = {
  name: 'balances',
  async apply(manager: EntityManager, recorded: RecordedEvent): Promise<void> {
    const event = recorded.streamId.startsWith(MEMBER_STREAM_PREFIX) ? asMemberEvent(recorded.type, recorded.data) : undefined;
    if (!event) return;
    const position = recorded.position.toString();
    switch (event.type) {
      case 'MemberEnrolled': {
        const { memberId, memberType, profile, referredBy, tier, occurredAt } = event.data;
        await manager.query(
          `insert into ${S}.members (member_id, member_type, name, email, birth_date, referred_by, tier, enrolled_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (member_id) do nothing`,
          [memberId, memberType, profile.name ?? null, profile.email ?? null, profile.birthDate ?? null, referredBy, tier, occurredAt],
        );
        await manager.query(
          `insert into ${S}.member_balances (member_id, last_position) values ($1, $2) on conflict (member_id) do nothing`,
          [memberId, position],
        );
        return;
      }
      case 'PointsAccrued': {
        const { memberId, lotId, points, source, pendingUntil, expiresAt, reference, occurredAt } = event.data;
        const pending = pendingUntil !== null;
        await manager.query(
          `insert into ${S}.member_lots (member_id, lot_id, points, remaining, status, source, pending_until, expires_at)
           values ($1, $2, $3, $3, $4, $5, $6, $7)`,
          [memberId, lotId, points, pending ? 'pending' : 'active', source, pendingUntil, expiresAt],
        );
        await manager.query(
          `update ${S}.member_balances set ${pending ? 'pending = pending' : 'available = available'} + $2,
             lifetime_earned = lifetime_earned + $2, last_position = $3 where member_id = $1`,
          [memberId, points, position],
        );
        await insertEntry(manager, recorded, memberId, `accrual:${source}`, points, occurredAt, reference, {
          lotId,
          programVersion: event.data.programVersion,
          ruleIds: event.data.ruleIds,
          pendingUntil,
          expiresAt,
        });
        return;
      }
      case 'PointsRedeemed': {
        const { memberId, points, lots, redemptionId, rewardId, occurredAt } = event.data;
        for (const lot of lots) {
          await manager.query(`update ${S}.member_lots set remaining = remaining - $3 where member_id = $1 and lot_id = $2`, [
            memberId,
            lot.lotId,
            lot.points,
          ]);
        }
        await manager.query(
          `update ${S}.member_balances set available = available - $2, redeemed = redeemed + $2, last_position = $3 where member_id = $1`,
          [memberId, points, position],
        );
        await insertEntry(manager, recorded, memberId, 'redemption', -points, occurredAt, redemptionId, { rewardId, lots });
        return;
      }
      case 'TierChanged':
        await manager.query(`update ${S}.members set tier = $2 where member_id = $1`, [event.data.memberId, event.data.to]);
        return;
      case 'PurchaseRecorded':
        return;
    }
  },
};

function insertEntry(
  manager: EntityManager,
  recorded: RecordedEvent,
  memberId: string,
  type: string,
  points: number,
  occurredAt: string,
  reference: string,
  detail: Record<string, unknown>,
): Promise<unknown> {
  return manager.query(
    `insert into ${S}.ledger_entries (entry_id, member_id, position, type, points, occurred_at, reference, detail)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [recorded.eventId, memberId, recorded.position.toString(), type, points, occurredAt, reference, JSON.stringify(detail)],
  );
}
