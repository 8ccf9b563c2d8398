import { MemberEvent } from '@loyalty/domain';
import { addMovement, Movements, noMovements } from './movements';

/**
 * A lot the fold still has to follow: points remain, or it is still pending.
 * Exhausted lots are dropped, so memory follows live lots per member, not the
 * member's history.
 */
export interface OpenLot {
  remaining: number;
  pending: boolean;
  /** NaN: never expires, or unknown (a lot re-opened by a reversal after the fold dropped it). */
  expiresAtMs: number;
}

/** One member's balance at the fold's instant, and its movements on either side of the period start. */
export interface MemberPosition {
  readonly memberId: string;
  /** Remaining points of active lots, before debt is deducted. */
  activeLotPoints: number;
  pending: number;
  debt: number;
  readonly lots: Map<string, OpenLot>;
  /** Events dated at or before the period start (`from`); empty for a plain as-of fold. */
  readonly opening: Movements;
  /** Events dated after `from` and at or before `asOf`. */
  readonly period: Movements;
}

export const newMemberPosition = (memberId: string): MemberPosition => ({
  memberId,
  activeLotPoints: 0,
  pending: 0,
  debt: 0,
  lots: new Map(),
  opening: noMovements(),
  period: noMovements(),
});

/** Available as the ledger states it: negative only by recorded debt. */
export const availableOf = (p: MemberPosition) => p.activeLotPoints - p.debt;

/** Program-wide figures that need the lot an event touches, collected while folding. */
export interface LotObserver {
  /** A lot that was issued (accrual or positive adjustment), with its expiry. */
  issued(points: number, expiresAtMs: number, source: string): void;
  expired(points: number): void;
}

/**
 * Event types applyMemberEvent leaves positions and movements untouched by:
 * the fold reads only their member (which opens a position) and their
 * instant (which decides whether they count). Nor are they coupon events.
 */
export const MEMBER_AND_INSTANT_ONLY_TYPES = [
  'MemberEnrolled',
  'PurchaseRecorded',
  'PurchaseRefunded',
  'ReferralQualified',
  'ActionRecorded',
  'TierChanged',
] as const satisfies readonly MemberEvent['type'][];

/**
 * Applies one member event, in the member's stream order, to the position,
 * in place. Kept apart from the domain's lot effects on purpose: it is the
 * audit's own computation of the figures (docs/audit.md, "What the fold
 * keeps"), and member-position.spec.ts holds the two to the same answer.
 */
export function applyMemberEvent(p: MemberPosition, event: MemberEvent, m: Movements, observer: LotObserver): void {
  addMovement(m, event);
  switch (event.type) {
    case 'PointsAccrued': {
      const d = event.data;
      const expiresAtMs = d.expiresAt === null ? Number.NaN : Date.parse(d.expiresAt);
      openLot(p, d.lotId, d.points, d.pendingUntil !== null, expiresAtMs);
      observer.issued(d.points, expiresAtMs, d.source);
      return;
    }
    case 'PointsActivated': {
      const lot = p.lots.get(event.data.lotId);
      // The accrual is always dated at or before its activation, so an unknown lot here means nothing pending to move.
      if (!lot || !lot.pending) return;
      lot.pending = false;
      p.pending -= lot.remaining;
      p.activeLotPoints += lot.remaining;
      closeIfExhausted(p, event.data.lotId, lot);
      return;
    }
    case 'PointsExpired':
      consume(p, [event.data], -1);
      // An expired lot leaves pending too (the domain marks it expired), so nothing stays open for it.
      if (p.lots.get(event.data.lotId)?.remaining === 0) p.lots.delete(event.data.lotId);
      observer.expired(event.data.points);
      return;
    case 'PointsRedeemed':
      consume(p, event.data.lots, -1);
      return;
    case 'RedemptionReversed':
      consume(p, event.data.lots, 1);
      return;
    case 'PointsClawedBack':
      consume(p, event.data.lots, -1);
      p.debt += event.data.debtIncurred;
      return;
    case 'DebtRepaid':
      // Lots pay the debt off: available (lots minus debt) and every movement stay as they were.
      consume(p, event.data.lots, -1);
      p.debt -= event.data.points;
      return;
    case 'PointsAdjusted': {
      const d = event.data;
      if (d.lotId !== null) {
        const expiresAtMs = d.expiresAt === null ? Number.NaN : Date.parse(d.expiresAt);
        openLot(p, d.lotId, d.points, false, expiresAtMs);
        observer.issued(d.points, expiresAtMs, 'adjustment');
      } else {
        consume(p, d.lots, -1);
      }
      return;
    }
    case 'PointsTransferredOut':
      consume(p, event.data.lots, -1);
      return;
    case 'PointsTransferredIn':
      for (const lot of event.data.lots)
        openLot(p, lot.lotId, lot.points, false, lot.expiresAt === null ? Number.NaN : Date.parse(lot.expiresAt));
      return;
    case 'MemberEnrolled':
    case 'PurchaseRecorded':
    case 'PurchaseRefunded':
    case 'ReferralQualified':
    case 'ActionRecorded':
    case 'TierChanged':
      return;
  }
}

function openLot(p: MemberPosition, lotId: string, points: number, pending: boolean, expiresAtMs: number): void {
  p.lots.set(lotId, { remaining: points, pending, expiresAtMs });
  if (pending) p.pending += points;
  else p.activeLotPoints += points;
}

/**
 * Takes points from (sign -1) or gives them back to (sign +1) the named lots.
 * A lot the fold does not know is active: it is either one dropped when
 * exhausted (a reversal gives points back to it) or one whose accrual is dated
 * after the instant while a consumption of it is not (a backdated replay).
 */
function consume(p: MemberPosition, changes: readonly { lotId: string; points: number }[], sign: 1 | -1): void {
  for (const change of changes) {
    const delta = sign * change.points;
    let lot = p.lots.get(change.lotId);
    if (!lot && sign === 1) {
      lot = { remaining: 0, pending: false, expiresAtMs: Number.NaN };
      p.lots.set(change.lotId, lot);
    }
    if (lot) {
      lot.remaining += delta;
      if (lot.pending) p.pending += delta;
      else p.activeLotPoints += delta;
      closeIfExhausted(p, change.lotId, lot);
    } else {
      p.activeLotPoints += delta;
    }
  }
}

function closeIfExhausted(p: MemberPosition, lotId: string, lot: OpenLot): void {
  if (lot.remaining === 0 && !lot.pending) p.lots.delete(lotId);
}
