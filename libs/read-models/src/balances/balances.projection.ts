import { decodeMemberEvent, MemberEvent } from '@loyalty/domain';
import { RecordedEvent } from '@loyalty/event-store';
import { READ_MODEL_SCHEMA } from '../schema';
import { composite, Projection } from '../projector/projection';
import { NO_PERSONAL_DATA, PersonalDataReader } from '../projector/personal-data-reader';
import { keyOf } from '../projector/row-sets';
import { ledgerEntriesProjectionIn } from './ledger-entries.projection';
import { LedgerRows, MemberRows } from './ledger-rows';

/**
 * Members, lots and balances. Lots mirror the domain's; the balance's
 * available and pending are recomputed from the lots after every change, so
 * they cannot drift from them. Every key comes from the event (lot ids from
 * the event), so a replay yields the same rows.
 */
export const memberBalancesProjectionIn = (schema: string, personalData: PersonalDataReader = NO_PERSONAL_DATA): Projection => ({
  name: 'member-balances',
  async applyBatch(manager, events) {
    const member = events.flatMap((recorded) => {
      const event = decodeMemberEvent(recorded);
      return event ? [{ recorded, event }] : [];
    });
    if (member.length === 0) return;
    const memberIds = [...new Set(member.map((m) => String(m.recorded.data.memberId)))];
    const rows = await LedgerRows.load(manager, schema, memberIds, lotsToLoad(member));
    for (const { recorded, event } of member) await project(rows.of(recorded), event, personalData);
    await rows.save();
  },
});

/** The balance read model as a whole: members, lots, balances and their ledger entries. */
export const balancesProjectionIn = (schema: string, personalData: PersonalDataReader = NO_PERSONAL_DATA): Projection =>
  composite('balances', [memberBalancesProjectionIn(schema, personalData), ledgerEntriesProjectionIn(schema)]);

export const balancesProjection: Projection = balancesProjectionIn(READ_MODEL_SCHEMA);

/**
 * The stored lots the batch changes, each once. A lot the batch itself
 * inserted before changing it needs no lookup (the usual case in a member's
 * history); a lot inserted after a change to it was never stored, or the
 * insert fails on the duplicate, as it would event by event.
 */
function lotsToLoad(member: ReadonlyArray<{ recorded: RecordedEvent; event: MemberEvent }>): Array<readonly [string, string]> {
  const inserted = new Set<string>();
  const keys = new Map<string, readonly [string, string]>();
  for (const { recorded, event } of member) {
    const memberId = String(recorded.data.memberId);
    for (const lotId of lotsNamedBy(event)) {
      const key = keyOf(memberId, lotId);
      if (!inserted.has(key)) keys.set(key, [memberId, lotId]);
    }
    for (const lotId of lotsInsertedBy(event)) inserted.add(keyOf(memberId, lotId));
  }
  return [...keys.values()];
}

function lotsInsertedBy(event: MemberEvent): string[] {
  switch (event.type) {
    case 'PointsAccrued':
      return [event.data.lotId];
    case 'PointsAdjusted':
      return event.data.lotId === null ? [] : [event.data.lotId];
    case 'PointsTransferredIn':
      return event.data.lots.map((lot) => lot.lotId);
    default:
      return [];
  }
}

/** The existing lots an event changes. */
function lotsNamedBy(event: MemberEvent): string[] {
  switch (event.type) {
    case 'PointsActivated':
    case 'PointsExpired':
      return [event.data.lotId];
    case 'PointsRedeemed':
    case 'RedemptionReversed':
    case 'PointsClawedBack':
    case 'DebtRepaid':
    case 'PointsAdjusted':
    case 'PointsTransferredOut':
      return event.data.lots.map((lot) => lot.lotId);
    default:
      return [];
  }
}

async function project(rows: MemberRows, event: MemberEvent, personalData: PersonalDataReader): Promise<void> {
  switch (event.type) {
    case 'MemberEnrolled': {
      const d = event.data;
      // Opened only for a member the batch has not seen enrolled: a repeated enrolment changes nothing.
      const person = d.personalData === null || rows.hasMember() ? undefined : await personalData(rows.memberId, d.personalData);
      return rows.enrol({
        memberType: d.memberType,
        name: person?.name ?? null,
        email: person?.email ?? null,
        birthDate: person?.birthDate ?? null,
        referredBy: d.referredBy,
        tier: d.tier,
        enrolledAt: d.occurredAt,
      });
    }
    case 'PointsAccrued': {
      const d = event.data;
      rows.insertLot(d.lotId, d.points, d.pendingUntil === null ? 'active' : 'pending', d.source, d.pendingUntil, d.expiresAt);
      return rows.count({ lifetime_earned: d.points });
    }
    case 'PointsActivated':
      rows.setLotStatus(event.data.lotId, 'active');
      return rows.refresh();
    case 'PointsExpired':
      rows.changeLots([event.data], -1, 'expired');
      return rows.count({ expired: event.data.points });
    case 'PointsRedeemed': {
      const d = event.data;
      rows.changeLots(d.lots, -1);
      return rows.count({ redeemed: d.points });
    }
    case 'RedemptionReversed': {
      const d = event.data;
      rows.changeLots(d.lots, 1, 'restore');
      return rows.count({ redeemed: -d.points });
    }
    case 'PointsClawedBack': {
      const d = event.data;
      rows.changeLots(d.lots, -1);
      return rows.count({ clawed_back: d.points, debt: d.debtIncurred });
    }
    case 'DebtRepaid':
      rows.changeLots(event.data.lots, -1);
      return rows.count({ debt: -event.data.points });
    case 'PointsAdjusted': {
      const d = event.data;
      if (d.lotId !== null) rows.insertLot(d.lotId, d.points, 'active', 'adjustment', null, d.expiresAt);
      else rows.changeLots(d.lots, -1);
      return rows.count({ adjusted: d.points });
    }
    case 'PointsTransferredOut': {
      const d = event.data;
      rows.changeLots(d.lots, -1);
      return rows.count({ transferred_out: d.points });
    }
    case 'PointsTransferredIn': {
      const d = event.data;
      for (const lot of d.lots) rows.insertLot(lot.lotId, lot.points, 'active', 'transfer', null, lot.expiresAt);
      return rows.count({ transferred_in: d.points });
    }
    case 'MemberErased':
      return rows.scrubPersonalData();
    case 'TierChanged':
      return rows.setTier(event.data.to, event.data.reason === 'requalification' ? event.data.occurredAt : null);
    case 'PurchaseRecorded':
    case 'PurchaseRefunded':
    case 'ReferralQualified':
    case 'ActionRecorded':
      return;
  }
}
