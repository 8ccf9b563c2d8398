import { decodeMemberEvent, MemberEvent } from '@loyalty/domain';
import { Projection } from '../projector/projection';
import { insertRows } from '../projector/row-sets';

interface LedgerEntry {
  readonly type: string;
  readonly points: number;
  readonly reference: string;
  readonly detail: Record<string, unknown>;
}

/**
 * The ledger entries: one row per points movement, keyed by its event id.
 * They read nothing but the event, so a batch is one insert, and a rebuild
 * writes them on a lane of their own beside the balances.
 */
export const ledgerEntriesProjectionIn = (schema: string): Projection => ({
  name: 'ledger-entries',
  async applyBatch(manager, events) {
    const rows = events.flatMap((recorded) => {
      const event = decodeMemberEvent(recorded);
      const entry = event && entryOf(event);
      if (!entry) return [];
      return [
        {
          entry_id: recorded.eventId,
          member_id: String(recorded.data.memberId),
          position: recorded.position.toString(),
          type: entry.type,
          points: entry.points,
          occurred_at: recorded.data.occurredAt,
          reference: entry.reference,
          detail: entry.detail,
        },
      ];
    });
    await insertRows(manager, `${schema}.ledger_entries`, rows);
  },
});

function entryOf(event: MemberEvent): LedgerEntry | undefined {
  switch (event.type) {
    case 'PointsAccrued': {
      const d = event.data;
      return {
        type: `accrual:${d.source}`,
        points: d.points,
        reference: d.reference,
        detail: {
          lotId: d.lotId,
          programVersion: d.programVersion,
          ruleIds: d.ruleIds,
          pendingUntil: d.pendingUntil,
          expiresAt: d.expiresAt,
        },
      };
    }
    case 'PointsExpired':
      return { type: 'expiry', points: -event.data.points, reference: event.data.lotId, detail: {} };
    case 'PointsRedeemed': {
      const d = event.data;
      return {
        type: 'redemption',
        points: -d.points,
        reference: d.redemptionId,
        detail: { rewardId: d.rewardId, lots: d.lots, programVersion: d.programVersion },
      };
    }
    case 'RedemptionReversed':
      return {
        type: 'redemption-reversal',
        points: event.data.points,
        reference: event.data.redemptionId,
        detail: { lots: event.data.lots },
      };
    case 'PointsClawedBack': {
      const d = event.data;
      return {
        type: 'clawback',
        points: -d.points,
        reference: d.transactionId,
        detail: { refundId: d.refundId, lots: d.lots, debtIncurred: d.debtIncurred },
      };
    }
    case 'PointsAdjusted': {
      const d = event.data;
      return {
        type: 'adjustment',
        points: d.points,
        reference: d.adjustmentId,
        detail: { reason: d.reason, actor: d.actor, lots: d.lots },
      };
    }
    case 'PointsTransferredOut': {
      const d = event.data;
      return { type: 'transfer-out', points: -d.points, reference: d.transferId, detail: { toMemberId: d.toMemberId, lots: d.lots } };
    }
    case 'PointsTransferredIn': {
      const d = event.data;
      return { type: 'transfer-in', points: d.points, reference: d.transferId, detail: { fromMemberId: d.fromMemberId, lots: d.lots } };
    }
    case 'MemberEnrolled':
    case 'PointsActivated':
    case 'DebtRepaid':
    case 'MemberErased':
    case 'TierChanged':
    case 'PurchaseRecorded':
    case 'PurchaseRefunded':
    case 'ReferralQualified':
    case 'ActionRecorded':
      return undefined;
  }
}
