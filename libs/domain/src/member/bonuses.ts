import { rejected } from '../values/errors';
import { configuredValue } from '../values/names';
import { addDays, toMillis } from '../values/time';
import { AwardReferrerBonus, RecordAction } from './commands';
import { assertFeedbackAccepted } from './feedback';
import { accrual, base } from './decision-helpers';
import { MemberEvent } from './events';
import { MemberState } from './state';

/**
 * An action (review, survey, social share...) earns its configured bonus,
 * within the type's cap over a sliding window. Past the cap the action is
 * still recorded, with no points, so the member's history stays complete.
 */
export function recordAction(command: RecordAction, state: MemberState): MemberEvent[] {
  const { earning } = command.program.policy;
  if (command.feedback) assertFeedbackAccepted(command.feedback, state);
  const bonus = configuredValue(earning.actionBonuses, command.actionType);
  if (bonus === undefined && !command.feedback) {
    throw rejected('UNKNOWN_ACTION', `the program has no bonus for action ${command.actionType}`, {
      actionType: command.actionType,
      known: Object.keys(earning.actionBonuses),
    });
  }
  const rewarded = bonus !== undefined && bonus > 0 && !capReached(command, state);
  const { actionId, actionType, requestHash, feedback } = command;
  const recorded: MemberEvent = {
    type: 'ActionRecorded',
    data: { ...base(command), actionId, actionType, rewarded, requestHash, ...(feedback && { feedback }) },
  };
  if (!rewarded) return [recorded];
  return [
    recorded,
    accrual(command, `action:${command.actionId}`, bonus, 'action', command.actionId, [`action:${command.actionType}`], state.tier),
  ];
}

function capReached(command: RecordAction, state: MemberState): boolean {
  const cap = configuredValue(command.program.policy.earning.actionCaps, command.actionType);
  if (!cap) return false;
  const windowStart = toMillis(addDays(command.occurredAt, -cap.periodDays));
  const rewardedInWindow = state.rewardedActions.filter(
    (a) =>
      a.actionType === command.actionType && toMillis(a.occurredAt) > windowStart && toMillis(a.occurredAt) <= toMillis(command.occurredAt),
  ).length;
  return rewardedInWindow >= cap.maxPerPeriod;
}

/** Issued by the referral reactor on the referrer's stream; keyed by the referee so it happens once. */
export function awardReferrerBonus(command: AwardReferrerBonus, state: MemberState): MemberEvent[] {
  const bonus = command.program.policy.earning.referralBonus.referrer;
  const lotId = `referral:referrer:${command.refereeId}`;
  if (bonus <= 0 || state.lots.some((l) => l.lotId === lotId)) return [];
  return [accrual(command, lotId, bonus, 'referral', command.refereeId, ['referral:referrer'], state.tier)];
}
