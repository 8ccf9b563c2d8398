import { PurchaseLine } from './purchase-line';
import { MULTIPLIER_SCALE, toSafeInteger } from '../values/integers';
import { addDays, Instant, isAfter, toMillis } from '../values/time';
import { startOfPeriod, zonedParts } from '../values/zoned-time';
import { criteriaProblems, MemberTypeName, SegmentCriterion } from '../segments/criteria';
import { matchesCriterion } from '../segments/evaluate';
import { MemberFacts } from '../segments/member-facts';
import { builtinSegments, DEFAULT_SEGMENT_THRESHOLDS, SegmentDefinition } from '../segments/builtins';

/**
 * Earning rules: extra points on a purchase, each its own accrual named by
 * the rule. A rule applies when every condition of `when` holds; its effects
 * add up; its caps then cut the award (per purchase, per member per period,
 * and the total budget, which the write path enforces through a budget stream:
 * see budgets/budgets.ts).
 */
export interface EarningRule {
  readonly ruleId: string;
  readonly when: RuleConditions;
  readonly effect: RuleEffect;
  readonly cap: RuleCap;
}

export const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type WeekdayName = (typeof WEEKDAY_NAMES)[number];

export interface RuleConditions {
  /** [startsAt, endsAt): absent ends are open. */
  readonly startsAt?: Instant;
  readonly endsAt?: Instant;
  /** Local days of week in the program's time zone. */
  readonly daysOfWeek?: readonly WeekdayName[];
  /** Local hours [fromHour, toHour); fromHour > toHour spans midnight. */
  readonly hours?: { readonly fromHour: number; readonly toHour: number };
  readonly tiers?: readonly string[];
  /** A segment by name: built-in or custom, as defined when the program was configured (segmentCriteria). */
  readonly segment?: string;
  /** The named segment's criteria, copied in at configuration (resolveRuleSegments), so a rule means what it meant when written. */
  readonly segmentCriteria?: SegmentCriterion;
  readonly criteria?: SegmentCriterion;
  readonly memberTypes?: readonly MemberTypeName[];
  readonly storeIds?: readonly string[];
  /** The purchase's channelId is one of these (a purchase without one does not match). */
  readonly channels?: readonly string[];
  /** A purchase in one of these channels never matches. */
  readonly excludeChannels?: readonly string[];
  /** A line matches when its SKU or category is included (no includes: every line) and neither is excluded. */
  readonly skus?: readonly string[];
  readonly categories?: readonly string[];
  readonly excludeSkus?: readonly string[];
  readonly excludeCategories?: readonly string[];
  /** The amount paid, at least. */
  readonly minBasketMinor?: number;
  /** Bought one of these before this purchase. */
  readonly boughtSkus?: readonly string[];
  readonly boughtCategories?: readonly string[];
}

export interface RuleEffect {
  /** Total multiplier on the purchase's own points, in basis points: 20000 adds the purchase's points once more. */
  readonly multiplierBp?: number;
  /** pointsPerUnit for every unitMinor spent on the matching lines (or the whole amount paid). */
  readonly perUnit?: { readonly points: number; readonly unitMinor: number; readonly of: 'matchingLines' | 'basket' };
  readonly bonusPoints?: number;
  /** Points for each unit of quantity on the matching lines. */
  readonly pointsPerItem?: number;
  /** A coupon of a catalogue coupon reward for each purchase the rule applies to (coupons/rule-coupons.ts). */
  readonly coupon?: { readonly rewardId: string };
}

export type CapPeriod = { readonly calendar: 'day' | 'month' | 'quarter' | 'year' } | { readonly rollingDays: number };

export interface RuleCap {
  readonly perPurchase?: number;
  readonly perMember?: { readonly points: number; readonly period: CapPeriod };
  /** Total points across every member; never exceeded (reserved on a budget stream before the member's accrual is written). */
  readonly totalPoints?: number;
}

export const EARNING_RULE_LIMITS = {
  rulesMax: 100,
  listMax: 100,
  pointsMax: 1_000_000_000,
  multiplierBpMax: 1_000_000,
  rollingDaysMax: 3660,
  hoursInDay: 24,
} as const;

/** The id an accrual, a lot and a budget name a rule by; an offer's rules keep `offer:<offerId>`. */
export const earningRuleKey = (ruleId: string): string => `rule:${ruleId}`;

export interface RulePurchase {
  readonly occurredAt: Instant;
  readonly amountMinor: number;
  readonly items: readonly PurchaseLine[];
  readonly storeId: string | null;
  readonly channelId: string | null;
  /** The purchase's own accrual: base, category and tier together. */
  readonly basePoints: number;
}

/** A purchase as the rules read it, from what the till sent. */
export function rulePurchaseOf(
  purchase: Pick<RulePurchase, 'occurredAt' | 'amountMinor' | 'items' | 'storeId'> & { readonly channelId?: string | null },
  basePoints: number,
): RulePurchase {
  const { occurredAt, amountMinor, items, storeId } = purchase;
  return { occurredAt, amountMinor, items, storeId, channelId: purchase.channelId ?? null, basePoints };
}

export interface RuleMember {
  readonly facts: MemberFacts;
  readonly tier: string | null;
  /** Points this rule already awarded the member from `sinceMs` (exclusive) up to the purchase. */
  readonly awardedSince: (key: string, sinceMs: number) => number;
}

/** A rule with its key and total budget, as the engine reads it; offers become these too. */
export interface KeyedRule {
  readonly key: string;
  readonly rule: EarningRule;
}

export interface RuleAward {
  readonly key: string;
  readonly points: number;
  /** The rule's total budget, when it has one: the write path reserves the award against it. */
  readonly budget: number | null;
}

/**
 * What each rule awards on a purchase, in rule order. `grants` holds what the
 * budget streams reserved for this purchase: a budgeted rule awards no more
 * than its grant; without grants (the first decision) it awards what it would
 * without a budget, which the write path then reserves.
 */
export function ruleAwards(
  rules: readonly KeyedRule[],
  purchase: RulePurchase,
  member: RuleMember,
  timeZone: string,
  grants?: Readonly<Record<string, number>>,
): RuleAward[] {
  const awards: RuleAward[] = [];
  for (const { key, rule } of rules) {
    const lines = matchingLines(rule.when, purchase.items);
    if (!lines || !conditionsHold(rule.when, purchase, member, timeZone)) continue;
    let points = Math.min(effectPoints(rule.effect, purchase, lines), rule.cap.perPurchase ?? Number.MAX_SAFE_INTEGER);
    if (rule.cap.perMember) {
      const since = periodStartMs(rule.cap.perMember.period, purchase.occurredAt, timeZone);
      points = Math.min(points, Math.max(0, rule.cap.perMember.points - member.awardedSince(key, since)));
    }
    const budget = rule.cap.totalPoints ?? null;
    if (budget !== null && grants) points = Math.min(points, grants[key] ?? 0);
    if (points > 0) awards.push({ key, points, budget });
  }
  return awards;
}

/** Whether a rule applies to a purchase (its lines and conditions), whatever its effect and caps. */
export const ruleApplies = (rule: EarningRule, purchase: RulePurchase, member: RuleMember, timeZone: string): boolean =>
  matchingLines(rule.when, purchase.items) !== undefined && conditionsHold(rule.when, purchase, member, timeZone);

/** The lines a rule counts; undefined when line conditions exist and no line meets them. */
function matchingLines(when: RuleConditions, items: readonly PurchaseLine[]): readonly PurchaseLine[] | undefined {
  const hasIncludes = (when.skus?.length ?? 0) > 0 || (when.categories?.length ?? 0) > 0;
  const hasExcludes = (when.excludeSkus?.length ?? 0) > 0 || (when.excludeCategories?.length ?? 0) > 0;
  if (!hasIncludes && !hasExcludes) return items;
  const has = (list: readonly string[] | undefined, value: string | undefined) => value !== undefined && (list ?? []).includes(value);
  const lines = items.filter(
    (line) =>
      (!hasIncludes || has(when.skus, line.sku) || has(when.categories, line.category)) &&
      !has(when.excludeSkus, line.sku) &&
      !has(when.excludeCategories, line.category),
  );
  return lines.length > 0 ? lines : undefined;
}

function conditionsHold(when: RuleConditions, purchase: RulePurchase, member: RuleMember, timeZone: string): boolean {
  const at = purchase.occurredAt;
  if (when.startsAt !== undefined && isAfter(when.startsAt, at)) return false;
  if (when.endsAt !== undefined && toMillis(at) >= toMillis(when.endsAt)) return false;
  if (when.daysOfWeek || when.hours) {
    const local = zonedParts(at, timeZone);
    if (when.daysOfWeek && !when.daysOfWeek.includes(WEEKDAY_NAMES[local.weekday]!)) return false;
    if (when.hours && !withinHours(when.hours, local.hour)) return false;
  }
  if (when.tiers && !(member.tier !== null && when.tiers.includes(member.tier))) return false;
  if (when.memberTypes && !when.memberTypes.includes(member.facts.memberType)) return false;
  if (when.storeIds && !(purchase.storeId !== null && when.storeIds.includes(purchase.storeId))) return false;
  if (when.channels && !(purchase.channelId !== null && when.channels.includes(purchase.channelId))) return false;
  if (when.excludeChannels && purchase.channelId !== null && when.excludeChannels.includes(purchase.channelId)) return false;
  if (when.minBasketMinor !== undefined && purchase.amountMinor < when.minBasketMinor) return false;
  if (!boughtBefore(when, member.facts)) return false;
  if (when.criteria && !matchesCriterion(when.criteria, member.facts, at)) return false;
  const segment = when.segment === undefined ? undefined : segmentCriteriaOf(when);
  return !segment || matchesCriterion(segment, member.facts, at);
}

const withinHours = ({ fromHour, toHour }: { fromHour: number; toHour: number }, hour: number): boolean =>
  fromHour <= toHour ? hour >= fromHour && hour < toHour : hour >= fromHour || hour < toHour;

function boughtBefore(when: RuleConditions, facts: MemberFacts): boolean {
  const skus = when.boughtSkus ?? [];
  const categories = when.boughtCategories ?? [];
  if (skus.length === 0 && categories.length === 0) return true;
  return facts.purchases.some((p) => p.skus.some((s) => skus.includes(s)) || p.categories.some((c) => categories.includes(c)));
}

const BUILTIN_SEGMENTS: ReadonlyMap<string, SegmentCriterion> = new Map(
  builtinSegments(DEFAULT_SEGMENT_THRESHOLDS).map((s) => [s.name, s.criteria]),
);

/** Without a copy made at configuration, a built-in segment at its default thresholds. */
const segmentCriteriaOf = (when: RuleConditions): SegmentCriterion | undefined =>
  when.segmentCriteria ?? (when.segment === undefined ? undefined : BUILTIN_SEGMENTS.get(when.segment));

/**
 * Copies each named segment's criteria (built-in at the thresholds in force,
 * or custom) into the rules that name it. A segment redefined later changes
 * the rule only when the program is configured again.
 */
export function resolveRuleSegments(rules: readonly EarningRule[], segments: readonly SegmentDefinition[]): EarningRule[] {
  const byName = new Map(segments.map((s) => [s.name, s.criteria]));
  return rules.map((rule) => {
    const criteria = rule.when.segment === undefined ? undefined : byName.get(rule.when.segment);
    return criteria ? { ...rule, when: { ...rule.when, segmentCriteria: criteria } } : rule;
  });
}

/**
 * Effects in integers with one floor each. The spend a per-unit effect counts
 * is scaled down to the amount paid when lines add up to more (basket
 * discounts), as the base earning does.
 */
function effectPoints(effect: RuleEffect, purchase: RulePurchase, lines: readonly PurchaseLine[]): number {
  let points = 0n;
  if (effect.multiplierBp !== undefined) {
    const extraBp = BigInt(Math.max(0, effect.multiplierBp - MULTIPLIER_SCALE));
    points += (BigInt(purchase.basePoints) * extraBp) / BigInt(MULTIPLIER_SCALE);
  }
  if (effect.perUnit) {
    const spent = effect.perUnit.of === 'basket' ? BigInt(purchase.amountMinor) : paidShareOf(lines, purchase);
    points += (spent * BigInt(effect.perUnit.points)) / BigInt(effect.perUnit.unitMinor);
  }
  if (effect.bonusPoints !== undefined) points += BigInt(effect.bonusPoints);
  if (effect.pointsPerItem !== undefined) {
    const quantity = lines.reduce((sum, line) => sum + BigInt(line.quantity), 0n);
    points += quantity * BigInt(effect.pointsPerItem);
  }
  return toSafeInteger(points, 'rule points');
}

function paidShareOf(lines: readonly PurchaseLine[], purchase: RulePurchase): bigint {
  const lineMinor = (l: PurchaseLine) => BigInt(l.quantity) * BigInt(l.unitPriceMinor);
  const matching = lines.reduce((sum, l) => sum + lineMinor(l), 0n);
  const all = purchase.items.reduce((sum, l) => sum + lineMinor(l), 0n);
  const paid = BigInt(purchase.amountMinor);
  return all > paid ? (matching * paid) / all : matching;
}

/** Calendar periods start at the local midnight that opens them; a rolling window is the N days up to the purchase. */
function periodStartMs(period: CapPeriod, at: Instant, timeZone: string): number {
  if ('rollingDays' in period) return toMillis(addDays(at, -period.rollingDays));
  return toMillis(startOfPeriod(period.calendar, at, timeZone)) - 1;
}

export function earningRuleProblems(rules: readonly EarningRule[]): string[] {
  const L = EARNING_RULE_LIMITS;
  const problems: string[] = [];
  if (rules.length > L.rulesMax) problems.push(`at most ${L.rulesMax} earning rules`);
  if (new Set(rules.map((r) => r.ruleId)).size !== rules.length) problems.push('earning rule ids must be unique');
  for (const rule of rules) {
    const where = `earning rule ${rule.ruleId}`;
    const { when, effect } = rule;
    if (when.startsAt !== undefined && when.endsAt !== undefined && !isAfter(when.endsAt, when.startsAt)) {
      problems.push(`${where}: endsAt must be after startsAt`);
    }
    if (when.hours && when.hours.fromHour === when.hours.toHour) problems.push(`${where}: hours must not start and end at the same hour`);
    if (when.segment !== undefined && !segmentCriteriaOf(when)) problems.push(`${where}: no segment ${when.segment}`);
    if (when.criteria) problems.push(...criteriaProblems(when.criteria).map((p) => `${where}: ${p}`));
    const effects = [effect.multiplierBp, effect.perUnit, effect.bonusPoints, effect.pointsPerItem, effect.coupon].filter(
      (e) => e !== undefined,
    );
    if (effects.length === 0)
      problems.push(`${where}: effect needs at least one of multiplier, perUnit, bonusPoints, pointsPerItem, coupon`);
    if (effect.perUnit && effect.perUnit.unitMinor < 1) problems.push(`${where}: perUnit.unitMinor must be at least 1`);
  }
  return problems;
}
