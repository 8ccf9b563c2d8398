import { AuditFold } from '../fold/audit-fold';
import { exact } from './integers';

export const BASIS_POINTS = 10_000n;

export interface BreakageEstimate {
  /** Points issued in lots whose expiresAt <= asOf (accruals and positive adjustments). */
  readonly maturedIssuedPoints: number;
  /** Points that expired (every counted expiry is of a matured lot). */
  readonly maturedExpiredPoints: number;
  /** expired / issued over matured lots, in basis points, rounded down. */
  readonly rateBasisPoints: number;
  /** Outstanding points in lots that will still expire after asOf: what the rate applies to. */
  readonly expiringOutstandingPoints: number;
  /** Points in lots already past expiresAt that the expiry job has not yet taken: still redeemable, not estimated. */
  readonly awaitingExpiryPoints: number;
  readonly expectedBreakagePoints: number;
}

/**
 * Observed breakage applied to the points that can still expire. The ratio is
 * applied as one exact integer division (expired * base / issued, rounded
 * down), so the estimate is never inflated by rounding the rate first.
 * Never-expiring lots get no breakage: this method only observes expiry.
 */
export function estimateBreakage(fold: AuditFold, liabilityPoints: number): BreakageEstimate {
  let expiringOutstanding = 0;
  let awaitingExpiry = 0;
  for (const member of fold.members.values()) {
    for (const lot of member.lots.values()) {
      if (Number.isNaN(lot.expiresAtMs) || lot.remaining <= 0) continue;
      if (lot.expiresAtMs > fold.window.asOfMs) expiringOutstanding += lot.remaining;
      else awaitingExpiry += lot.remaining;
    }
  }
  const issued = BigInt(fold.maturedIssued);
  const expired = BigInt(fold.maturedExpired);
  const rateBasisPoints = issued > 0n ? Number((expired * BASIS_POINTS) / issued) : 0;
  const estimate = issued > 0n ? Number((expired * BigInt(expiringOutstanding)) / issued) : 0;
  // Debt can leave the liability below the lots' points; breakage never takes it under zero.
  const expectedBreakagePoints = Math.max(0, Math.min(estimate, liabilityPoints));
  return {
    maturedIssuedPoints: exact(fold.maturedIssued, 'matured issued points'),
    maturedExpiredPoints: exact(fold.maturedExpired, 'matured expired points'),
    rateBasisPoints,
    expiringOutstandingPoints: exact(expiringOutstanding, 'expiring outstanding points'),
    awaitingExpiryPoints: exact(awaitingExpiry, 'points awaiting expiry'),
    expectedBreakagePoints,
  };
}
