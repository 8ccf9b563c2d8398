import { rejected } from '../values/errors';
import { Instant, toMillis } from '../values/time';
import { startOfPeriod } from '../values/zoned-time';
import type { ReservationRequest } from '../budgets/budgets';
import type { RedeemPoints } from '../member/commands';
import type { MemberEvent } from '../member/events';
import { MemberState, membershipsActiveAt } from '../member/state';
import { effectiveTier, plansAllow } from '../memberships/benefits';
import { ProgramPolicy, programTimeZone } from '../program/policy';
import { builtinSegments, DEFAULT_SEGMENT_THRESHOLDS, SegmentDefinition } from '../segments/builtins';
import { SegmentCriterion } from '../segments/criteria';
import { matchesCriterion } from '../segments/evaluate';
import { memberFactsOf } from '../segments/member-facts';

export const REWARD_KINDS = ['points', 'amountOff', 'percentOff', 'freeProduct'] as const;
export type RewardKind = (typeof REWARD_KINDS)[number];
export const REWARD_LIMIT_PERIODS = ['day', 'month', 'year'] as const;
export type RewardLimitPeriod = (typeof REWARD_LIMIT_PERIODS)[number];

export const REWARD_LIMITS = {
  percentMax: 100,
  validDaysMax: 3650,
  limitCountMax: 1_000_000,
  stockMax: 1_000_000_000,
  skuLengthMax: 100,
} as const;

/** At most `count` redemptions per member, in each calendar `period` of the program's zone, or ever when period is absent. */
export interface RewardLimit {
  readonly count: number;
  readonly period?: RewardLimitPeriod;
}

/** The optional terms of a catalogue reward; each absent term leaves the reward as configurations before them meant it. */
export interface RewardTerms {
  /** Absent: 'points', a redemption that only debits the reward's points. */
  readonly kind?: RewardKind;
  readonly valueMinor?: number;
  readonly percent?: number;
  readonly sku?: string;
  /** Tier names allowed to redeem it; absent: every tier. */
  readonly tiers?: readonly string[];
  /** Plans (planIds) one of whose memberships the member must hold, active, at the redemption; absent: every member. */
  readonly plans?: readonly string[];
  /** A segment (built-in or custom) the member must be in at the redemption; absent: every member. */
  readonly segment?: string;
  /** The segment's criteria, copied in at configuration (resolveRewardSegments), so a reward means what it meant when written. */
  readonly segmentCriteria?: SegmentCriterion;
  readonly limitPerMember?: RewardLimit;
  /** Redemptions the program will ever grant, across all members; absent: unlimited. */
  readonly stock?: number;
  /** How long the coupon a non-points reward issues stays valid, in days from its issue; absent: DEFAULT_COUPON_VALID_DAYS. */
  readonly validDays?: number;
  /** false: a coupon only the program's rules or an admin give, never bought with points (its points may then be 0); absent: true. */
  readonly redeemable?: boolean;
  readonly startsAt?: Instant;
  readonly endsAt?: Instant;
}

export interface CatalogueReward extends RewardTerms {
  readonly rewardId: string;
  readonly points: number;
}

export function rewardTermsProblems(reward: CatalogueReward, tierNames: ReadonlySet<string>, planIds: ReadonlySet<string>): string[] {
  const at = `reward ${reward.rewardId}`;
  const problems: string[] = [];
  const kind = reward.kind ?? 'points';
  if (!REWARD_KINDS.includes(kind)) problems.push(`${at}: kind must be one of ${REWARD_KINDS.join(', ')}`);
  if (kind === 'amountOff' && !(reward.valueMinor !== undefined && reward.valueMinor >= 1))
    problems.push(`${at}: an amountOff reward needs valueMinor of at least 1`);
  if (kind === 'percentOff' && !(reward.percent !== undefined && reward.percent >= 1 && reward.percent <= REWARD_LIMITS.percentMax)) {
    problems.push(`${at}: a percentOff reward needs a percent from 1 to ${REWARD_LIMITS.percentMax}`);
  }
  if (kind === 'freeProduct' && !reward.sku) problems.push(`${at}: a freeProduct reward needs a sku`);
  if (reward.redeemable === false && kind === 'points') problems.push(`${at}: only a coupon reward can be redeemable: false`);
  for (const tier of reward.tiers ?? []) if (!tierNames.has(tier)) problems.push(`${at}: tier ${tier} is not one of the program's tiers`);
  if (reward.tiers !== undefined && reward.tiers.length === 0) problems.push(`${at}: tiers, when given, names at least one tier`);
  for (const plan of reward.plans ?? []) if (!planIds.has(plan)) problems.push(`${at}: plan ${plan} is not one of the program's plans`);
  if (reward.plans !== undefined && reward.plans.length === 0) problems.push(`${at}: plans, when given, names at least one plan`);
  if (reward.segment !== undefined && !segmentCriteriaOf(reward)) problems.push(`${at}: no segment ${reward.segment}`);
  const limit = reward.limitPerMember;
  if (limit && !(Number.isSafeInteger(limit.count) && limit.count >= 1 && limit.count <= REWARD_LIMITS.limitCountMax)) {
    problems.push(`${at}: limitPerMember.count must be an integer from 1 to ${REWARD_LIMITS.limitCountMax}`);
  }
  if (limit?.period !== undefined && !REWARD_LIMIT_PERIODS.includes(limit.period)) {
    problems.push(`${at}: limitPerMember.period must be one of ${REWARD_LIMIT_PERIODS.join(', ')}`);
  }
  if (reward.stock !== undefined && !(Number.isSafeInteger(reward.stock) && reward.stock >= 0 && reward.stock <= REWARD_LIMITS.stockMax)) {
    problems.push(`${at}: stock must be an integer from 0 to ${REWARD_LIMITS.stockMax}`);
  }
  if (reward.startsAt !== undefined && reward.endsAt !== undefined && toMillis(reward.startsAt) >= toMillis(reward.endsAt)) {
    problems.push(`${at}: startsAt must be before endsAt`);
  }
  return problems;
}

/**
 * Refuses a redemption the reward's terms do not allow at the command's
 * instant; a reward without terms allows every one. Tiers are judged on the
 * effective tier (a membership may raise it).
 */
export function assertRewardRedeemable(reward: CatalogueReward, state: MemberState, occurredAt: Instant, policy: ProgramPolicy): void {
  const timeZone = programTimeZone(policy);
  const details = { rewardId: reward.rewardId };
  if (reward.redeemable === false) {
    throw rejected('REWARD_NOT_AVAILABLE', `reward ${reward.rewardId} is only given by the program's rules or an admin, never for points`, {
      ...details,
      redeemable: false,
    });
  }
  if (!withinWindow(reward, occurredAt)) {
    throw rejected('REWARD_NOT_AVAILABLE', `reward ${reward.rewardId} is not available at ${occurredAt}`, {
      ...details,
      startsAt: reward.startsAt ?? null,
      endsAt: reward.endsAt ?? null,
    });
  }
  const active = membershipsActiveAt(state, occurredAt);
  const tier = effectiveTier(policy.tiers, state.tier, active);
  if (reward.tiers && !(tier !== null && reward.tiers.includes(tier))) {
    throw rejected('REWARD_NOT_ELIGIBLE', `reward ${reward.rewardId} is reserved to the tiers ${reward.tiers.join(', ')}`, {
      ...details,
      tiers: reward.tiers,
      tier,
    });
  }
  if (!plansAllow(reward, active)) {
    throw rejected('REWARD_NOT_ELIGIBLE', `reward ${reward.rewardId} is reserved to members of the plans ${reward.plans?.join(', ')}`, {
      ...details,
      plans: reward.plans,
    });
  }
  const segment = segmentCriteriaOf(reward);
  const facts = segment && memberFactsOf(state);
  if (segment && !(facts && matchesCriterion(segment, facts, occurredAt))) {
    throw rejected('REWARD_NOT_ELIGIBLE', `reward ${reward.rewardId} is reserved to the segment ${reward.segment}`, {
      ...details,
      segment: reward.segment,
    });
  }
  const limit = reward.limitPerMember;
  if (limit && redemptionsCounted(reward.rewardId, limit, state, occurredAt, timeZone) >= limit.count) {
    throw rejected(
      'REWARD_LIMIT_REACHED',
      `reward ${reward.rewardId} may be redeemed ${limit.count} times ${limit.period ? `a ${limit.period}` : 'in all'}`,
      {
        ...details,
        count: limit.count,
        period: limit.period ?? null,
      },
    );
  }
}

const BUILTIN_SEGMENTS: ReadonlyMap<string, SegmentCriterion> = new Map(
  builtinSegments(DEFAULT_SEGMENT_THRESHOLDS).map((s) => [s.name, s.criteria]),
);

/** Without a copy made at configuration, a built-in segment at its default thresholds. */
const segmentCriteriaOf = (reward: CatalogueReward): SegmentCriterion | undefined =>
  reward.segmentCriteria ?? (reward.segment === undefined ? undefined : BUILTIN_SEGMENTS.get(reward.segment));

/** Copies each named segment's criteria (built-in at the thresholds in force, or custom) into the rewards that name it. */
export function resolveRewardSegments(rewards: readonly CatalogueReward[], segments: readonly SegmentDefinition[]): CatalogueReward[] {
  const byName = new Map(segments.map((s) => [s.name, s.criteria]));
  return rewards.map((reward) => {
    const criteria = reward.segment === undefined ? undefined : byName.get(reward.segment);
    return criteria ? { ...reward, segmentCriteria: criteria } : reward;
  });
}

function withinWindow(reward: CatalogueReward, occurredAt: Instant): boolean {
  const at = toMillis(occurredAt);
  return (
    (reward.startsAt === undefined || at >= toMillis(reward.startsAt)) && (reward.endsAt === undefined || at < toMillis(reward.endsAt))
  );
}

/** Reversed redemptions give their use back, as they give back their points. */
function redemptionsCounted(rewardId: string, limit: RewardLimit, state: MemberState, occurredAt: Instant, timeZone: string): number {
  const from = limit.period ? toMillis(startOfPeriod(limit.period, occurredAt, timeZone)) : -Infinity;
  let count = 0;
  for (const r of state.redemptions.values()) if (r.rewardId === rewardId && !r.reversed && toMillis(r.occurredAt) >= from) count += 1;
  return count;
}

/**
 * Stock is a budget in units (budgets/budgets.ts): one unit per redemption,
 * reserved on the reward's budget stream under the redemption id before the
 * member's append, so concurrent redemptions never grant more than the stock.
 * A reversed redemption does not return its unit.
 */
export const rewardStockKey = (rewardId: string): string => `reward:${rewardId}`;

/** The unit a redemption the domain accepted must reserve, when its reward has a stock. */
export function stockReservationFor(command: RedeemPoints, decision: readonly MemberEvent[]): ReservationRequest | undefined {
  const reward = command.program.policy.rewards.find((r) => r.rewardId === command.rewardId);
  if (reward?.stock === undefined || !decision.some((e) => e.type === 'PointsRedeemed')) return undefined;
  const { redemptionId, memberId, occurredAt } = command;
  return { ruleKey: rewardStockKey(reward.rewardId), transactionId: redemptionId, memberId, points: 1, budget: reward.stock, occurredAt };
}

export const outOfStock = (command: RedeemPoints, unit: ReservationRequest) =>
  rejected('REWARD_OUT_OF_STOCK', `reward ${command.rewardId} is out of stock`, { rewardId: command.rewardId, stock: unit.budget });
