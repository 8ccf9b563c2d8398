import { RecordPurchase, SettleMember } from '../member/commands';
import { base } from '../member/decision-helpers';
import { TierChanged, TierChangeReason } from '../member/events';
import { foldMember, MemberState } from '../member/state';
import { isAfter } from '../values/time';
import { qualifyingSpendMinor, qualifyingValue, statusEndsAt, tierAtStatusEnd, upgradeFor, upgradeIsOpen } from './qualification';
import { tierRulesOf, TierQualifier } from './tier-policy';

const UPGRADE_REASON: Readonly<Record<TierQualifier, TierChangeReason>> = {
  spend: 'qualifying-spend',
  points: 'qualifying-points',
  purchases: 'qualifying-purchases',
};

/**
 * Upgrades happen at once, after the purchase that crosses the threshold:
 * judged on the state with the purchase and its accruals folded in, while
 * the purchase itself earned at the old tier.
 */
export function upgradeAfterPurchase(command: RecordPurchase, afterPurchase: MemberState): TierChanged | undefined {
  const { policy, version } = command.program;
  // The window walks every purchase the member made: not worth it when no tier is there to reach.
  if (!upgradeIsOpen(policy, afterPurchase)) return undefined;
  const purchases = [...afterPurchase.purchases.values()];
  const value = qualifyingValue(policy, purchases, command.occurredAt);
  const qualified = upgradeFor(policy, afterPurchase, value);
  if (!qualified) return undefined;
  return {
    type: 'TierChanged',
    data: {
      ...base(command),
      from: afterPurchase.tier,
      to: qualified.name,
      reason: UPGRADE_REASON[tierRulesOf(policy).qualifyBy],
      qualifyingSpendMinor: qualifyingSpendMinor(policy, purchases, command.occurredAt),
      ...(policy.tierPolicy && { qualifyingValue: value }),
      programVersion: version,
    },
  };
}

/**
 * The status ends due by asOf, in order, each dated at the instant the status
 * ended (a review, the end of a status duration, a manual tier's `until`):
 * the tier becomes what the window closing there qualifies for, within the
 * downgrade rule, and a new status starts at that instant. A program without
 * a tier policy ends one per run, as it always did; the next run does the next.
 */
export function statusEnds(command: SettleMember, state: MemberState): TierChanged[] {
  const { policy } = command.program;
  const changes: TierChanged[] = [];
  let current = state;
  for (let change = statusEnd(command, current); change; change = policy.tierPolicy ? statusEnd(command, current) : undefined) {
    // A status that ended where it started would end again at once, for ever: a daily job that never returns.
    const previous = changes[changes.length - 1];
    if (previous && !isAfter(change.data.occurredAt, previous.data.occurredAt)) {
      throw new Error(`tier status of ${command.memberId} ended twice at ${change.data.occurredAt}`);
    }
    changes.push(change);
    current = foldMember([change], current);
  }
  return changes;
}

function statusEnd(command: SettleMember, state: MemberState): TierChanged | undefined {
  const { policy, version } = command.program;
  const end = statusEndsAt(policy, state);
  if (end === null || isAfter(end, command.asOf)) return undefined;
  const purchases = [...state.purchases.values()];
  const value = qualifyingValue(policy, purchases, end, true);
  return {
    type: 'TierChanged',
    data: {
      ...base(command, end),
      from: state.tier,
      to: tierAtStatusEnd(policy, state.tier, value).name,
      reason: 'requalification',
      qualifyingSpendMinor: qualifyingSpendMinor(policy, purchases, end, true),
      ...(policy.tierPolicy && { qualifyingValue: value }),
      programVersion: version,
    },
  };
}
