import { pointsForPurchase } from '../earning/earning';
import { availablePoints, planConsumption } from '../lots/lots';
import { ProgramPolicy, TierPolicy } from '../program/policy';
import { conflict, DomainError, invalid, notFound, rejected } from '../shared/errors';
import { addDays, addMonths, Instant, isAfter, toMillis } from '../shared/time';
import { commandKey, EnrolMember, MemberCommand, RecordPurchase, RedeemPoints } from './commands';
import { MEMBER_EVENT_SCHEMA_VERSION, MemberEvent, PointsAccrued, TierChanged } from './events';
import { MemberState } from './state';

/** Tier qualification looks back this far from each purchase. */
export const TIER_QUALIFYING_MONTHS = 12;

/**
 * decide(command, state) -> events. An empty list means the command was
 * already processed with the same request: the caller replies with the
 * original outcome.
 */
export function decideMember(command: MemberCommand, state: MemberState): MemberEvent[] {
  if (isAfter(command.occurredAt, command.receivedAt)) {
    throw invalid('OCCURRED_AT_IN_FUTURE', 'occurredAt may not be in the future', {
      occurredAt: command.occurredAt,
      receivedAt: command.receivedAt,
    });
  }
  const previousHash = state.processed.get(commandKey(command));
  if (previousHash !== undefined) {
    if (previousHash === command.requestHash) return [];
    throw idConflict(command);
  }
  switch (command.type) {
    case 'EnrolMember':
      return enrol(command, state);
    case 'RecordPurchase':
      return recordPurchase(command, requireEnrolled(state, command.memberId));
    case 'RedeemPoints':
      return redeem(command, requireEnrolled(state, command.memberId));
  }
}

function enrol(command: EnrolMember, state: MemberState): MemberEvent[] {
  if (state.enrolled) throw idConflict(command);
  const { memberId, occurredAt, program } = command;
  const events: MemberEvent[] = [
    {
      type: 'MemberEnrolled',
      data: {
        ...base(command),
        memberType: command.memberType,
        profile: command.profile,
        referredBy: command.referredBy,
        tier: program.policy.tiers[0]?.name ?? null,
        requestHash: command.requestHash,
      },
    },
  ];
  const welcome = program.policy.earning.welcomeBonus;
  if (welcome > 0) events.push(accrual(command, `welcome:${memberId}`, welcome, 'welcome', memberId, ['welcome'], occurredAt));
  return events;
}

function recordPurchase(command: RecordPurchase, state: MemberState): MemberEvent[] {
  const { policy } = command.program;
  if (command.currency !== policy.currency) {
    throw rejected('CURRENCY_MISMATCH', `the program runs in ${policy.currency}, not ${command.currency}`, {
      expected: policy.currency,
      received: command.currency,
    });
  }
  const tier = policy.tiers.find((t) => t.name === state.tier);
  const earned = pointsForPurchase(policy.earning, command.amountMinor, command.items, tier);
  const events: MemberEvent[] = [
    {
      type: 'PurchaseRecorded',
      data: {
        ...base(command),
        transactionId: command.transactionId,
        amountMinor: command.amountMinor,
        currency: command.currency,
        items: command.items,
        storeId: command.storeId,
        requestHash: command.requestHash,
      },
    },
  ];
  if (earned.points > 0) {
    const lotId = `purchase:${command.transactionId}`;
    events.push(accrual(command, lotId, earned.points, 'purchase', command.transactionId, earned.ruleIds, command.occurredAt));
  }
  const upgrade = tierUpgrade(command, state);
  if (upgrade) events.push(upgrade);
  return events;
}

function redeem(command: RedeemPoints, state: MemberState): MemberEvent[] {
  const points = redemptionPoints(command, command.program.policy);
  const lots = planConsumption(state.lots, points);
  if (!lots) {
    throw rejected('INSUFFICIENT_POINTS', `redeeming ${points} points needs more than the ${availablePoints(state.lots)} available`, {
      requested: points,
      available: availablePoints(state.lots),
    });
  }
  return [
    {
      type: 'PointsRedeemed',
      data: {
        ...base(command),
        redemptionId: command.redemptionId,
        points,
        rewardId: command.rewardId,
        lots,
        programVersion: command.program.version,
        requestHash: command.requestHash,
      },
    },
  ];
}

function redemptionPoints(command: RedeemPoints, policy: ProgramPolicy): number {
  if ((command.points === null) === (command.rewardId === null)) {
    throw invalid('INVALID_REDEMPTION', 'a redemption names either points or a rewardId, not both');
  }
  if (command.points !== null) {
    if (!Number.isSafeInteger(command.points) || command.points < 1) {
      throw invalid('INVALID_REDEMPTION', 'points must be a positive integer');
    }
    return command.points;
  }
  const reward = policy.rewards.find((r) => r.rewardId === command.rewardId);
  if (!reward) throw rejected('UNKNOWN_REWARD', `no reward ${command.rewardId} in the catalogue`, { rewardId: command.rewardId });
  return reward.points;
}

/** Upgrades happen at once, after the purchase that crosses the threshold; that purchase earns at the old tier. */
function tierUpgrade(command: RecordPurchase, state: MemberState): TierChanged | undefined {
  const { policy, version } = command.program;
  const windowStart = toMillis(addMonths(command.occurredAt, -TIER_QUALIFYING_MONTHS));
  const spend = state.purchases
    .filter((p) => toMillis(p.occurredAt) > windowStart && !isAfter(p.occurredAt, command.occurredAt))
    .reduce((sum, p) => sum + p.amountMinor, command.amountMinor);
  const qualified = highestTier(policy.tiers, spend);
  const current = policy.tiers.findIndex((t) => t.name === state.tier);
  if (!qualified || policy.tiers.indexOf(qualified) <= current) return undefined;
  return {
    type: 'TierChanged',
    data: {
      ...base(command),
      from: state.tier,
      to: qualified.name,
      reason: 'qualifying-spend',
      qualifyingSpendMinor: spend,
      programVersion: version,
    },
  };
}

function highestTier(tiers: readonly TierPolicy[], spendMinor: number): TierPolicy | undefined {
  return [...tiers].reverse().find((t) => spendMinor >= t.minSpendMinor);
}

function accrual(
  command: MemberCommand,
  lotId: string,
  points: number,
  source: PointsAccrued['data']['source'],
  reference: string,
  ruleIds: readonly string[],
  earnedAt: Instant,
): PointsAccrued {
  const { policy, version } = command.program;
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
      pendingUntil: policy.pendingDays > 0 ? addDays(earnedAt, policy.pendingDays) : null,
      expiresAt: policy.expiryMonths > 0 ? addMonths(earnedAt, policy.expiryMonths) : null,
    },
  };
}

function base(command: MemberCommand) {
  return { schemaVersion: MEMBER_EVENT_SCHEMA_VERSION, memberId: command.memberId, occurredAt: command.occurredAt };
}

function requireEnrolled(state: MemberState, memberId: string): MemberState {
  if (!state.enrolled) throw notFound('MEMBER_NOT_FOUND', `no member ${memberId}`, { memberId });
  return state;
}

function idConflict(command: MemberCommand): DomainError {
  return conflict('IDEMPOTENCY_CONFLICT', `${commandKey(command)} was already used with a different request`, {
    key: commandKey(command),
  });
}

