import { policyProblems } from '../program/program';
import { RewardPolicy, TierPolicy } from '../program/policy';
import { member, policy, programInForce } from '../testing/fixtures';
import { changeTier, issueCoupon, purchase, redeem, refund, reverse, settle } from '../testing/member-commands';
import {
  couponCancelled,
  couponExpired,
  couponIssued,
  couponUsed,
  enrolled,
  purchaseAccrued,
  purchaseRecorded,
  redeemed,
  testCouponCode,
  tierChanged,
  welcomeAccrued,
} from '../testing/member-events';
import { MemberEvent } from '../member/events';
import { COUPON_CODE_BITS, couponCodeOf, normaliseCouponCode } from './codes';
import { birthdayWindowEnd } from './birthday';

const CODE = testCouponCode(1);
const REWARDS: RewardPolicy[] = [
  { rewardId: 'two-off', points: 100, kind: 'amountOff', valueMinor: 200 },
  { rewardId: 'fifteen-percent', points: 100, kind: 'percentOff', percent: 15 },
  { rewardId: 'free-latte', points: 100, kind: 'freeProduct', sku: 'latte', validDays: 7 },
  { rewardId: 'birthday-gift', points: 0, kind: 'amountOff', valueMinor: 500, redeemable: false },
  { rewardId: 'free-coffee', points: 250 },
];
const program = programInForce({ rewards: REWARDS });
const RICH: MemberEvent[] = [enrolled(), welcomeAccrued(), purchaseRecorded({ amountMinor: 50_000 }), purchaseAccrued('tx1', 1000)];
const redeemedTwoOff = redeemed({
  redemptionId: 'r1',
  points: 100,
  rewardId: 'two-off',
  lots: [{ lotId: 'welcome:m1', points: 100 }],
  requestHash: 'h-r1',
});
const HOLDING = [...RICH, redeemedTwoOff, couponIssued()];

const BASKET = [
  { sku: 'latte', quantity: 2, unitPriceMinor: 450 },
  { sku: 'cake', quantity: 1, unitPriceMinor: 100 },
];
const buy = (o: { couponCodes: string[]; amountMinor: number; occurredAt?: string; items?: typeof BASKET }) =>
  purchase({ transactionId: 'tx2', items: BASKET, program, occurredAt: '2026-01-20T09:00:00.000Z', ...o });

const discounts = (events: MemberEvent[]) => events.flatMap((e) => (e.type === 'CouponUsed' ? [e.data.discountMinor] : []));

describe('coupons: issued by a redemption', () => {
  it('debits the reward points and issues a coupon of its terms, valid 30 days by default', () => {
    member
      .given(RICH)
      .when(redeem({ redemptionId: 'r1', points: null, rewardId: 'two-off', couponCode: CODE, program, requestHash: 'h-r1' }))
      .then([redeemedTwoOff, couponIssued({ requestHash: undefined })].map(withoutUndefined));
  });

  it('dates the expiry by the reward validDays', () => {
    member
      .given(RICH)
      .when(redeem({ redemptionId: 'r1', points: null, rewardId: 'free-latte', couponCode: CODE, program }))
      .thenMatches((events) =>
        expect(events[1]).toMatchObject({ data: { kind: 'freeProduct', sku: 'latte', expiresAt: '2026-01-17T09:00:00.000Z' } }),
      );
  });

  it('needs a fresh code from the caller', () => {
    member
      .given(RICH)
      .when(redeem({ points: null, rewardId: 'two-off', program }))
      .thenThrows('COUPON_CODE_MISSING');
  });

  it('never sells a reward that is not redeemable', () => {
    member
      .given(RICH)
      .when(redeem({ points: null, rewardId: 'birthday-gift', couponCode: CODE, program }))
      .thenThrows('REWARD_NOT_AVAILABLE', { rewardId: 'birthday-gift', redeemable: false });
  });

  it('accepts 0 points only on a reward that is not redeemable, and not redeemable only on a coupon reward', () => {
    expect(policyProblems(policy({ rewards: REWARDS }))).toEqual([]);
    expect(policyProblems(policy({ rewards: [{ rewardId: 'x', points: 0, kind: 'amountOff', valueMinor: 1 }] }))).toContain(
      'a redeemable reward must cost at least 1 point',
    );
    expect(policyProblems(policy({ rewards: [{ rewardId: 'x', points: 1, redeemable: false }] }))).toContain(
      'reward x: only a coupon reward can be redeemable: false',
    );
  });
});

describe('coupons: issued by an admin', () => {
  const issued = couponIssued({
    couponId: 'c1',
    code: 'TEST-CPN0-0000-0009',
    rewardId: 'birthday-gift',
    valueMinor: 500,
    origin: 'admin',
    reference: 'c1',
    reason: 'apology for a late order',
    requestHash: 'h-coupon-c1',
  });

  it('issues any coupon reward of the catalogue, even one not sold for points, with its reason', () => {
    member
      .given(RICH)
      .when(issueCoupon({ rewardId: 'birthday-gift', program }))
      .then([issued]);
  });

  it('is idempotent on couponId: the same request does nothing, another is a conflict', () => {
    member
      .given([...RICH, issued])
      .when(issueCoupon({ rewardId: 'birthday-gift', program }))
      .thenNothing();
    member
      .given([...RICH, issued])
      .when(issueCoupon({ rewardId: 'two-off', program, requestHash: 'h-other' }))
      .thenThrows('IDEMPOTENCY_CONFLICT');
  });

  it('refuses an unknown reward, a points reward, a missing reason and a reused code', () => {
    member
      .given(RICH)
      .when(issueCoupon({ rewardId: 'nope', program }))
      .thenThrows('UNKNOWN_REWARD');
    member
      .given(RICH)
      .when(issueCoupon({ rewardId: 'free-coffee', program }))
      .thenThrows('REWARD_NOT_COUPON');
    member
      .given(RICH)
      .when(issueCoupon({ reason: ' ', program }))
      .thenThrows('INVALID_COUPON');
    member
      .given(HOLDING)
      .when(issueCoupon({ code: CODE, program }))
      .thenThrows('COUPON_CODE_REUSED');
  });
});

describe('coupons: used in a purchase', () => {
  it('records the use in the same decision as the purchase; the paid amount earns the points', () => {
    member
      .given(HOLDING)
      .when(buy({ couponCodes: [CODE], amountMinor: 800 }))
      .thenMatches((events) => {
        expect(events.map((e) => e.type)).toEqual(['PurchaseRecorded', 'CouponUsed', 'PointsAccrued']);
        expect(events[1]).toEqual(couponUsed({ transactionId: 'tx2', occurredAt: '2026-01-20T09:00:00.000Z' }));
        expect(events[2]).toMatchObject({ data: { points: 8 } });
      });
  });

  it('takes amountOff up to the basket, percentOff rounded down, freeProduct one unit of its line', () => {
    const coupon = (n: number, o: Parameters<typeof couponIssued>[0]) => couponIssued({ couponId: `c${n}`, code: testCouponCode(n), ...o });
    const history = [
      ...RICH,
      coupon(2, { valueMinor: 5000 }),
      coupon(3, { kind: 'percentOff', valueMinor: null, percent: 15 }),
      coupon(4, { kind: 'freeProduct', valueMinor: null, sku: 'latte' }),
    ];
    member
      .given(history)
      .when(buy({ couponCodes: [testCouponCode(2)], amountMinor: 0 }))
      .thenMatches((events) => expect(discounts(events)).toEqual([1000]));
    member
      .given(history)
      .when(buy({ couponCodes: [testCouponCode(3)], amountMinor: 850 }))
      .thenMatches((events) => expect(discounts(events)).toEqual([150]));
    member
      .given(history)
      .when(buy({ couponCodes: [testCouponCode(4), testCouponCode(3)], amountMinor: 467 }))
      .thenMatches((events) => expect(discounts(events)).toEqual([450, 82]));
  });

  it('refuses a free product that is not in the basket, and a purchase without items', () => {
    const latte = couponIssued({ kind: 'freeProduct', valueMinor: null, sku: 'latte' });
    member
      .given([...RICH, latte])
      .when(buy({ couponCodes: [CODE], amountMinor: 100, items: [{ sku: 'cake', quantity: 1, unitPriceMinor: 100 }] }))
      .thenThrows('COUPON_NOT_APPLICABLE', { code: CODE, sku: 'latte' });
    member
      .given(HOLDING)
      .when(buy({ couponCodes: [CODE], amountMinor: 800, items: [] }))
      .thenThrows('COUPON_NOT_APPLICABLE');
  });

  it('refuses an unknown code, a used one, one past its expiry, a code twice and a paid amount above the discounted basket', () => {
    member
      .given(RICH)
      .when(buy({ couponCodes: [CODE], amountMinor: 800 }))
      .thenThrows('COUPON_NOT_FOUND', { code: CODE });
    member
      .given([...HOLDING, couponUsed()])
      .when(buy({ couponCodes: [CODE], amountMinor: 800 }))
      .thenThrows('COUPON_NOT_ACTIVE', { code: CODE, status: 'used' });
    member
      .given(HOLDING)
      .when(buy({ couponCodes: [CODE], amountMinor: 800, occurredAt: '2026-02-09T09:00:00.000Z' }))
      .thenThrows('COUPON_NOT_ACTIVE', { status: 'expired' });
    member
      .given(HOLDING)
      .when(buy({ couponCodes: [CODE, CODE], amountMinor: 600 }))
      .thenThrows('DUPLICATE_COUPON_CODE');
    member
      .given(HOLDING)
      .when(buy({ couponCodes: [CODE], amountMinor: 801 }))
      .thenThrows('AMOUNT_EXCEEDS_DISCOUNTED_BASKET', { basketMinor: 1000, discountMinor: 200 });
  });

  it('leaves the coupon used when the purchase is refunded: points come back in proportion, the coupon does not', () => {
    const bought = [
      ...HOLDING,
      purchaseRecorded({ transactionId: 'tx2', amountMinor: 800, items: BASKET }),
      couponUsed({ transactionId: 'tx2' }),
      purchaseAccrued('tx2', 8),
    ];
    member
      .given(bought)
      .when(refund({ transactionId: 'tx2', amountMinor: 800 }))
      .thenMatches((events) => expect(events.map((e) => e.type)).toEqual(['PurchaseRefunded', 'PointsClawedBack']));
    member
      .given(bought)
      .when(purchase({ ...buy({ couponCodes: [CODE], amountMinor: 800 }), transactionId: 'tx3', requestHash: 'h-tx3' }))
      .thenThrows('COUPON_NOT_ACTIVE', { status: 'used' });
  });
});

describe('coupons: reversal and expiry', () => {
  it('cancels an active coupon when its redemption is reversed, and gives the points back', () => {
    member
      .given(HOLDING)
      .when(reverse({ redemptionId: 'r1' }))
      .thenMatches((events) => {
        expect(events.map((e) => e.type)).toEqual(['RedemptionReversed', 'CouponCancelled']);
        expect(events[1]).toEqual(couponCancelled());
      });
  });

  it('refuses to reverse a redemption whose coupon was used', () => {
    member
      .given([...HOLDING, couponUsed()])
      .when(reverse({ redemptionId: 'r1' }))
      .thenThrows('COUPON_ALREADY_USED', { redemptionId: 'r1', usedBy: 'tx1' });
  });

  it('gives the points back for an expired coupon, which has nothing left to cancel', () => {
    member
      .given([...HOLDING, couponExpired({ occurredAt: '2026-02-09T09:00:00.000Z' })])
      .when(reverse({ redemptionId: 'r1' }))
      .thenMatches((events) => expect(events.map((e) => e.type)).toEqual(['RedemptionReversed']));
  });

  it('cancels nothing when the reversal comes after the coupon expired but before the daily job recorded it', () => {
    member
      .given(HOLDING)
      .when(reverse({ redemptionId: 'r1', occurredAt: '2026-02-09T09:00:00.000Z' }))
      .thenMatches((events) => expect(events.map((e) => e.type)).toEqual(['RedemptionReversed']));
  });

  it('expires an active coupon at its own expiresAt, once', () => {
    member
      .given(HOLDING)
      .when(settle('2026-03-01T00:00:00.000Z', { program }))
      .then([couponExpired({ occurredAt: '2026-02-09T09:00:00.000Z' })]);
    member.given(HOLDING).when(settle('2026-02-09T08:59:59.999Z', { program })).thenNothing();
    member
      .given([...HOLDING, couponExpired({ occurredAt: '2026-02-09T09:00:00.000Z' })])
      .when(settle('2026-03-01T00:00:00.000Z', { program }))
      .thenNothing();
    member
      .given([...HOLDING, couponUsed()])
      .when(settle('2026-03-01T00:00:00.000Z', { program }))
      .thenNothing();
  });
});

describe('coupons: birthday rewards per tier', () => {
  const TOKYO = 'Asia/Tokyo';
  const tiers = (silver: Partial<TierPolicy>): TierPolicy[] => [
    { name: 'silver', minSpendMinor: 0, multiplierBp: 10_000, ...silver },
    { name: 'gold', minSpendMinor: 100_000, multiplierBp: 15_000 },
  ];
  const withTiers = (silver: Partial<TierPolicy>) => programInForce({ rewards: REWARDS, tiers: tiers(silver), timeZone: TOKYO });
  const birthday = (silver: Partial<TierPolicy>, o: { freshCouponCodes?: string[] } = {}) =>
    settle('2026-03-05T12:00:00.000Z', { birthDate: '1990-03-05', program: withTiers(silver), ...o });

  it('accrues the tier birthday points in place of the program bonus', () => {
    member
      .given(RICH)
      .when(birthday({ birthdayReward: { points: 500 } }))
      .thenMatches((events) =>
        expect(events).toEqual([
          expect.objectContaining({ data: expect.objectContaining({ points: 500, source: 'birthday', reference: 'birthday:2026' }) }),
        ]),
      );
  });

  it('issues a coupon of the catalogue reward, valid to the end of the last local day of its window', () => {
    member
      .given(RICH)
      .when(birthday({ birthdayReward: { rewardId: 'birthday-gift', validDays: 1 } }, { freshCouponCodes: [CODE] }))
      .then([
        couponIssued({
          occurredAt: '2026-03-05T00:00:00.000Z',
          couponId: 'birthday:2026',
          rewardId: 'birthday-gift',
          valueMinor: 500,
          origin: 'birthday',
          reference: 'birthday:2026',
          // The end of 5 March in Tokyo.
          expiresAt: '2026-03-05T15:00:00.000Z',
        }),
      ]);
    expect(birthdayWindowEnd(2026, '1990-03-05', 7, TOKYO)).toBe('2026-03-11T15:00:00.000Z');
  });

  it('awards it once a year, and the program bonus to tiers without a birthday reward', () => {
    const reward = { birthdayReward: { rewardId: 'birthday-gift', validDays: 7 } };
    const year = [
      ...RICH,
      couponIssued({
        occurredAt: '2026-03-05T00:00:00.000Z',
        expiresAt: '2026-03-11T15:00:00.000Z',
        origin: 'birthday',
        reference: 'birthday:2026',
      }),
    ];
    member
      .given(year)
      .when(birthday(reward, { freshCouponCodes: [testCouponCode(2)] }))
      .thenNothing();
    member
      .given(RICH)
      .when(birthday({}))
      .thenMatches((events) => expect(events).toMatchObject([{ data: { points: 200, source: 'birthday' } }]));
  });

  it('refuses a birthday reward that names no coupon reward, or a window out of range', () => {
    const problems = policyProblems(
      policy({ rewards: REWARDS, tiers: tiers({ birthdayReward: { rewardId: 'free-coffee', validDays: 0 } }) }),
    );
    expect(problems).toEqual([
      'tier silver: birthdayReward.rewardId must name a coupon reward of the catalogue',
      'tier silver: birthdayReward.validDays must be an integer from 1 to 366',
    ]);
    expect(policyProblems(policy({ tiers: tiers({ birthdayReward: { points: 0 } }) }))).toEqual([
      'tier silver: birthdayReward.points must be a positive integer',
    ]);
  });
});

describe('coupons: a tier upgrade reward', () => {
  const withUpgrade = programInForce({
    rewards: REWARDS,
    tiers: [
      { name: 'silver', minSpendMinor: 0, multiplierBp: 10_000 },
      { name: 'gold', minSpendMinor: 100_000, multiplierBp: 15_000, upgradeReward: { rewardId: 'two-off' } },
    ],
  });
  const crossing = purchase({ transactionId: 'tx2', amountMinor: 60_000, program: withUpgrade, freshCouponCodes: [CODE] });

  it('issues a coupon of the tier reward with the purchase that reaches the tier, dated at the upgrade', () => {
    member
      .given(RICH)
      .when(crossing)
      .thenMatches((events) => {
        expect(events.map((e) => e.type)).toEqual(['PurchaseRecorded', 'PointsAccrued', 'TierChanged', 'CouponIssued']);
        expect(events[3]).toEqual(
          couponIssued({ couponId: 'tier:purchase:tx2:gold', origin: 'tier', reference: 'purchase:tx2:gold', requestHash: undefined }),
        );
      });
  });

  it('issues one for an admin raising the tier, none for lowering it, and needs a fresh code', () => {
    const up = changeTier({ tier: 'gold', program: withUpgrade, freshCouponCodes: [CODE] });
    member
      .given(RICH)
      .when(up)
      .thenMatches((events) => expect(events.map((e) => e.type)).toEqual(['TierChanged', 'CouponIssued']));
    const gold = [...RICH, tierChanged({ from: 'silver', to: 'gold', qualifyingSpendMinor: 100_000 })];
    member
      .given(gold)
      .when(changeTier({ tier: 'silver', program: withUpgrade, freshCouponCodes: [CODE] }))
      .thenMatches((events) => expect(events.map((e) => e.type)).toEqual(['TierChanged']));
    member
      .given(RICH)
      .when({ ...crossing, freshCouponCodes: [] })
      .thenThrows('COUPON_CODE_MISSING');
  });

  it('must name a coupon reward of the catalogue', () => {
    const tiers = [{ name: 'silver', minSpendMinor: 0, multiplierBp: 10_000, upgradeReward: { rewardId: 'free-coffee' } }];
    expect(policyProblems(policy({ rewards: REWARDS, tiers }))).toEqual([
      'tier silver: upgradeReward.rewardId must name a coupon reward of the catalogue',
    ]);
  });
});

describe('coupons: an earning rule whose effect is a coupon', () => {
  const withRule = programInForce({
    rewards: REWARDS,
    earning: {
      ...policy().earning,
      rules: [{ ruleId: 'spend-50', when: { minBasketMinor: 5000 }, effect: { coupon: { rewardId: 'two-off' } }, cap: {} }],
    },
  });
  const big = (o: Parameters<typeof purchase>[0] = {}) =>
    purchase({ transactionId: 'tx2', amountMinor: 6000, program: withRule, freshCouponCodes: [CODE], ...o });
  const given = couponIssued({ couponId: 'offer:spend-50:tx2', origin: 'offer', reference: 'tx2' });
  const bought = [...RICH, purchaseRecorded({ transactionId: 'tx2', amountMinor: 6000 }), purchaseAccrued('tx2', 60), given];

  it('issues a coupon of the rule reward with each purchase the rule applies to, and none otherwise', () => {
    member
      .given(RICH)
      .when(big())
      .thenMatches((events) => {
        expect(events.map((e) => e.type)).toEqual(['PurchaseRecorded', 'PointsAccrued', 'CouponIssued']);
        expect(events[2]).toEqual(given);
      });
    member
      .given(RICH)
      .when(big({ amountMinor: 4999 }))
      .thenMatches((events) => expect(events.map((e) => e.type)).toEqual(['PurchaseRecorded', 'PointsAccrued']));
  });

  it('cancels the coupon, while active, when the whole purchase is refunded; a partial refund or a used coupon keeps it', () => {
    member
      .given(bought)
      .when(refund({ transactionId: 'tx2', amountMinor: 6000, program: withRule }))
      .thenMatches((events) =>
        expect(events).toContainEqual(couponCancelled({ couponId: 'offer:spend-50:tx2', reason: 'refund', reference: 'rf1' })),
      );
    member
      .given(bought)
      .when(refund({ transactionId: 'tx2', amountMinor: 5999, program: withRule }))
      .thenMatches((events) => expect(events.map((e) => e.type)).not.toContain('CouponCancelled'));
    member
      .given([...bought, couponUsed({ transactionId: 'tx3' })])
      .when(refund({ transactionId: 'tx2', amountMinor: 6000, program: withRule }))
      .thenMatches((events) => expect(events.map((e) => e.type)).not.toContain('CouponCancelled'));
  });

  it('must name a coupon reward of the catalogue', () => {
    const rules = [{ ruleId: 'bad', when: {}, effect: { coupon: { rewardId: 'free-coffee' } }, cap: {} }];
    expect(policyProblems(policy({ rewards: REWARDS, earning: { ...policy().earning, rules } }))).toEqual([
      'earning rule bad: effect.coupon.rewardId must name a coupon reward of the catalogue',
    ]);
  });
});

describe('coupon codes', () => {
  it('carry at least 64 random bits and read back whatever the case, dashes, spaces and look-alikes', () => {
    expect(COUPON_CODE_BITS).toBeGreaterThanOrEqual(64);
    const code = couponCodeOf([0, 1, 18, 31, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(code).toBe('01JZ-4567-89AB-CDEF');
    expect(normaliseCouponCode(' oij z4567 89ab-cdef ')).toBe(code);
    expect(normaliseCouponCode('01JZ-4567-89AB-CDEU')).toBeUndefined();
    expect(normaliseCouponCode('01JZ-4567-89AB')).toBeUndefined();
  });
});

function withoutUndefined<E extends MemberEvent>(event: E): E {
  return JSON.parse(JSON.stringify(event)) as E;
}
