import { availableInLots, pendingPoints } from '../lots/lots';
import { LotBook } from '../lots/lot-effects';

export class LedgerInvariantViolation extends Error {
  constructor(message: string) {
    super(`ledger invariant violated: ${message}`);
    this.name = 'LedgerInvariantViolation';
  }
}

/**
 * DESIGN.md invariants 1 and 2, asserted where they could break: before the
 * events are appended, on the book (lots, debt, movements) the events would leave.
 *   issued - redeemed - expired - clawedBack + adjusted + in - out = available + pending
 * and no lot below zero, and available negative only by recorded debt.
 */
export function assertLedgerInvariants(after: LotBook): void {
  const problems = ledgerProblems(after);
  if (problems.length > 0) throw new LedgerInvariantViolation(problems.join('; '));
}

export function ledgerProblems(state: LotBook): string[] {
  const problems: string[] = [];
  const m = state.movements;
  const net = m.issued - m.redeemed - m.expired - m.clawedBack + m.adjusted + m.transferredIn - m.transferredOut;
  const held = availableInLots(state.lots) - state.debt + pendingPoints(state.lots);
  if (net !== held) problems.push(`movements net ${net} but available + pending is ${held}`);
  const negativeLot = state.lots.find((l) => l.remaining < 0 || l.remaining > l.points);
  if (negativeLot) problems.push(`lot ${negativeLot.lotId} has ${negativeLot.remaining} of ${negativeLot.points}`);
  if (state.debt < 0) problems.push(`debt is negative: ${state.debt}`);
  if (new Set(state.lots.map((l) => l.lotId)).size !== state.lots.length) problems.push('a lot id was issued twice');
  if (state.debt > 0 && availableInLots(state.lots) > 0) problems.push('debt outstanding while points are available');
  return problems;
}
