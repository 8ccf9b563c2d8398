import { foldMember } from '../member/state';
import { redeem } from '../member/redemptions';
import { policy, programInForce, T0 } from '../testing/fixtures';
import { redeem as redemption } from '../testing/member-commands';
import { enrolled, welcomeAccrued } from '../testing/member-events';
import { DomainError } from '../values/errors';
import { rewardStandings } from './reward-standing';

const STATE = foldMember([enrolled(), welcomeAccrued()]);
const REWARDS = [
  { rewardId: 'cookie', points: 80 },
  { rewardId: 'free-coffee', points: 250 },
  { rewardId: 'gold-only', points: 10, tiers: ['gold'] },
  { rewardId: 'once', points: 10, limitPerMember: { count: 1 } },
  { rewardId: 'later', points: 10, startsAt: '2027-01-01T00:00:00.000Z' },
];

describe('reward standings', () => {
  it('tells eligibility, affordability and the points to go for each reward, from the 100 welcome points', () => {
    expect(rewardStandings(policy({ rewards: REWARDS }), STATE, T0)).toEqual([
      {
        rewardId: 'cookie',
        kind: 'points',
        points: 80,
        eligible: true,
        refusal: null,
        affordable: true,
        pointsToGo: 0,
        stockRemaining: null,
      },
      {
        rewardId: 'free-coffee',
        kind: 'points',
        points: 250,
        eligible: true,
        refusal: null,
        affordable: false,
        pointsToGo: 150,
        stockRemaining: null,
      },
      {
        rewardId: 'gold-only',
        kind: 'points',
        points: 10,
        eligible: false,
        refusal: 'REWARD_NOT_ELIGIBLE',
        affordable: true,
        pointsToGo: 0,
        stockRemaining: null,
      },
      {
        rewardId: 'once',
        kind: 'points',
        points: 10,
        eligible: true,
        refusal: null,
        affordable: true,
        pointsToGo: 0,
        stockRemaining: null,
      },
      {
        rewardId: 'later',
        kind: 'points',
        points: 10,
        eligible: false,
        refusal: 'REWARD_NOT_AVAILABLE',
        affordable: true,
        pointsToGo: 0,
        stockRemaining: null,
      },
    ]);
  });

  it('counts the stock left from what the budget stream reserved, a reward with none left being out of stock', () => {
    const stocked = [
      { rewardId: 'mug', points: 10, stock: 2 },
      { rewardId: 'last-mug', points: 10, stock: 1 },
      { rewardId: 'gold-mug', points: 10, stock: 1, tiers: ['gold'] },
    ];
    const reserved = new Map([
      ['mug', 1],
      ['last-mug', 1],
      ['gold-mug', 1],
    ]);
    expect(
      rewardStandings(policy({ rewards: stocked }), STATE, T0, reserved).map((r) => [r.rewardId, r.refusal, r.stockRemaining]),
    ).toEqual([
      ['mug', null, 1],
      ['last-mug', 'REWARD_OUT_OF_STOCK', 0],
      ['gold-mug', 'REWARD_NOT_ELIGIBLE', 0],
    ]);
  });

  it('agrees with what a redemption decides, reward by reward', () => {
    const program = programInForce({ rewards: REWARDS });
    const after = foldMember(redeem(redemption({ redemptionId: 'r-once', points: null, rewardId: 'once', program }), STATE), STATE);
    for (const standing of rewardStandings(program.policy, after, T0)) {
      const command = redemption({ redemptionId: `r-${standing.rewardId}`, points: null, rewardId: standing.rewardId, program });
      let refusal: string | null = null;
      try {
        redeem(command, after);
      } catch (error) {
        refusal = (error as DomainError).code;
      }
      const expected = standing.refusal ?? (standing.affordable ? null : 'INSUFFICIENT_POINTS');
      expect({ rewardId: standing.rewardId, refusal }).toEqual({ rewardId: standing.rewardId, refusal: expected });
    }
  });
});
