import { DataSource } from 'typeorm';
import { EventStore } from '@loyalty/event-store';
import { asOfWindow } from './fold/audit-fold';
import { foldLog, FoldLogOptions } from './fold/read-log';
import { LiabilityReport, liabilityReport } from './reports/liability';
import { foldReadModelFigures, startReadModelFigures } from './fold/read-model-figures';
import { readModelSnapshot } from './reports/read-model-snapshot';
import { ReconciliationReport, reconciliationReport } from './reports/reconciliation';
import { RollForwardReport, rollForwardReport } from './reports/roll-forward';
import { foldMembershipFigures, MembershipRevenueReport, membershipRevenueReport, startMembershipFigures } from './reports/memberships';

export interface AuditRunOptions extends FoldLogOptions {
  /** Read no further than this position: reproduces a report made when the log ended there. */
  readonly atPosition?: bigint;
  /** Include one row per member. */
  readonly byMember?: boolean;
}

/** Instants in reports are normalised to UTC with milliseconds, so a rerun prints them identically. */
const utc = (ms: number) => new Date(ms).toISOString();

export async function auditLiability(store: EventStore, asOfMs: number, options: AuditRunOptions = {}): Promise<LiabilityReport> {
  const fold = await foldLog(store, asOfWindow(asOfMs, options.atPosition ?? null), options);
  return liabilityReport(fold, utc(asOfMs), options);
}

export async function auditRollForward(
  store: EventStore,
  fromMs: number,
  toMs: number,
  options: AuditRunOptions = {},
): Promise<RollForwardReport> {
  if (!(fromMs < toMs)) throw new RangeError('a period needs from before to');
  const fold = await foldLog(store, { asOfMs: toMs, fromMs, untilPosition: options.atPosition ?? null }, options);
  return rollForwardReport(fold, utc(fromMs), utc(toMs), options);
}

export async function auditMemberships(store: EventStore, asOfMs: number, options: AuditRunOptions = {}): Promise<MembershipRevenueReport> {
  const figures = startMembershipFigures(asOfMs);
  const fold = await foldLog(store, asOfWindow(asOfMs, options.atPosition ?? null), options, (event) =>
    foldMembershipFigures(figures, event),
  );
  return membershipRevenueReport(fold, figures, utc(asOfMs));
}

/** The read models' checkpoint decides how far the log is read, so both sides describe the same events. */
export async function auditReconciliation(
  store: EventStore,
  readModels: DataSource,
  options: FoldLogOptions = {},
): Promise<ReconciliationReport> {
  const snapshot = await readModelSnapshot(readModels);
  const figures = startReadModelFigures();
  const fold = await foldLog(store, asOfWindow(Number.POSITIVE_INFINITY, snapshot.checkpoint ?? -1n), options, (event) =>
    foldReadModelFigures(figures, event),
  );
  return reconciliationReport(fold, figures, snapshot);
}
