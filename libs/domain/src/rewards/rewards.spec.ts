import { policyProblems } from '../program/program';
import { builtinSegments, DEFAULT_SEGMENT_THRESHOLDS } from '../segments/builtins';
import { resolveRewardSegments, stockReservationFor } from './rewards';
import { RewardPolicy } from '../program/policy';
import { member, policy, programInForce } from '../testing/fixtures';
import { redeem } from '../testing/member-commands';
import {
  enrolled,
  purchaseAccrued,
  purchaseRecorded,
  redeemed,
  redemptionReversed,
  tierChanged,
  welcomeAccrued,
} from '../testing/member-events';

// Tokyo has no daylight saving: its day starts at 15:00 UTC the day before.
const TOKYO = 'Asia/Tokyo';
const RICH = [enrolled(), welcomeAccrued(), purchaseRecorded({ amountMinor: 100_000 }), purchaseAccrued('tx1', 1000)];

const catalogue = (reward: Partial<RewardPolicy>, timeZone?: string) =>
  programInForce({ rewards: [{ rewardId: 'coffee', points: 10, ...reward }], ...(timeZone ? { timeZone } : {}) });

const redeemCoffee = (reward: Partial<RewardPolicy>, o: { redemptionId?: string; occurredAt?: string; timeZone?: string } = {}) =>
  redeem({
    points: null,
    rewardId: 'coffee',
    program: catalogue(reward, o.timeZone),
    redemptionId: o.redemptionId ?? 'r9',
    ...(o.occurredAt ? { occurredAt: o.occurredAt } : {}),
  });

const coffeeRedeemed = (redemptionId: string, occurredAt: string) =>
  redeemed({ redemptionId, occurredAt, points: 10, rewardId: 'coffee', lots: [{ lotId: 'welcome:m1', points: 10 }] });

describe('reward catalogue: terms of a reward', () => {
  it('refuses a tier-reserved reward to a member of a lower tier and grants it to one of that tier', () => {
    member
      .given(RICH)
      .when(redeemCoffee({ tiers: ['gold'] }))
      .thenThrows('REWARD_NOT_ELIGIBLE', { rewardId: 'coffee', tiers: ['gold'], tier: 'silver' });
    member
      .given([...RICH, tierChanged({ from: 'silver', to: 'gold', qualifyingSpendMinor: 100_000 })])
      .when(redeemCoffee({ tiers: ['gold'] }))
      .thenMatches((events) => expect(events.map((e) => e.type)).toEqual(['PointsRedeemed']));
  });

  it('refuses a segment-reserved reward to a member outside the segment and grants it to one inside', () => {
    const business = { segment: 'business-club', segmentCriteria: { type: 'memberType' as const, memberType: 'business' as const } };
    member.given(RICH).when(redeemCoffee(business)).thenThrows('REWARD_NOT_ELIGIBLE', { rewardId: 'coffee', segment: 'business-club' });
    member
      .given([enrolled({ memberType: 'business' }), ...RICH.slice(1)])
      .when(redeemCoffee(business))
      .thenMatches((events) => expect(events.map((e) => e.type)).toEqual(['PointsRedeemed']));
  });

  it('is available from startsAt (inclusive) to endsAt (exclusive), judged at the command occurredAt', () => {
    const window = { startsAt: '2026-02-01T00:00:00.000Z', endsAt: '2026-03-01T00:00:00.000Z' };
    member
      .given(RICH)
      .when(redeemCoffee(window, { occurredAt: '2026-01-31T23:59:59.999Z' }))
      .thenThrows('REWARD_NOT_AVAILABLE', { rewardId: 'coffee', ...window });
    member
      .given(RICH)
      .when(redeemCoffee(window, { occurredAt: '2026-03-01T00:00:00.000Z' }))
      .thenThrows('REWARD_NOT_AVAILABLE');
    member
      .given(RICH)
      .when(redeemCoffee(window, { occurredAt: '2026-02-01T00:00:00.000Z' }))
      .thenMatches((events) => expect(events.map((e) => e.type)).toEqual(['PointsRedeemed']));
  });

  it('limits redemptions per member for ever, and a reversed redemption gives its use back', () => {
    const once = { limitPerMember: { count: 1 } };
    const first = coffeeRedeemed('r1', '2026-01-11T00:00:00.000Z');
    member
      .given([...RICH, first])
      .when(redeemCoffee(once, { occurredAt: '2026-12-01T00:00:00.000Z' }))
      .thenThrows('REWARD_LIMIT_REACHED', { rewardId: 'coffee', count: 1, period: null });
    member
      .given([...RICH, first, redemptionReversed({ redemptionId: 'r1', points: 10, lots: [{ lotId: 'welcome:m1', points: 10 }] })])
      .when(redeemCoffee(once))
      .thenMatches((events) => expect(events.map((e) => e.type)).toEqual(['PointsRedeemed']));
  });

  it('counts a per-day limit in the program time zone', () => {
    const daily = { limitPerMember: { count: 1, period: 'day' as const } };
    // 14:00 UTC on the 11th is still the 11th in Tokyo; 15:00 UTC is the 12th there.
    const first = coffeeRedeemed('r1', '2026-01-11T01:00:00.000Z');
    member
      .given([...RICH, first])
      .when(redeemCoffee(daily, { occurredAt: '2026-01-11T14:59:59.999Z', timeZone: TOKYO }))
      .thenThrows('REWARD_LIMIT_REACHED', { period: 'day' });
    member
      .given([...RICH, first])
      .when(redeemCoffee(daily, { occurredAt: '2026-01-11T15:00:00.000Z', timeZone: TOKYO }))
      .thenMatches((events) => expect(events.map((e) => e.type)).toEqual(['PointsRedeemed']));
    // In UTC the same two redemptions fall on one day.
    member
      .given([...RICH, first])
      .when(redeemCoffee(daily, { occurredAt: '2026-01-11T15:00:00.000Z' }))
      .thenThrows('REWARD_LIMIT_REACHED');
  });

  it('counts a per-month limit of two in the program time zone, other rewards aside', () => {
    const twiceMonthly = { limitPerMember: { count: 2, period: 'month' as const } };
    const history = [
      ...RICH,
      coffeeRedeemed('r1', '2026-01-31T14:00:00.000Z'), // 31 January in Tokyo
      coffeeRedeemed('r2', '2026-01-31T16:00:00.000Z'), // 1 February in Tokyo
      redeemed({
        redemptionId: 'r3',
        occurredAt: '2026-02-02T00:00:00.000Z',
        points: 10,
        rewardId: 'tea',
        lots: [{ lotId: 'welcome:m1', points: 10 }],
      }),
    ];
    member
      .given(history)
      .when(redeemCoffee(twiceMonthly, { occurredAt: '2026-02-10T00:00:00.000Z', timeZone: TOKYO }))
      .thenMatches((events) => expect(events.map((e) => e.type)).toEqual(['PointsRedeemed']));
    member
      .given([...history, coffeeRedeemed('r4', '2026-02-10T00:00:00.000Z')])
      .when(redeemCoffee(twiceMonthly, { occurredAt: '2026-02-20T00:00:00.000Z', timeZone: TOKYO }))
      .thenThrows('REWARD_LIMIT_REACHED', { period: 'month' });
  });

  it('redeems a coupon kind for its points and issues its coupon (coupons/coupons.spec.ts)', () => {
    member
      .given(RICH)
      .when({ ...redeemCoffee({ kind: 'amountOff', valueMinor: 200 }), couponCode: 'TEST-CPN0-0000-0001' })
      .thenMatches((events) => expect(events.map((e) => e.type)).toEqual(['PointsRedeemed', 'CouponIssued']));
  });

  it('redeems a reward without terms exactly as before', () => {
    member
      .given(RICH)
      .when(redeemCoffee({}))
      .then([
        {
          ...coffeeRedeemed('r9', '2026-01-10T09:00:00.000Z'),
          data: { ...coffeeRedeemed('r9', '2026-01-10T09:00:00.000Z').data, requestHash: 'h-r9-50' },
        },
      ]);
  });
});

describe('reward catalogue: stock', () => {
  it('asks one unit of the reward budget for an accepted redemption of a stocked reward, and none otherwise', () => {
    const command = redeemCoffee({ stock: 3 });
    const accepted = [coffeeRedeemed('r9', command.occurredAt)];
    expect(stockReservationFor(command, accepted)).toEqual({
      ruleKey: 'reward:coffee',
      transactionId: 'r9',
      memberId: 'm1',
      points: 1,
      budget: 3,
      occurredAt: command.occurredAt,
    });
    expect(stockReservationFor(command, [])).toBeUndefined();
    expect(stockReservationFor(redeemCoffee({}), accepted)).toBeUndefined();
  });
});

describe('reward catalogue: configuration problems', () => {
  const problemsOf = (reward: Partial<RewardPolicy>) =>
    policyProblems(policy({ rewards: [{ rewardId: 'coffee', points: 10, ...reward }] }));

  it('accepts every kind with the field it needs', () => {
    expect(problemsOf({ kind: 'points' })).toEqual([]);
    expect(problemsOf({ kind: 'amountOff', valueMinor: 200, validDays: 30 })).toEqual([]);
    expect(problemsOf({ kind: 'percentOff', percent: 15 })).toEqual([]);
    expect(problemsOf({ kind: 'freeProduct', sku: 'latte-grande' })).toEqual([]);
  });

  it('names what a reward lacks or gets wrong', () => {
    expect(problemsOf({ kind: 'amountOff' })).toEqual(['reward coffee: an amountOff reward needs valueMinor of at least 1']);
    expect(problemsOf({ kind: 'percentOff', percent: 101 })).toEqual(['reward coffee: a percentOff reward needs a percent from 1 to 100']);
    expect(problemsOf({ kind: 'freeProduct' })).toEqual(['reward coffee: a freeProduct reward needs a sku']);
    expect(problemsOf({ tiers: ['platinum'] })).toEqual(["reward coffee: tier platinum is not one of the program's tiers"]);
    expect(problemsOf({ limitPerMember: { count: 0 } })).toEqual([
      'reward coffee: limitPerMember.count must be an integer from 1 to 1000000',
    ]);
    expect(problemsOf({ segment: 'nobody' })).toEqual(['reward coffee: no segment nobody']);
    expect(problemsOf({ stock: -1 })).toEqual(['reward coffee: stock must be an integer from 0 to 1000000000']);
    expect(problemsOf({ startsAt: '2026-02-01T00:00:00.000Z', endsAt: '2026-02-01T00:00:00.000Z' })).toEqual([
      'reward coffee: startsAt must be before endsAt',
    ]);
  });
});

describe('reward catalogue: segments', () => {
  it('copies a named segment into the rewards that name it, and leaves the others alone', () => {
    const [builtin] = builtinSegments(DEFAULT_SEGMENT_THRESHOLDS);
    const custom = { name: 'club', kind: 'custom' as const, description: 'club', criteria: { type: 'purchaseCount' as const, min: 2 } };
    const rewards = [
      { rewardId: 'a', points: 1, segment: builtin!.name },
      { rewardId: 'b', points: 1, segment: 'club' },
      { rewardId: 'c', points: 1 },
    ];
    expect(resolveRewardSegments(rewards, [builtin!, custom])).toEqual([
      { ...rewards[0], segmentCriteria: builtin!.criteria },
      { ...rewards[1], segmentCriteria: custom.criteria },
      rewards[2],
    ]);
  });
});
