import fc from 'fast-check';
import { MemberCommand } from '../member/commands';
import { ACTIVITY_KINDS, ExpiryPolicy } from '../expiry/expiry';
import { policy, programInForce } from './fixtures';
import {
  action,
  adjust,
  changeTier,
  enrol,
  issueCoupon,
  purchase,
  receive,
  redeem,
  refund,
  reverse,
  settle,
  transfer,
} from './member-commands';
import type { CatalogueReward } from '../rewards/rewards';
import { TierRules } from '../tiers/tier-policy';

/**
 * Random member histories for property tests: a command plan over a year and
 * a half, with times moving forward, refunds and reversals pointing at
 * earlier ids (or at ids that do not exist, to exercise refusals).
 */
const START_MS = Date.parse('2025-01-01T00:00:00Z');
const HOUR_MS = 3_600_000;
export const RECEIVED_AT = '2030-01-01T00:00:00.000Z';
/** Known to the settlement handler from the sealed personal data; here, as the handler would pass it. */
const BIRTH_DATE = '1990-06-15';

/** One coupon reward of each kind, and one only rules or an admin give (never sold for points). */
const COUPON_REWARDS: readonly CatalogueReward[] = [
  { rewardId: 'two-off', points: 60, kind: 'amountOff', valueMinor: 200, validDays: 30 },
  { rewardId: 'ten-percent', points: 150, kind: 'percentOff', percent: 10, validDays: 60 },
  { rewardId: 'free-cookie', points: 90, kind: 'freeProduct', sku: 'cookie', validDays: 14 },
  { rewardId: 'gift-cookie', points: 0, kind: 'freeProduct', sku: 'cookie', validDays: 7, redeemable: false },
];
/** The catalogue of every generated history's program: a store that configures its own program uses it too, to value coupons alike. */
export const ARBITRARY_REWARDS: readonly CatalogueReward[] = [...policy().rewards, ...COUPON_REWARDS];
/** Priced so that any coupon leaves at least half the basket, which is what a coupon purchase pays. */
const COOKIE_PRICE_MINOR = 300;

type Step =
  | { kind: 'purchase'; amountMinor: number; coffeeShare: number }
  | { kind: 'redeemCoupon'; reward: number }
  | { kind: 'issueCoupon'; reward: number }
  | { kind: 'useCoupon'; target: number; basketMinor: number }
  | { kind: 'redeem'; points: number }
  | { kind: 'refund'; target: number; share: number }
  | { kind: 'reverse'; target: number }
  | { kind: 'settle' }
  | { kind: 'action'; type: 'review' | 'survey' }
  | { kind: 'adjust'; points: number }
  | { kind: 'transferOut'; points: number }
  | { kind: 'transferIn'; points: number; expiresInDays: number | null }
  | { kind: 'changeTier'; tier: number; untilDays: number | null };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('purchase' as const),
      amountMinor: fc.integer({ min: 0, max: 250_000 }),
      coffeeShare: fc.integer({ min: 0, max: 100 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('redeem' as const), points: fc.integer({ min: 1, max: 800 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('refund' as const), target: fc.nat(), share: fc.integer({ min: 1, max: 100 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reverse' as const), target: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('settle' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('action' as const), type: fc.constantFrom('review' as const, 'survey' as const) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('adjust' as const), points: fc.integer({ min: -300, max: 300 }).filter((p) => p !== 0) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('transferOut' as const), points: fc.integer({ min: 1, max: 300 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('transferIn' as const),
      points: fc.integer({ min: 1, max: 300 }),
      expiresInDays: fc.option(fc.integer({ min: -30, max: 400 })),
    }),
  },
);

export const memberPlan = fc.record({
  pendingDays: fc.constantFrom(0, 14),
  expiryMonths: fc.constantFrom(0, 3, 12),
  steps: fc.array(fc.tuple(step, fc.integer({ min: 1, max: 24 * 20 })), { minLength: 1, maxLength: 60 }),
});

/** Coupons bought with points, given by an admin, and used by purchases (often a code that is no longer usable, to exercise refusals). */
const couponStep: fc.Arbitrary<Step> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('redeemCoupon' as const), reward: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('issueCoupon' as const), reward: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('useCoupon' as const),
      target: fc.nat(),
      basketMinor: fc.integer({ min: 1_000, max: 50_000 }),
    }),
  },
);

/** memberPlan with coupons besides: bought with points, given by an admin, used by purchases. */
export const memberPlanWithCoupons: fc.Arbitrary<MemberPlan> = fc.record({
  pendingDays: fc.constantFrom(0, 14),
  expiryMonths: fc.constantFrom(0, 3, 12),
  steps: fc.array(
    fc.tuple(fc.oneof({ weight: 3, arbitrary: step }, { weight: 1, arbitrary: couponStep }), fc.integer({ min: 1, max: 24 * 20 })),
    {
      minLength: 1,
      maxLength: 60,
    },
  ),
});

const expiryPolicy: fc.Arbitrary<ExpiryPolicy> = fc.oneof(
  fc.constant({ kind: 'never' as const }),
  fc.record({
    kind: fc.constant('afterEarning' as const),
    months: fc.constantFrom(1, 3, 12),
    roundTo: fc.constantFrom('month' as const, 'quarter' as const, 'year' as const),
  }),
  fc.record({
    kind: fc.constant('inactivity' as const),
    months: fc.constantFrom(1, 2, 6),
    activities: fc.subarray([...ACTIVITY_KINDS], { minLength: 1 }),
  }),
);

/** Plans under every kind of expiry policy, in a zone of its own, and (maybe) another one for gold members. */
export const memberPlanUnderExpiry = fc.record({
  pendingDays: fc.constantFrom(0, 14),
  expiryMonths: fc.constant(0),
  expiry: expiryPolicy,
  goldExpiry: fc.option(expiryPolicy, { nil: undefined }),
  timeZone: fc.constantFrom('UTC', 'America/New_York', 'Asia/Kolkata'),
  steps: memberPlan.map((p) => p.steps),
});

const tierRules: fc.Arbitrary<TierRules> = fc.record({
  qualifyBy: fc.constantFrom('spend' as const, 'points' as const, 'purchases' as const),
  window: fc.oneof(
    fc.record({ kind: fc.constant('rolling' as const), months: fc.constantFrom(1, 6, 12) }),
    fc.constant({ kind: 'calendarYear' as const }),
  ),
  status: fc.oneof(
    fc.record({ kind: fc.constant('review' as const), months: fc.constantFrom(3, 12) }),
    fc.record({ kind: fc.constant('months' as const), months: fc.constantFrom(1, 6, 12) }),
    fc.record({ kind: fc.constant('calendarYears' as const), years: fc.constantFrom(1, 2) }),
  ),
  downgrade: fc.constantFrom('toQualified' as const, 'oneTier' as const),
});

const changeTierStep = fc.record({
  kind: fc.constant('changeTier' as const),
  tier: fc.nat({ max: 3 }),
  untilDays: fc.option(fc.integer({ min: 1, max: 400 }), { nil: null }),
});

/** Three tiers with a threshold in every unit, so any tier policy reads them. */
const TIERED = [
  { name: 'silver', minSpendMinor: 0, minPoints: 0, minPurchases: 0, multiplierBp: 10_000 },
  { name: 'gold', minSpendMinor: 50_000, minPoints: 500, minPurchases: 3, multiplierBp: 15_000 },
  { name: 'platinum', minSpendMinor: 200_000, minPoints: 2_000, minPurchases: 8, multiplierBp: 20_000 },
];

/** Plans under every kind of tier policy, in a zone of their own, with manual tier changes (a tier index past the last is unknown). */
export const memberPlanUnderTierPolicy = fc.record({
  pendingDays: fc.constantFrom(0, 14),
  expiryMonths: fc.constantFrom(0, 12),
  tierPolicy: tierRules,
  timeZone: fc.constantFrom('UTC', 'America/Los_Angeles'),
  steps: fc.array(
    fc.tuple(fc.oneof({ weight: 9, arbitrary: step }, { weight: 1, arbitrary: changeTierStep }), fc.integer({ min: 1, max: 24 * 20 })),
    {
      minLength: 1,
      maxLength: 60,
    },
  ),
});

export type MemberPlan = typeof memberPlan extends fc.Arbitrary<infer T> ? T : never;
type ExpiryPlan = typeof memberPlanUnderExpiry extends fc.Arbitrary<infer T> ? T : never;
type TierPlan = typeof memberPlanUnderTierPolicy extends fc.Arbitrary<infer T> ? T : never;

function programOf(plan: MemberPlan | ExpiryPlan | TierPlan) {
  if ('tierPolicy' in plan) {
    const { pendingDays, expiryMonths, tierPolicy, timeZone } = plan;
    return programInForce({ pendingDays, expiryMonths, tierPolicy, timeZone, tiers: TIERED, rewards: [...ARBITRARY_REWARDS] });
  }
  if (!('expiry' in plan)) {
    return programInForce({ pendingDays: plan.pendingDays, expiryMonths: plan.expiryMonths, rewards: [...ARBITRARY_REWARDS] });
  }
  const tiers = policy().tiers.map((t) => (t.name === 'gold' && plan.goldExpiry ? { ...t, expiry: plan.goldExpiry } : t));
  return programInForce({
    pendingDays: plan.pendingDays,
    expiryMonths: 0,
    expiry: plan.expiry,
    timeZone: plan.timeZone,
    tiers,
    rewards: [...ARBITRARY_REWARDS],
  });
}

/** Turns a plan into commands for one member; `memberId` lets several members share one store. */
export function commandsOf(plan: MemberPlan | ExpiryPlan | TierPlan, memberId = 'm1'): MemberCommand[] {
  const program = programOf(plan);
  let at = START_MS;
  const iso = () => new Date(at).toISOString();
  const common = () => ({ memberId, occurredAt: iso(), receivedAt: RECEIVED_AT, program });
  const purchases: Array<{ id: string; amountMinor: number }> = [];
  const redemptions: string[] = [];
  /** Codes of coupons asked for; a use may name one that was refused, used, expired or cancelled, to exercise refusals. */
  const couponCodes: string[] = [];
  const couponReward = (n: number) => COUPON_REWARDS[n % COUPON_REWARDS.length]!.rewardId;
  const commands: MemberCommand[] = [enrol({ ...common(), personalData: null, requestHash: `enrol-${memberId}` })];
  plan.steps.forEach(([s, hours], i) => {
    at += hours * HOUR_MS;
    const id = `${memberId}-${i}`;
    switch (s.kind) {
      case 'purchase': {
        const coffeeMinor = Math.floor((s.amountMinor * s.coffeeShare) / 100);
        const items = coffeeMinor > 0 ? [{ sku: 'latte', category: 'coffee', quantity: 1, unitPriceMinor: coffeeMinor }] : [];
        purchases.push({ id, amountMinor: s.amountMinor });
        return void commands.push(purchase({ ...common(), transactionId: id, amountMinor: s.amountMinor, items, requestHash: `h-${id}` }));
      }
      case 'redeem':
        redemptions.push(id);
        return void commands.push(redeem({ ...common(), redemptionId: id, points: s.points, requestHash: `h-${id}` }));
      case 'redeemCoupon': {
        redemptions.push(id);
        couponCodes.push(`CPN-${id}`);
        const rewardId = couponReward(s.reward);
        return void commands.push(
          redeem({ ...common(), redemptionId: id, points: null, rewardId, couponCode: `CPN-${id}`, requestHash: `h-${id}` }),
        );
      }
      case 'issueCoupon':
        couponCodes.push(`CPN-${id}`);
        return void commands.push(
          issueCoupon({ ...common(), couponId: id, rewardId: couponReward(s.reward), code: `CPN-${id}`, requestHash: `h-${id}` }),
        );
      case 'useCoupon': {
        const code = couponCodes[s.target % Math.max(couponCodes.length, 1)] ?? 'CPN-missing';
        const items = [
          { sku: 'cookie', category: 'food', quantity: 1, unitPriceMinor: COOKIE_PRICE_MINOR },
          { sku: 'bag', category: 'goods', quantity: 1, unitPriceMinor: s.basketMinor },
        ];
        const amountMinor = Math.floor(s.basketMinor / 2);
        purchases.push({ id, amountMinor });
        return void commands.push(
          purchase({ ...common(), transactionId: id, amountMinor, items, couponCodes: [code], requestHash: `h-${id}` }),
        );
      }
      case 'refund': {
        const target = purchases[s.target % Math.max(purchases.length, 1)];
        const amountMinor = Math.max(1, Math.floor(((target?.amountMinor ?? 1) * s.share) / 100));
        return void commands.push(
          refund({ ...common(), transactionId: target?.id ?? 'missing', refundId: id, amountMinor, requestHash: `h-${id}` }),
        );
      }
      case 'reverse':
        return void commands.push(
          reverse({ ...common(), redemptionId: redemptions[s.target % Math.max(redemptions.length, 1)] ?? 'missing' }),
        );
      case 'settle':
        return void commands.push(settle(iso(), { ...common(), asOf: iso(), birthDate: BIRTH_DATE }));
      case 'action':
        return void commands.push(action({ ...common(), actionId: id, actionType: s.type, requestHash: `h-${id}` }));
      case 'adjust':
        return void commands.push(adjust({ ...common(), adjustmentId: id, points: s.points, requestHash: `h-${id}` }));
      case 'transferOut':
        return void commands.push(
          transfer({ ...common(), transferId: id, toMemberId: `${memberId}-friend`, points: s.points, requestHash: `h-${id}` }),
        );
      case 'transferIn': {
        const expiresAt = s.expiresInDays === null ? null : new Date(at + s.expiresInDays * 24 * HOUR_MS).toISOString();
        return void commands.push(
          receive({
            ...common(),
            transferId: `in-${id}`,
            fromMemberId: 'someone',
            points: s.points,
            lots: [{ lotId: 'x', points: s.points, expiresAt }],
            requestHash: `in-${id}`,
          }),
        );
      }
      case 'changeTier': {
        const until = s.untilDays === null ? null : new Date(at + s.untilDays * 24 * HOUR_MS).toISOString();
        const tier = TIERED[s.tier]?.name ?? 'unknown';
        return void commands.push(changeTier({ ...common(), changeId: id, tier, until, requestHash: `h-${id}` }));
      }
    }
  });
  return commands;
}
