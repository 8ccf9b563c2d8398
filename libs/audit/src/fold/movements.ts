import { MemberEvent } from '@loyalty/domain';

/** Signed movement totals of one member (or the program) over one stretch of event time. */
export interface Movements {
  issued: number;
  redeemed: number;
  expired: number;
  clawedBack: number;
  adjusted: number;
  transferredIn: number;
  transferredOut: number;
}

export const MOVEMENT_KEYS = ['issued', 'redeemed', 'expired', 'clawedBack', 'adjusted', 'transferredIn', 'transferredOut'] as const;

export const noMovements = (): Movements => ({
  issued: 0,
  redeemed: 0,
  expired: 0,
  clawedBack: 0,
  adjusted: 0,
  transferredIn: 0,
  transferredOut: 0,
});

/** What the movements leave in the member's hands: invariant 2 (docs/invariants.md) read from left to right. */
export const netOf = (m: Movements): number =>
  m.issued - m.redeemed - m.expired - m.clawedBack + m.adjusted + m.transferredIn - m.transferredOut;

export function addMovements(into: Movements, from: Movements): void {
  for (const key of MOVEMENT_KEYS) into[key] += from[key];
}

/**
 * The one movement an event records, added to `m`: the audit's definition of
 * each line, shared by the member positions and every figure reconciled per
 * day or per variant. A reversal is negative redemption, adjustments are
 * signed, debt repayment and activation move nothing.
 */
export function addMovement(m: Movements, event: MemberEvent): void {
  switch (event.type) {
    case 'PointsAccrued':
      m.issued += event.data.points;
      return;
    case 'PointsExpired':
      m.expired += event.data.points;
      return;
    case 'PointsRedeemed':
      m.redeemed += event.data.points;
      return;
    case 'RedemptionReversed':
      m.redeemed -= event.data.points;
      return;
    case 'PointsClawedBack':
      m.clawedBack += event.data.points;
      return;
    case 'PointsAdjusted':
      m.adjusted += event.data.points;
      return;
    case 'PointsTransferredOut':
      m.transferredOut += event.data.points;
      return;
    case 'PointsTransferredIn':
      m.transferredIn += event.data.points;
      return;
    default:
      return;
  }
}
