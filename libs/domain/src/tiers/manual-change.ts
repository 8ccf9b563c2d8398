import { ChangeTier } from '../member/commands';
import { base } from '../member/decision-helpers';
import { MemberEvent } from '../member/events';
import { MemberState } from '../member/state';
import { invalid, rejected } from '../values/errors';
import { isAfter } from '../values/time';
import { qualifyingSpendMinor, qualifyingValue } from './qualification';

/** The longest reason an admin may give for a manual tier change. */
export const TIER_CHANGE_REASON_MAX_CHARS = 500;

/**
 * An admin's tier change: recorded with its actor and reason, it holds the
 * tier (no upgrade, no status end) until `until`, or until the next manual
 * change when it has none.
 */
export function changeTier(command: ChangeTier, state: MemberState): MemberEvent[] {
  const { policy, version } = command.program;
  if (!policy.tiers.some((t) => t.name === command.tier)) {
    throw rejected('UNKNOWN_TIER', `the program has no tier ${command.tier}`, {
      tier: command.tier,
      tiers: policy.tiers.map((t) => t.name),
    });
  }
  const reason = command.reason.trim();
  if (reason === '' || reason.length > TIER_CHANGE_REASON_MAX_CHARS) {
    throw invalid('INVALID_TIER_CHANGE', `a reason of 1-${TIER_CHANGE_REASON_MAX_CHARS} characters is required`);
  }
  if (command.until !== null && !isAfter(command.until, command.occurredAt)) {
    throw invalid('INVALID_TIER_CHANGE', 'until must be after the change', { until: command.until, occurredAt: command.occurredAt });
  }
  const spend = qualifyingSpendMinor(policy, state.purchases.values(), command.occurredAt);
  return [
    {
      type: 'TierChanged',
      data: {
        ...base(command),
        from: state.tier,
        to: command.tier,
        reason: 'manual',
        qualifyingSpendMinor: spend,
        ...(policy.tierPolicy && { qualifyingValue: qualifyingValue(policy, state.purchases.values(), command.occurredAt) }),
        programVersion: version,
        manual: { changeId: command.changeId, actor: command.actor, reason, until: command.until, requestHash: command.requestHash },
      },
    },
  ];
}
