import { AuditFold, assertFoldBalances, sortedMembers } from '../fold/audit-fold';
import { availableOf } from '../fold/member-position';
import { pointsToMinor, valuationAt } from '../valuation/program-versions';
import { BreakageEstimate, estimateBreakage } from './breakage';
import { CouponLiability, couponLiability } from './coupons';
import { exact, MinorAmount, minorOf, positionOf } from './integers';

export interface MemberLiability {
  readonly memberId: string;
  readonly available: number;
  readonly pending: number;
  readonly debt: number;
  readonly liabilityPoints: number;
  readonly liabilityMinor: MinorAmount;
}

export interface LiabilityReport {
  readonly asOf: string;
  /** Sum of available balances as the ledger states them (active lots minus debt): equals the read models' sum. */
  readonly outstandingPoints: number;
  readonly pendingPoints: number;
  readonly debtPoints: number;
  /** outstanding + pending: what is valued. */
  readonly liabilityPoints: number;
  readonly pointValueMinor: number;
  readonly currency: string | null;
  readonly programVersion: number | null;
  readonly programConfiguredAt: string | null;
  readonly liabilityMinor: MinorAmount;
  /** Active coupons' value as of asOf, by the valuation rule of docs/audit.md; not part of liabilityMinor, which is points only. */
  readonly couponLiabilityMinor: number;
  readonly coupons: CouponLiability;
  /** liabilityMinor + couponLiabilityMinor: what the program owes its members in money. */
  readonly totalLiabilityMinor: MinorAmount;
  /** Debt larger than the member's own points: it lowers liabilityPoints, though it can never be set off against other members. */
  readonly unrecoveredDebtPoints: number;
  readonly breakage: BreakageEstimate;
  readonly liabilityNetOfBreakagePoints: number;
  readonly liabilityNetOfBreakageMinor: MinorAmount;
  readonly members: number;
  readonly eventsRead: number;
  readonly eventsCounted: number;
  readonly lastPosition: string | null;
  readonly balances?: readonly MemberLiability[];
}

/**
 * Liability at asOf, valued at the point value of the program version in
 * force at asOf. Pending points are included: they are owed unless the
 * purchase is refunded, which the roll-forward then shows as a clawback.
 */
export function liabilityReport(fold: AuditFold, asOf: string, options: { byMember?: boolean } = {}): LiabilityReport {
  assertFoldBalances(fold);
  const valuation = valuationAt(fold.programVersions, fold.window.asOfMs);
  const value = valuation.pointValueMinor;
  let outstanding = 0;
  let pending = 0;
  let debt = 0;
  let unrecoveredDebt = 0;
  const members = sortedMembers(fold);
  const balances: MemberLiability[] = [];
  for (const m of members) {
    const available = availableOf(m);
    outstanding += available;
    pending += m.pending;
    debt += m.debt;
    const held = available + m.pending;
    if (held < 0) unrecoveredDebt -= held;
    if (options.byMember) {
      balances.push({
        memberId: m.memberId,
        available,
        pending: m.pending,
        debt: m.debt,
        liabilityPoints: held,
        liabilityMinor: minorOf(pointsToMinor(held, value)),
      });
    }
  }
  const liabilityPoints = exact(outstanding + pending, 'liability points');
  const breakage = estimateBreakage(fold, liabilityPoints);
  const netOfBreakage = liabilityPoints - breakage.expectedBreakagePoints;
  const coupons = couponLiability(fold);
  const liabilityMinor = pointsToMinor(liabilityPoints, value);
  return {
    asOf,
    outstandingPoints: exact(outstanding, 'outstanding points'),
    pendingPoints: exact(pending, 'pending points'),
    debtPoints: exact(debt, 'debt points'),
    liabilityPoints,
    pointValueMinor: value,
    currency: valuation.currency,
    programVersion: valuation.programVersion,
    programConfiguredAt: valuation.configuredAt,
    liabilityMinor: minorOf(liabilityMinor),
    couponLiabilityMinor: coupons.liabilityMinor,
    coupons,
    totalLiabilityMinor: minorOf(liabilityMinor + BigInt(coupons.liabilityMinor)),
    unrecoveredDebtPoints: exact(unrecoveredDebt, 'unrecovered debt points'),
    breakage,
    liabilityNetOfBreakagePoints: netOfBreakage,
    liabilityNetOfBreakageMinor: minorOf(pointsToMinor(netOfBreakage, value)),
    members: members.length,
    eventsRead: fold.eventsRead,
    eventsCounted: fold.eventsCounted,
    lastPosition: positionOf(fold.lastPosition),
    ...(options.byMember ? { balances } : {}),
  };
}
