import { Lot } from '../lots/lots';
import { LotBook } from '../lots/lot-effects';

export class LedgerInvariantViolation extends Error {
  constructor(message: string) {
    super(`ledger invariant violated: ${message}`);
    this.name = 'LedgerInvariantViolation';
  }
}

/**
 * Invariants 1 and 2 (docs/invariants.md), asserted where they could break: before the
 * events are appended, on the book (lots, debt, movements) the events would leave.
 *   issued - redeemed - expired - clawedBack + adjusted + in - out = available + pending
 * and no lot below zero, and available negative only by recorded debt.
 * `checkedLots`: the first lots of the book, whose ids a decision before this
 * one already found distinct; only the lots after them need a look.
 */
export function assertLedgerInvariants(after: LotBook, checkedLots = 0): void {
  const problems = ledgerProblems(after, checkedLots);
  if (problems.length > 0) throw new LedgerInvariantViolation(problems.join('; '));
}

export function ledgerProblems(state: LotBook, checkedLots = 0): string[] {
  const problems: string[] = [];
  const m = state.movements;
  const net = m.issued - m.redeemed - m.expired - m.clawedBack + m.adjusted + m.transferredIn - m.transferredOut;
  const { available, pending, outOfBounds } = lotTotals(state.lots);
  const held = available - state.debt + pending;
  if (net !== held) problems.push(`movements net ${net} but available + pending is ${held}`);
  if (outOfBounds) problems.push(`lot ${outOfBounds.lotId} has ${outOfBounds.remaining} of ${outOfBounds.points}`);
  if (state.debt < 0) problems.push(`debt is negative: ${state.debt}`);
  if (lotIssuedTwice(state.lots, checkedLots)) problems.push('a lot id was issued twice');
  if (state.debt > 0 && available > 0) problems.push('debt outstanding while points are available');
  return problems;
}

/** One pass over the lots: a member's lots grow with its history, and every decision checks them. */
function lotTotals(lots: readonly Lot[]): { available: number; pending: number; outOfBounds: Lot | undefined } {
  let available = 0;
  let pending = 0;
  let outOfBounds: Lot | undefined;
  for (const lot of lots) {
    if (lot.status === 'active') available += lot.remaining;
    else if (lot.status === 'pending') pending += lot.remaining;
    if (outOfBounds === undefined && (lot.remaining < 0 || lot.remaining > lot.points)) outOfBounds = lot;
  }
  return { available, pending, outOfBounds };
}

function lotIssuedTwice(lots: readonly Lot[], checkedLots: number): boolean {
  const fresh = new Set<string>();
  for (let i = checkedLots; i < lots.length; i++) fresh.add(lots[i]!.lotId);
  if (fresh.size !== lots.length - checkedLots) return true;
  if (fresh.size === 0) return false;
  for (let i = 0; i < checkedLots; i++) if (fresh.has(lots[i]!.lotId)) return true;
  return false;
}
