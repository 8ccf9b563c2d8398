import {
  basisPointsToMultiplier,
  DEFAULT_TIME_ZONE,
  multiplierToBasisPoints,
  normaliseInstant,
  ProgramPolicy,
  programTimeZone,
  SegmentCriterion,
  tierRulesOf,
} from '@loyalty/domain';
import { toExpiryPolicy } from './expiry.dto';
import { fromRewardPolicy, toRewardPolicy } from './rewards.dto';
import { fromPlan, toPlan } from './plans.dto';
import { ProgramDto } from './program.dto';
import { tierPolicyOf } from './tiers.dto';
import { toBirthdayReward } from '../coupons/birthday-reward.dto';
import { toCouponRewardRef } from '../coupons/upgrade-reward.dto';
import { fromEarningRule, toEarningRule } from './earning-rules.dto';
import { dropNullFields } from '../http/null-fields';

/** The HTTP shape (multipliers as 1.5) to the ledger's (basis points), and back. Validation ran first. */
export function toPolicy(given: ProgramDto): ProgramPolicy {
  const dto = dropNullFields(given);
  const bp = (m: number) => multiplierToBasisPoints(m)!;
  const e = dto.earning;
  return {
    currency: dto.currency,
    pointValueMinor: dto.pointValueMinor,
    earning: {
      pointsPerUnit: e.pointsPerUnit,
      unitMinor: e.unitMinor,
      categoryMultipliersBp: Object.fromEntries(Object.entries(e.categoryMultipliers ?? {}).map(([k, v]) => [k, bp(v)])),
      welcomeBonus: e.welcomeBonus ?? 0,
      birthdayBonus: e.birthdayBonus ?? 0,
      referralBonus: { referrer: e.referralBonus?.referrer ?? 0, referee: e.referralBonus?.referee ?? 0 },
      actionBonuses: { ...(e.actionBonuses ?? {}) },
      actionCaps: Object.fromEntries(
        Object.entries(e.actionCaps ?? {}).map(([k, c]) => [k, { maxPerPeriod: c.maxPerPeriod, periodDays: c.periodDays }]),
      ),
      ...(e.rules && { rules: e.rules.map(toEarningRule) }),
    },
    pendingDays: dto.pendingDays,
    expiryMonths: dto.expiryMonths,
    ...(dto.expiry && { expiry: toExpiryPolicy(dto.expiry) }),
    tiers: (dto.tiers ?? []).map((t) => ({
      name: t.name,
      ...(t.minSpendMinor !== undefined && { minSpendMinor: t.minSpendMinor }),
      ...(t.minPoints !== undefined && { minPoints: t.minPoints }),
      ...(t.minPurchases !== undefined && { minPurchases: t.minPurchases }),
      multiplierBp: bp(t.multiplier),
      ...(t.expiry && { expiry: toExpiryPolicy(t.expiry) }),
      ...(t.birthdayReward && { birthdayReward: toBirthdayReward(t.birthdayReward) }),
      ...(t.upgradeReward && { upgradeReward: toCouponRewardRef(t.upgradeReward) }),
    })),
    rewards: (dto.rewards ?? []).map(toRewardPolicy),
    // Absent lists stay absent, so a configuration written before offers existed compares equal (PUT stays idempotent).
    ...(dto.offers && {
      offers: dto.offers.map((o) => ({
        offerId: o.offerId,
        startsAt: normaliseInstant(o.startsAt),
        endsAt: normaliseInstant(o.endsAt),
        multiplierBp: o.multiplier === undefined ? null : bp(o.multiplier),
        bonusPoints: o.bonusPoints ?? null,
        criteria: (o.criteria as unknown as SegmentCriterion | undefined) ?? null,
        boughtSkus: o.boughtSkus ?? [],
        boughtCategories: o.boughtCategories ?? [],
        pointsBudget: o.pointsBudget ?? null,
      })),
    }),
    ...(dto.experiments && {
      experiments: dto.experiments.map((e) => ({
        experimentId: e.experimentId,
        startsAt: normaliseInstant(e.startsAt),
        endsAt: e.endsAt ? normaliseInstant(e.endsAt) : null,
        variants: e.variants.map((v) => ({ name: v.name, weightPercent: v.weightPercent, pointsPerUnit: v.pointsPerUnit })),
      })),
    }),
    // UTC is the default: naming it keeps the configuration equal to one that does not.
    ...(dto.timeZone !== undefined && dto.timeZone !== DEFAULT_TIME_ZONE && { timeZone: dto.timeZone }),
    ...tierPolicyOf(dto.tierPolicy),
    ...(dto.plans && dto.plans.length > 0 && { plans: dto.plans.map(toPlan) }),
  };
}

export function fromPolicy(policy: ProgramPolicy) {
  const m = basisPointsToMultiplier;
  return {
    currency: policy.currency,
    pointValueMinor: policy.pointValueMinor,
    earning: {
      ...policy.earning,
      categoryMultipliersBp: undefined,
      categoryMultipliers: Object.fromEntries(Object.entries(policy.earning.categoryMultipliersBp).map(([k, v]) => [k, m(v)])),
      rules: policy.earning.rules?.map(fromEarningRule),
    },
    pendingDays: policy.pendingDays,
    expiryMonths: policy.expiryMonths,
    expiry: policy.expiry,
    tiers: policy.tiers.map(({ multiplierBp, ...t }) => ({ ...t, multiplier: m(multiplierBp) })),
    tierPolicy: tierRulesOf(policy),
    rewards: policy.rewards.map(fromRewardPolicy),
    offers: policy.offers?.map(({ multiplierBp, ...o }) => ({ ...o, multiplier: multiplierBp === null ? null : m(multiplierBp) })),
    experiments: policy.experiments,
    timeZone: programTimeZone(policy),
    plans: (policy.plans ?? []).map(fromPlan),
  };
}
