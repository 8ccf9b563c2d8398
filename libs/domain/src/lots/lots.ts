import type { InactivityRule } from '../expiry/expiry';
import { Instant, isAtOrBefore } from '../values/time';

export type LotStatus = 'pending' | 'active' | 'expired';

/** One issuance: points that become available, are consumed FIFO by expiry, and may expire. */
export interface Lot {
  readonly lotId: string;
  readonly points: number;
  readonly remaining: number;
  readonly status: LotStatus;
  readonly pendingUntil: Instant | null;
  readonly expiresAt: Instant | null;
  /** expiresAt in milliseconds, read once: a redemption orders every active lot by it. */
  readonly expiresAtMs: number | null;
  /** Issuance order breaks ties between equal expiries, so consumption is deterministic. */
  readonly sequence: number;
  /** When points were last put into the lot (issued, received, restored): an expiry is never dated before it. */
  readonly addedAt: Instant;
  /** Earned under an inactivity policy: expiresAt moves on with the member's activity. */
  readonly inactivity?: InactivityRule;
}

/** The instant an expiry of this lot is dated at: its expiresAt, or later if points were put back after it. */
export const expiryDate = (lot: Lot): Instant => (isAtOrBefore(lot.addedAt, lot.expiresAt!) ? lot.expiresAt! : lot.addedAt);

export interface LotConsumption {
  readonly lotId: string;
  readonly points: number;
}

export function availableInLots(lots: readonly Lot[]): number {
  return lots.reduce((sum, lot) => (lot.status === 'active' ? sum + lot.remaining : sum), 0);
}

export function pendingPoints(lots: readonly Lot[]): number {
  return lots.reduce((sum, lot) => (lot.status === 'pending' ? sum + lot.remaining : sum), 0);
}

/** Takes up to `points` from `lots` in the given order; returns what was taken and what is still owed. */
export function takeFrom(lots: readonly Lot[], points: number): { taken: LotConsumption[]; owed: number } {
  const taken: LotConsumption[] = [];
  let owed = points;
  for (const lot of lots) {
    if (owed === 0) break;
    if (lot.remaining <= 0) continue;
    const points = Math.min(owed, lot.remaining);
    taken.push({ lotId: lot.lotId, points });
    owed -= points;
  }
  return { taken, owed };
}

/** Soonest expiry first; never-expiring lots last; issuance order within equal expiry. */
export function activeLotsInConsumptionOrder(lots: readonly Lot[]): Lot[] {
  const active = lots.filter((l) => l.status === 'active' && l.remaining > 0);
  return active.sort((a, b) => {
    const expiryA = a.expiresAtMs ?? Number.POSITIVE_INFINITY;
    const expiryB = b.expiresAtMs ?? Number.POSITIVE_INFINITY;
    return expiryA === expiryB ? a.sequence - b.sequence : expiryA - expiryB;
  });
}

/** Which active lots pay for `points`, soonest expiry first; undefined when they cannot. */
export function planConsumption(lots: readonly Lot[], points: number): LotConsumption[] | undefined {
  const { taken, owed } = takeFrom(activeLotsInConsumptionOrder(lots), points);
  return owed === 0 ? taken : undefined;
}

/** The part of a lot that says when settlement has something to do with it: all a read model needs to keep. */
export type LotSchedule = Pick<Lot, 'status' | 'remaining' | 'pendingUntil' | 'expiresAt'>;

/** From when a lot is due for activation: its pendingUntil, while it is pending. */
export const activationDueAt = (lot: LotSchedule): Instant | null => (lot.status === 'pending' ? lot.pendingUntil : null);

/** From when a lot is due for expiry: its expiresAt, while points remain in it (restored ones too, which expire at the next run). */
export const expiryDueAt = (lot: LotSchedule): Instant | null => (lot.remaining > 0 ? lot.expiresAt : null);

const isDueAt = (dueAt: Instant | null, asOf: Instant): boolean => dueAt !== null && isAtOrBefore(dueAt, asOf);

export const isDueForActivation = (lot: LotSchedule, asOf: Instant): boolean => isDueAt(activationDueAt(lot), asOf);

export const isDueForExpiry = (lot: LotSchedule, asOf: Instant): boolean => isDueAt(expiryDueAt(lot), asOf);
