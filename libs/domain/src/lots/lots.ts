import { Instant, isAtOrBefore, toMillis } from '../shared/time';

/** One accrual: points that become available, are consumed FIFO by expiry, and may expire. */
export interface Lot {
  readonly lotId: string;
  readonly points: number;
  readonly remaining: number;
  readonly status: 'pending' | 'active' | 'expired';
  readonly pendingUntil: Instant | null;
  readonly expiresAt: Instant | null;
  /** Earning order breaks ties between equal expiries, so consumption is deterministic. */
  readonly sequence: number;
}

export interface LotConsumption {
  readonly lotId: string;
  readonly points: number;
}

export function availablePoints(lots: readonly Lot[]): number {
  return lots.reduce((sum, lot) => (lot.status === 'active' ? sum + lot.remaining : sum), 0);
}

export function pendingPoints(lots: readonly Lot[]): number {
  return lots.reduce((sum, lot) => (lot.status === 'pending' ? sum + lot.remaining : sum), 0);
}

/** Soonest expiry first; never-expiring lots last; earning order within equal expiry. */
export function byConsumptionOrder(a: Lot, b: Lot): number {
  const expiryA = a.expiresAt === null ? Number.POSITIVE_INFINITY : toMillis(a.expiresAt);
  const expiryB = b.expiresAt === null ? Number.POSITIVE_INFINITY : toMillis(b.expiresAt);
  return expiryA === expiryB ? a.sequence - b.sequence : expiryA - expiryB;
}

/** Which active lots pay for `points`, oldest expiry first; undefined when they cannot. */
export function planConsumption(lots: readonly Lot[], points: number): LotConsumption[] | undefined {
  const plan: LotConsumption[] = [];
  let owed = points;
  for (const lot of lots.filter((l) => l.status === 'active' && l.remaining > 0).sort(byConsumptionOrder)) {
    if (owed === 0) break;
    const taken = Math.min(owed, lot.remaining);
    plan.push({ lotId: lot.lotId, points: taken });
    owed -= taken;
  }
  return owed === 0 ? plan : undefined;
}

export function consumeLots(lots: readonly Lot[], consumed: readonly LotConsumption[]): Lot[] {
  const byLot = new Map(consumed.map((c) => [c.lotId, c.points]));
  return lots.map((lot) => {
    const taken = byLot.get(lot.lotId);
    return taken === undefined ? lot : { ...lot, remaining: lot.remaining - taken };
  });
}

export function isDueForActivation(lot: Lot, asOf: Instant): boolean {
  return lot.status === 'pending' && lot.pendingUntil !== null && isAtOrBefore(lot.pendingUntil, asOf);
}

export function isDueForExpiry(lot: Lot, asOf: Instant): boolean {
  return lot.status !== 'expired' && lot.remaining > 0 && lot.expiresAt !== null && isAtOrBefore(lot.expiresAt, asOf);
}
