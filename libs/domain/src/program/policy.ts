import type { ExperimentPolicy } from '../experiments/experiments';
import type { OfferPolicy } from '../offers/offers';
import type { TierRules } from '../tiers/tier-policy';
import type { EarningRule } from '../earning/rules';
import type { ExpiryPolicy, TierExpiry } from '../expiry/expiry';
import type { MembershipPlan } from '../memberships/plans';
import type { CatalogueReward } from '../rewards/rewards';
import type { BirthdayReward } from '../coupons/birthday';
import type { TierUpgradeReward } from '../coupons/rule-coupons';

/** A program's rules as the ledger stores them: integers only, multipliers in basis points. */
export interface TierPolicy extends TierExpiry {
  readonly name: string;
  /** Thresholds in the unit tierPolicy.qualifyBy names; each tier carries that one (spend: minSpendMinor). */
  readonly minSpendMinor?: number;
  readonly minPoints?: number;
  readonly minPurchases?: number;
  readonly multiplierBp: number;
  /** Replaces earning.birthdayBonus for this tier's members (coupons/birthday.ts); absent: the program's bonus. */
  readonly birthdayReward?: BirthdayReward;
  /** A coupon for every member who reaches this tier (coupons/rule-coupons.ts); absent: none. */
  readonly upgradeReward?: TierUpgradeReward;
}

/** A catalogue reward and its optional terms (docs/programs/rewards.md). */
export type RewardPolicy = CatalogueReward;

export interface EarningPolicy {
  readonly pointsPerUnit: number;
  readonly unitMinor: number;
  readonly categoryMultipliersBp: Readonly<Record<string, number>>;
  readonly welcomeBonus: number;
  readonly birthdayBonus: number;
  readonly referralBonus: { readonly referrer: number; readonly referee: number };
  readonly actionBonuses: Readonly<Record<string, number>>;
  /** Optional cap per action type: at most maxPerPeriod bonuses in any periodDays window. */
  readonly actionCaps: Readonly<Record<string, ActionCap>>;
  /** Earning rules (docs/programs/earning-rules.md); absent in configurations written before they existed. */
  readonly rules?: readonly EarningRule[];
}

export interface ActionCap {
  readonly maxPerPeriod: number;
  readonly periodDays: number;
}

export interface ProgramPolicy {
  readonly currency: string;
  readonly pointValueMinor: number;
  readonly earning: EarningPolicy;
  /** 0: points are available at once. */
  readonly pendingDays: number;
  /** 0: points never expire. */
  readonly expiryMonths: number;
  /** How points expire (docs/programs/expiry.md); absent: as expiryMonths says. Tiers may override it. */
  readonly expiry?: ExpiryPolicy;
  /** Sorted by threshold ascending; the first has threshold 0 when any exist. */
  readonly tiers: readonly TierPolicy[];
  /** How tiers qualify and are kept (docs/programs/tiers.md); absent: net spend over a rolling 12 months, reviewed yearly. */
  readonly tierPolicy?: TierRules;
  readonly rewards: readonly RewardPolicy[];
  /** Targeted offers (absent in configurations written before offers existed). */
  readonly offers?: readonly OfferPolicy[];
  /** Earning-rate experiments; at most one runs at any instant. */
  readonly experiments?: readonly ExperimentPolicy[];
  /** The program's local time (IANA name) for calendar days, months and years; absent: UTC. */
  readonly timeZone?: string;
  /** Paid membership plans (docs/programs/memberships.md); absent: none. */
  readonly plans?: readonly MembershipPlan[];
}

export const DEFAULT_TIME_ZONE = 'UTC';

/** The zone a program's calendar rules read local time in. */
export const programTimeZone = (policy: ProgramPolicy): string => policy.timeZone ?? DEFAULT_TIME_ZONE;

/** Limits on a configuration, so one PUT cannot create an unbounded rule set. */
export const PROGRAM_LIMITS = {
  tiersMax: 20,
  rewardsMax: 1000,
  categoryMultipliersMax: 1000,
  actionBonusesMax: 100,
  pendingDaysMax: 365,
  expiryMonthsMax: 120,
  multiplierBpMax: 1_000_000,
  pointsMax: 1_000_000_000,
  minorMax: 1_000_000_000_000,
} as const;
