import { AuditFold, assertFoldBalances, sortedMembers } from '../fold/audit-fold';
import { availableOf, MemberPosition } from '../fold/member-position';
import { exact, positionOf } from './integers';

/** The figures both sides hold per member; the read model names them in `member_balances`. */
export const RECONCILED_FIELDS = [
  'available',
  'pending',
  'debt',
  'issued',
  'redeemed',
  'expired',
  'clawedBack',
  'adjusted',
  'transferredIn',
  'transferredOut',
] as const;
export type ReconciledField = (typeof RECONCILED_FIELDS)[number];
export type MemberFigures = Record<ReconciledField, number>;

export interface ReadModelBalance extends MemberFigures {
  readonly memberId: string;
}

export interface MemberDifference {
  readonly memberId: string;
  readonly field: ReconciledField | 'member';
  /** null: the member is missing on that side. */
  readonly eventLog: number | null;
  readonly readModel: number | null;
}

export interface ReconciliationReport {
  /** Both sides are taken at the projector's checkpoint: the log up to it, the rows as of it. */
  readonly checkpoint: string | null;
  readonly healthy: boolean;
  readonly eventLog: MemberFigures & { readonly members: number };
  readonly readModel: MemberFigures & { readonly members: number };
  readonly differences: readonly MemberDifference[];
  readonly eventsRead: number;
  readonly lastPosition: string | null;
}

/**
 * Event log against read models, member by member and in total. The fold
 * must be unbounded in time and bounded by the checkpoint position, because
 * the projector applies events by position and knows nothing of as-of.
 */
export function reconciliationReport(fold: AuditFold, checkpoint: bigint | null, rows: readonly ReadModelBalance[]): ReconciliationReport {
  assertFoldBalances(fold);
  const readModelById = new Map(rows.map((r) => [r.memberId, r]));
  const eventLogTotals = zero();
  const readModelTotals = zero();
  const differences: MemberDifference[] = [];
  const seen = new Set<string>();
  for (const member of sortedMembers(fold)) {
    seen.add(member.memberId);
    const fromLog = figuresOf(member);
    addInto(eventLogTotals, fromLog);
    const fromReadModel = readModelById.get(member.memberId);
    if (!fromReadModel) {
      differences.push({ memberId: member.memberId, field: 'member', eventLog: 1, readModel: null });
      continue;
    }
    for (const field of RECONCILED_FIELDS) {
      if (fromLog[field] !== fromReadModel[field])
        differences.push({ memberId: member.memberId, field, eventLog: fromLog[field], readModel: fromReadModel[field] });
    }
  }
  for (const row of [...rows].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0))) {
    addInto(readModelTotals, row);
    if (!seen.has(row.memberId)) differences.push({ memberId: row.memberId, field: 'member', eventLog: null, readModel: 1 });
  }
  for (const field of RECONCILED_FIELDS) {
    exact(eventLogTotals[field], `event log ${field}`);
    exact(readModelTotals[field], `read model ${field}`);
  }
  return {
    checkpoint: positionOf(checkpoint),
    healthy: differences.length === 0,
    eventLog: { ...eventLogTotals, members: fold.members.size },
    readModel: { ...readModelTotals, members: rows.length },
    differences,
    eventsRead: fold.eventsRead,
    lastPosition: positionOf(fold.lastPosition),
  };
}

function figuresOf(m: MemberPosition): MemberFigures {
  // A reconciliation fold has no period start, so every movement is in `period`; opening is added for safety.
  const total = (k: keyof MemberPosition['period']) => m.opening[k] + m.period[k];
  return {
    available: availableOf(m),
    pending: m.pending,
    debt: m.debt,
    issued: total('issued'),
    redeemed: total('redeemed'),
    expired: total('expired'),
    clawedBack: total('clawedBack'),
    adjusted: total('adjusted'),
    transferredIn: total('transferredIn'),
    transferredOut: total('transferredOut'),
  };
}

const zero = (): MemberFigures => Object.fromEntries(RECONCILED_FIELDS.map((f) => [f, 0])) as MemberFigures;

function addInto(into: MemberFigures, from: MemberFigures): void {
  for (const field of RECONCILED_FIELDS) into[field] += from[field];
}
