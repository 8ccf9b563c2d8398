import { planConsumption } from '../lots/lots';
import { ProgramPolicy } from '../program/policy';
import { assertRewardRedeemable } from '../rewards/rewards';
import { invalid, notFound, rejected } from '../values/errors';
import { RedeemPoints, ReverseRedemption } from './commands';
import { base } from './decision-helpers';
import { MemberEvent } from './events';
import { availablePoints, MemberState } from './state';
import { redemptionCoupon, reversalCoupon } from '../coupons/decisions';

export function redeem(command: RedeemPoints, state: MemberState): MemberEvent[] {
  const points = redemptionPoints(command, state, command.program.policy);
  const available = availablePoints(state);
  const lots = available >= points ? planConsumption(state.lots, points) : undefined;
  if (!lots) {
    throw rejected('INSUFFICIENT_POINTS', `redeeming ${points} points needs more than the ${Math.max(available, 0)} available`, {
      requested: points,
      available: Math.max(available, 0),
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
    ...redemptionCoupon(command, rewardOf(command), state),
  ];
}

const rewardOf = (command: RedeemPoints) => command.program.policy.rewards.find((r) => r.rewardId === command.rewardId);

function redemptionPoints(command: RedeemPoints, state: MemberState, policy: ProgramPolicy): number {
  if ((command.points === null) === (command.rewardId === null)) {
    throw invalid('INVALID_REDEMPTION', 'a redemption names either points or a rewardId, not both');
  }
  if (command.points !== null) {
    if (!Number.isSafeInteger(command.points) || command.points < 1)
      throw invalid('INVALID_REDEMPTION', 'points must be a positive integer');
    return command.points;
  }
  const reward = policy.rewards.find((r) => r.rewardId === command.rewardId);
  if (!reward) throw rejected('UNKNOWN_REWARD', `no reward ${command.rewardId} in the catalogue`, { rewardId: command.rewardId });
  assertRewardRedeemable(reward, state, command.occurredAt, policy);
  return reward.points;
}

/** Restores exactly the lots the redemption consumed, so the points keep their original expiry. A second reversal is a no-op. */
export function reverseRedemption(command: ReverseRedemption, state: MemberState): MemberEvent[] {
  const redemption = state.redemptions.get(command.redemptionId);
  if (!redemption) throw notFound('REDEMPTION_NOT_FOUND', `no redemption ${command.redemptionId}`, { redemptionId: command.redemptionId });
  if (redemption.reversed) return [];
  const cancelled = reversalCoupon(command, state);
  return [
    {
      type: 'RedemptionReversed',
      data: { ...base(command), redemptionId: command.redemptionId, points: redemption.points, lots: redemption.lots },
    },
    ...cancelled,
  ];
}
