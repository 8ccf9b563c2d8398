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

/** What the movements leave in the member's hands: DESIGN.md invariant 2 read from left to right. */
export const netOf = (m: Movements): number =>
  m.issued - m.redeemed - m.expired - m.clawedBack + m.adjusted + m.transferredIn - m.transferredOut;

export function addMovements(into: Movements, from: Movements): void {
  for (const key of MOVEMENT_KEYS) into[key] += from[key];
}
