import { enrol, historyOf, purchase, settle } from '../../../domain/src/testing/member-commands';
import { programInForce, T0 } from '../../../domain/src/testing/fixtures';
import { memberEntry, memoryStore, programEntry, recordedLog } from '../testing/log';
import { auditLiability, auditRollForward } from '../audit';
import { reportToCsv } from '../export/csv';
import { liabilityReport } from './liability';
import { ReadModelBalance, reconciliationReport } from './reconciliation';
import { noStoredTables } from '../testing/read-models';
import { startReadModelFigures } from '../fold/read-model-figures';
import { asOfWindow, foldEvent, startFold } from '../fold/audit-fold';

const at = (days: number) => new Date(Date.parse(T0) + days * 86_400_000).toISOString();
const ms = Date.parse;

describe('audit reports', () => {
  // Point value 1 minor unit from T0, 3 from day 50 (version 2).
  const history = [
    ...historyOf(enrol({ memberId: 'm1' }), purchase({ memberId: 'm1', transactionId: 't1', amountMinor: 20_000, occurredAt: at(10) })),
    ...historyOf(enrol({ memberId: 'm2', occurredAt: at(20) })),
  ];
  const store = memoryStore(
    recordedLog([
      programEntry(1, T0, { pointValueMinor: 1, currency: 'EUR' }),
      ...history.map(memberEntry),
      programEntry(2, at(50), { pointValueMinor: 3, currency: 'EUR' }),
    ]),
  );

  it('values outstanding points at the program version in force at asOf', async () => {
    const before = await auditLiability(store, ms(at(40)));
    expect(before).toMatchObject({
      outstandingPoints: 400,
      pendingPoints: 0,
      pointValueMinor: 1,
      programVersion: 1,
      liabilityMinor: 400,
      members: 2,
    });
    const after = await auditLiability(store, ms(at(50)));
    expect(after).toMatchObject({
      outstandingPoints: 400,
      pointValueMinor: 3,
      programVersion: 2,
      liabilityMinor: 1200,
      eventsRead: 8,
      lastPosition: '8',
    });
  });

  it('rolls a period forward at the closing point value and shows the revaluation of the opening', async () => {
    const report = await auditRollForward(store, ms(at(15)), ms(at(60)));
    expect(report.points).toMatchObject({ opening: 300, issued: 100, closing: 400 });
    expect(report.minor).toMatchObject({ opening: 900, issued: 300, closing: 1200 });
    expect(report.revaluation).toEqual({ openingPointValueMinor: 1, openingAtOpeningValueMinor: 300, revaluationMinor: 600 });
    expect(report.issuedBySource).toEqual({ purchases: 0, welcome: 100, birthday: 0, referral: 0, actions: 0, offers: 0, bonuses: 100 });
  });

  it('reproduces a report at a position while the log grows', async () => {
    const full = await auditLiability(store, ms(at(60)), { atPosition: 5n });
    expect(full).toMatchObject({ eventsRead: 5, lastPosition: '5', members: 1, outstandingPoints: 300 });
  });

  it('estimates breakage from matured lots and nets it off the liability', () => {
    const program = programInForce({ expiryMonths: 1 });
    const events = historyOf(
      enrol({ program }), // 100, expires day 31
      purchase({ transactionId: 't1', amountMinor: 30_000, occurredAt: at(1), program }), // 300, expires day 32
      purchase({ transactionId: 't2', amountMinor: 20_000, occurredAt: at(40), program }), // 200, expires day 71
      settle(at(45), { program }),
    );
    const fold = startFold(asOfWindow(ms(at(50))));
    for (const e of recordedLog([programEntry(1, T0, { pointValueMinor: 2, currency: 'EUR' }), ...events.map(memberEntry)]))
      foldEvent(fold, e);
    const report = liabilityReport(fold, at(50));
    expect(report.breakage).toEqual({
      maturedIssuedPoints: 400,
      maturedExpiredPoints: 400,
      rateBasisPoints: 10_000,
      expiringOutstandingPoints: 200,
      awaitingExpiryPoints: 0,
      expectedBreakagePoints: 200,
    });
    expect(report).toMatchObject({ liabilityMinor: 400, liabilityNetOfBreakagePoints: 0, liabilityNetOfBreakageMinor: 0 });
  });

  it('writes byte-identical CSV for the same log, members sorted', async () => {
    const first = reportToCsv(await auditLiability(store, ms(at(60)), { byMember: true }));
    const second = reportToCsv(await auditLiability(store, ms(at(60)), { byMember: true }));
    expect(first).toBe(second);
    const lines = first.trim().split('\n');
    expect(lines[0]).toBe('memberId,metric,value');
    expect(lines).toContain(',asOf,2026-03-11T09:00:00.000Z');
    expect(lines).toContain(',lastPosition,8');
    expect(lines).toContain(',breakage.rateBasisPoints,0');
    expect(
      lines.filter((l) => l.endsWith(',balances.available,100') || l.endsWith(',balances.available,300')).map((l) => l.split(',')[0]),
    ).toEqual(['m1', 'm2']);
  });

  it('reports members and fields that differ from the read model', () => {
    const fold = startFold(asOfWindow(Number.POSITIVE_INFINITY));
    for (const e of recordedLog(history.map(memberEntry))) foldEvent(fold, e);
    const row = (memberId: string, available: number, issued: number) => ({
      memberId,
      available,
      pending: 0,
      debt: 0,
      issued,
      redeemed: 0,
      expired: 0,
      clawedBack: 0,
      adjusted: 0,
      transferredIn: 0,
      transferredOut: 0,
    });
    const snapshot = (balances: ReadModelBalance[]) => ({ checkpoint: 6n, balances, tables: noStoredTables() });
    const healthy = reconciliationReport(fold, startReadModelFigures(), snapshot([row('m2', 100, 100), row('m1', 300, 300)]));
    expect(healthy).toMatchObject({ differences: [], checkpoint: '6', readModels: { balances: { healthy: true, differences: [] } } });
    const broken = reconciliationReport(fold, startReadModelFigures(), snapshot([row('m1', 299, 300), row('ghost', 5, 5)]));
    expect(broken.readModels.balances).toMatchObject({ healthy: false, differences: broken.differences });
    expect(broken.differences).toEqual([
      { memberId: 'm1', field: 'available', eventLog: 300, readModel: 299 },
      { memberId: 'm2', field: 'member', eventLog: 1, readModel: null },
      { memberId: 'ghost', field: 'member', eventLog: null, readModel: 1 },
    ]);
  });
});
