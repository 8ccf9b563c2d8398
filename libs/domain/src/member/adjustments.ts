import { planConsumption } from '../lots/lots';
import { invalid, rejected } from '../values/errors';
import { lotExpiry } from '../expiry/expiry';
import { AdjustPoints, ReceiveTransfer, TransferPoints } from './commands';
import { base } from './decision-helpers';
import { MemberEvent, TransferredLot } from './events';
import { availablePoints, MemberState } from './state';

/** Manual corrections: positive ones are a new lot under the current expiry policy, negative ones consume available lots FIFO. */
export function adjustPoints(command: AdjustPoints, state: MemberState): MemberEvent[] {
  if (!Number.isSafeInteger(command.points) || command.points === 0)
    throw invalid('INVALID_ADJUSTMENT', 'points must be a non-zero integer');
  if (command.reason.trim() === '') throw invalid('INVALID_ADJUSTMENT', 'a reason is required');
  const data = {
    ...base(command),
    adjustmentId: command.adjustmentId,
    points: command.points,
    reason: command.reason,
    actor: command.actor,
    requestHash: command.requestHash,
  };
  if (command.points > 0) {
    const expiry = lotExpiry(command.program.policy, state.tier, command.occurredAt);
    return [{ type: 'PointsAdjusted', data: { ...data, lotId: `adjustment:${command.adjustmentId}`, ...expiry, lots: [] } }];
  }
  const lots = consume(state, -command.points);
  return [{ type: 'PointsAdjusted', data: { ...data, lotId: null, expiresAt: null, lots } }];
}

/**
 * The sender's side, consuming lots FIFO and carrying their expiries; the
 * transfer reactor then credits the receiver (idempotent by transferId), so a
 * crash between the two sides delays the credit but never loses it.
 */
export function transferPoints(command: TransferPoints, state: MemberState): MemberEvent[] {
  if (!Number.isSafeInteger(command.points) || command.points < 1) throw invalid('INVALID_TRANSFER', 'points must be a positive integer');
  if (command.toMemberId === command.memberId) throw invalid('INVALID_TRANSFER', 'a member cannot transfer points to itself');
  const consumed = consume(state, command.points);
  const expiryOf = new Map(state.lots.map((l) => [l.lotId, l.expiresAt]));
  const lots: TransferredLot[] = consumed.map((c) => ({ lotId: c.lotId, points: c.points, expiresAt: expiryOf.get(c.lotId) ?? null }));
  return [
    {
      type: 'PointsTransferredOut',
      data: {
        ...base(command),
        transferId: command.transferId,
        toMemberId: command.toMemberId,
        points: command.points,
        lots,
        requestHash: command.requestHash,
      },
    },
  ];
}

export function receiveTransfer(command: ReceiveTransfer): MemberEvent[] {
  const lots = command.lots.map((l, i) => ({ lotId: `transfer:${command.transferId}:${i}`, points: l.points, expiresAt: l.expiresAt }));
  return [
    {
      type: 'PointsTransferredIn',
      data: { ...base(command), transferId: command.transferId, fromMemberId: command.fromMemberId, points: command.points, lots },
    },
  ];
}

function consume(state: MemberState, points: number) {
  const available = availablePoints(state);
  const lots = available >= points ? planConsumption(state.lots, points) : undefined;
  if (!lots) {
    throw rejected('INSUFFICIENT_POINTS', `${points} points are more than the ${Math.max(available, 0)} available`, {
      requested: points,
      available: Math.max(available, 0),
    });
  }
  return lots;
}
