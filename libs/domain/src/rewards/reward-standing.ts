import { ProgramPolicy } from '../program/policy';
import { DomainError } from '../values/errors';
import { Instant } from '../values/time';
import { availablePoints, MemberState } from '../member/state';
import { assertRewardRedeemable, CatalogueReward, RewardKind } from './rewards';

/** Where a member stands with one reward: whether its terms allow a redemption now, and the points still missing. */
export interface RewardStanding {
  readonly rewardId: string;
  readonly kind: RewardKind;
  readonly points: number;
  readonly eligible: boolean;
  /** The refusal a redemption would get on the reward's terms (REWARD_NOT_ELIGIBLE, REWARD_LIMIT_REACHED, ...); null when eligible. */
  readonly refusal: string | null;
  readonly affordable: boolean;
  readonly pointsToGo: number;
  /** Units left of a stocked reward; null for one without a stock. */
  readonly stockRemaining: number | null;
}

/**
 * The catalogue as a redemption at `at` would see it: eligibility is the
 * redemption's own check, so the answer and the redemption never disagree.
 * Stock lives on each reward's budget stream, so the caller reads what is
 * reserved there (`stockReserved`, units by reward id); a reward with none
 * left is REWARD_OUT_OF_STOCK once its terms allow it.
 */
export function rewardStandings(
  policy: ProgramPolicy,
  state: MemberState,
  at: Instant,
  stockReserved: ReadonlyMap<string, number> = new Map(),
): RewardStanding[] {
  const available = Math.max(availablePoints(state), 0);
  return policy.rewards.map((reward) => {
    const stockRemaining = reward.stock === undefined ? null : Math.max(reward.stock - (stockReserved.get(reward.rewardId) ?? 0), 0);
    const refusal = refusalOf(reward, state, at, policy) ?? (stockRemaining === 0 ? 'REWARD_OUT_OF_STOCK' : null);
    return {
      rewardId: reward.rewardId,
      kind: reward.kind ?? 'points',
      points: reward.points,
      eligible: refusal === null,
      refusal,
      affordable: available >= reward.points,
      pointsToGo: Math.max(reward.points - available, 0),
      stockRemaining,
    };
  });
}

function refusalOf(reward: CatalogueReward, state: MemberState, at: Instant, policy: ProgramPolicy): string | null {
  try {
    assertRewardRedeemable(reward, state, at, policy);
    return null;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}
