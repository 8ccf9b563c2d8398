import { READ_MODEL_SCHEMA } from '@loyalty/read-models';
import { AuditFold, assertFoldBalances, sortedMembers } from '../fold/audit-fold';
import { availableOf, MemberPosition } from '../fold/member-position';
import { ReadModelFigures } from '../fold/read-model-figures';
import { exact, MinorAmount, minorOf, positionOf } from './integers';
import { Figures, READ_MODEL_TABLE_NAMES, READ_MODEL_TABLES, ReadModelTable, ReadModelTableName, StoredFigures } from './read-model-tables';
import type { ReadModelSnapshot } from './read-model-snapshot';

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

/** A row of a read model whose figure differs from the log's; `field: 'row'` when the row is missing on one side (null). */
export interface RowDifference {
  /** The row as the table keys it: a day, a member id, `memberId/transactionId`, `experimentId/variant`, an offer id, a position. */
  readonly key: string;
  readonly field: string;
  readonly eventLog: MinorAmount | null;
  readonly readModel: MinorAmount | null;
}

export interface TableReconciliation<Difference = RowDifference> {
  readonly table: string;
  readonly healthy: boolean;
  /** Rows compared on each side, after grouping where the table is finer than the log side. */
  readonly rows: { readonly eventLog: number; readonly readModel: number };
  readonly totals?: { readonly eventLog: Record<string, MinorAmount>; readonly readModel: Record<string, MinorAmount> };
  readonly differences: readonly Difference[];
}

export type ReadModelsReconciliation = { readonly balances: TableReconciliation<MemberDifference> } & Record<
  ReadModelTableName,
  TableReconciliation
>;

export interface ReconciliationReport {
  /** Both sides are taken at the projector's checkpoint: the log up to it, the rows as of it. */
  readonly checkpoint: string | null;
  /** Every read model reconciles: member balances and every table in `readModels`. */
  readonly healthy: boolean;
  /** The member balances' totals and differences on each side, as clients have read them; also `readModels.balances`. */
  readonly eventLog: MemberFigures & { readonly members: number };
  readonly readModel: MemberFigures & { readonly members: number };
  readonly differences: readonly MemberDifference[];
  readonly readModels: ReadModelsReconciliation;
  readonly eventsRead: number;
  readonly lastPosition: string | null;
}

/**
 * Event log against read models, member by member and in total, then every
 * other read model that carries money or points, row by row. The folds must
 * be unbounded in time and bounded by the checkpoint position, because the
 * projector applies events by position and knows nothing of as-of.
 */
export function reconciliationReport(fold: AuditFold, figures: ReadModelFigures, snapshot: ReadModelSnapshot): ReconciliationReport {
  assertFoldBalances(fold);
  const balances = reconcileBalances(fold, snapshot.balances);
  const tables = Object.fromEntries(
    READ_MODEL_TABLE_NAMES.map((name) => {
      const table: ReadModelTable = READ_MODEL_TABLES[name];
      return [name, reconcileTable(table, table.eventLog(fold, figures), snapshot.tables[name])];
    }),
  ) as Record<ReadModelTableName, TableReconciliation>;
  const readModels: ReadModelsReconciliation = {
    balances: {
      table: `${READ_MODEL_SCHEMA}.member_balances`,
      healthy: balances.differences.length === 0,
      rows: { eventLog: balances.eventLog.members, readModel: balances.readModel.members },
      differences: balances.differences,
    },
    ...tables,
  };
  return {
    checkpoint: positionOf(snapshot.checkpoint),
    healthy: Object.values(readModels).every((section: TableReconciliation<unknown>) => section.healthy),
    ...balances,
    readModels,
    eventsRead: fold.eventsRead,
    lastPosition: positionOf(fold.lastPosition),
  };
}

function reconcileBalances(fold: AuditFold, rows: readonly ReadModelBalance[]) {
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
    eventLog: { ...eventLogTotals, members: fold.members.size },
    readModel: { ...readModelTotals, members: rows.length },
    differences,
  };
}

/** Row by row over the keys of both sides, in key order; the log's sums are checked exact before they are compared. */
function reconcileTable(
  table: ReadModelTable,
  fromLog: ReadonlyMap<string, Figures>,
  fromReadModel: ReadonlyMap<string, StoredFigures>,
): TableReconciliation {
  const differences: RowDifference[] = [];
  const logTotals = new Map(table.fields.map((f) => [f, 0n]));
  const readModelTotals = new Map(table.fields.map((f) => [f, 0n]));
  const keys = [...new Set([...fromLog.keys(), ...fromReadModel.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const key of keys) {
    const logRow = fromLog.get(key);
    const readRow = fromReadModel.get(key);
    const rowMissing = table.absent === 'row' && (!logRow || !readRow);
    if (rowMissing) differences.push({ key, field: 'row', eventLog: logRow ? 1 : null, readModel: readRow ? 1 : null });
    for (const field of table.fields) {
      const logged = BigInt(exact(logRow?.[field] ?? 0, `${table.table} ${key} ${field}`));
      const stored = readRow?.[field] ?? 0n;
      logTotals.set(field, logTotals.get(field)! + logged);
      readModelTotals.set(field, readModelTotals.get(field)! + stored);
      if (!rowMissing && logged !== stored) differences.push({ key, field, eventLog: minorOf(logged), readModel: minorOf(stored) });
    }
  }
  const totalsOf = (sums: Map<string, bigint>) => Object.fromEntries([...sums].map(([f, v]) => [f, minorOf(v)]));
  return {
    table: table.table,
    healthy: differences.length === 0,
    rows: { eventLog: fromLog.size, readModel: fromReadModel.size },
    ...(table.totals ? { totals: { eventLog: totalsOf(logTotals), readModel: totalsOf(readModelTotals) } } : {}),
    differences,
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
