import { decideProgram, MemberEvent, ProgramConfigured } from '@loyalty/domain';
import {
  adjust,
  enrol,
  erase,
  historyOf,
  purchase,
  receive,
  redeem,
  refund,
  reverse,
  settle,
  transfer,
  action,
} from '../../../libs/domain/src/testing/member-commands';
import { policy, programInForce, T0 } from '../../../libs/domain/src/testing/fixtures';

/**
 * Histories written by the real decider, covering as many event types as the
 * domain can produce from commands, so the contract is checked against what
 * the ledger really writes rather than against hand-made samples.
 */
export function contractHistories(): Array<{ memberId: string; events: MemberEvent[] }> {
  const pending = { program: programInForce({ pendingDays: 14 }) };
  const m1 = historyOf(
    enrol({ memberId: 'c1' }),
    purchase({
      memberId: 'c1',
      transactionId: 'tx1',
      amountMinor: 150_000,
      items: [{ sku: 'beans', category: 'coffee', quantity: 2, unitPriceMinor: 1000 }],
    }),
    action({ memberId: 'c1', actionId: 'a1' }),
    redeem({ memberId: 'c1', redemptionId: 'r1', points: 50 }),
    reverse({ memberId: 'c1', redemptionId: 'r1' }),
    adjust({ memberId: 'c1', adjustmentId: 'adj1', points: 10 }),
    adjust({ memberId: 'c1', adjustmentId: 'adj2', points: -5 }),
    transfer({ memberId: 'c1', transferId: 'tr1', toMemberId: 'c2', points: 10 }),
    redeem({ memberId: 'c1', redemptionId: 'r2', points: 1500 }),
    refund({ memberId: 'c1', transactionId: 'tx1', refundId: 'rf1', amountMinor: 150_000 }),
    purchase({ memberId: 'c1', transactionId: 'tx2', amountMinor: 200_000 }),
  );
  const m2 = historyOf(
    enrol({ memberId: 'c2' }),
    receive({ memberId: 'c2', transferId: 'tr1', fromMemberId: 'c1', points: 10, lots: [{ lotId: 'l-c1', points: 10, expiresAt: null }] }),
    erase({ memberId: 'c2' }),
  );
  const m3 = historyOf(
    enrol({ memberId: 'c3', ...pending }),
    purchase({ memberId: 'c3', transactionId: 'tx3', amountMinor: 5000, ...pending }),
    settle('2026-02-10T00:00:00.000Z', { memberId: 'c3', ...pending }),
    settle('2027-03-01T00:00:00.000Z', { memberId: 'c3', ...pending }),
  );
  const m4 = historyOf(enrol({ memberId: 'c4', referredBy: 'c1' }), purchase({ memberId: 'c4', transactionId: 'tx4', amountMinor: 3000 }));
  return [
    { memberId: 'c1', events: m1 },
    { memberId: 'c2', events: m2 },
    { memberId: 'c3', events: m3 },
    { memberId: 'c4', events: m4 },
  ];
}

export function programHistory(): ProgramConfigured[] {
  return decideProgram(
    { type: 'ConfigureProgram', policy: policy(), occurredAt: T0 },
    { version: 0, policy: undefined, configuredAt: undefined },
  );
}
