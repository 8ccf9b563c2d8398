import { availableInLots, Lot, LotConsumption, takeFrom, activeLotsInConsumptionOrder } from '../lots/lots';
import { conflict, DomainError, notFound } from '../values/errors';
import { lotExpiry } from '../expiry/expiry';
import { addDays, Instant } from '../values/time';
import { commandKey, MemberCommand } from './commands';
import { AccrualSource, DebtRepaid, MEMBER_EVENT_SCHEMA_VERSION, PointsAccrued } from './events';
import { MemberState } from './state';

export function base(command: MemberCommand, occurredAt: Instant = command.occurredAt) {
  return { schemaVersion: MEMBER_EVENT_SCHEMA_VERSION, memberId: command.memberId, occurredAt };
}

/**
 * A new lot under the policy in force: pending for the return window,
 * expiring as the expiry policy of the member's tier at earning says.
 */
export function accrual(
  command: MemberCommand,
  lotId: string,
  points: number,
  source: AccrualSource,
  reference: string,
  ruleIds: readonly string[],
  tier: string | null,
): PointsAccrued {
  const { policy, version } = command.program;
  const earnedAt = command.occurredAt;
  return {
    type: 'PointsAccrued',
    data: {
      ...base(command),
      lotId,
      points,
      source,
      reference,
      programVersion: version,
      ruleIds,
      pendingUntil: source === 'purchase' && policy.pendingDays > 0 ? addDays(earnedAt, policy.pendingDays) : null,
      ...lotExpiry(policy, tier, earnedAt),
    },
  };
}

/**
 * Debt is paid off by points as soon as they are available: after any event
 * that adds available points, the debt takes them, soonest expiry first.
 */
export function repayDebt(command: MemberCommand, lots: readonly Lot[], debt: number, occurredAt: Instant): DebtRepaid | undefined {
  if (debt <= 0 || availableInLots(lots) <= 0) return undefined;
  const { taken, owed } = takeFrom(activeLotsInConsumptionOrder(lots), debt);
  const points = debt - owed;
  return { type: 'DebtRepaid', data: { ...base(command, occurredAt), points, lots: taken } };
}

export function requireEnrolled(state: MemberState, memberId: string): MemberState {
  if (!state.enrolled) throw notFound('MEMBER_NOT_FOUND', `no member ${memberId}`, { memberId });
  return state;
}

export function idConflict(command: MemberCommand): DomainError {
  return conflict('IDEMPOTENCY_CONFLICT', `${commandKey(command)} was already used with a different request`, {
    key: commandKey(command),
  });
}

export const sumPoints = (lots: readonly LotConsumption[]) => lots.reduce((sum, l) => sum + l.points, 0);
