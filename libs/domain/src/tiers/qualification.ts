import type { MemberEvent } from '../member/events';
import { ProgramPolicy, programTimeZone, TierPolicy } from '../program/policy';
import { addMonths, Instant, toMillis } from '../values/time';
import { startOfPeriod, zonedInstant, zonedParts } from '../values/zoned-time';
import { tierRulesOf, TierRules, tierThreshold } from './tier-policy';

/**
 * What a member's tier is judged on, and when its status ends: one home for
 * the rule the purchase, the settlement and the read model's progress all use.
 */

/** One purchase as tier qualification counts it, net of its refunds and clawbacks. */
export interface QualifyingPurchase {
  readonly occurredAt: Instant;
  /** occurredAt in milliseconds, when its holder keeps it read: a window then parses no instant. */
  readonly occurredAtMs?: number;
  readonly amountMinor: number;
  readonly refundedMinor: number;
  readonly pointsAccrued: number;
  readonly pointsClawedBack: number;
}

/** Where a member's tier stands: what the policy needs to say when its status ends. */
export interface TierStanding {
  readonly tier: string | null;
  /** Enrolment, then each review (requalification). */
  readonly tierQualifiedAt: Instant | null;
  /** The last change of any kind (an upgrade, a review, a manual change). */
  readonly tierReachedAt: Instant | null;
  /** A manual tier holds until this instant (null: indefinitely); undefined when no manual tier holds. */
  readonly tierHeldUntil: Instant | null | undefined;
}

/** Inclusive bounds, in milliseconds, of the purchases a qualification counts. */
interface WindowMs {
  readonly fromMs: number;
  readonly toMs: number;
}

/**
 * The window at an instant. `closing`: judged at a status end, so a calendar
 * year window is the year that ends there, not the one that starts.
 */
function windowAt(rules: TierRules, at: Instant, timeZone: string, closing: boolean): WindowMs {
  const atMs = toMillis(at);
  if (rules.window.kind === 'rolling') return { fromMs: toMillis(addMonths(at, -rules.window.months)) + 1, toMs: atMs };
  const lastMs = closing ? atMs - 1 : atMs;
  return { fromMs: toMillis(startOfPeriod('year', new Date(lastMs).toISOString(), timeZone)), toMs: lastMs };
}

/**
 * The qualifying value at an instant, in the policy's unit: net spend (minor
 * units), net points the purchases earned (their own accruals and offer
 * bonuses, less clawbacks), or purchases not wholly refunded; each counted at
 * the purchase's own date.
 */
export function qualifyingValue(policy: ProgramPolicy, purchases: Iterable<QualifyingPurchase>, at: Instant, closing = false): number {
  const rules = tierRulesOf(policy);
  const { fromMs, toMs } = windowAt(rules, at, programTimeZone(policy), closing);
  let value = 0;
  for (const p of purchases) {
    const ms = p.occurredAtMs ?? toMillis(p.occurredAt);
    if (ms >= fromMs && ms <= toMs) value += contribution(rules, p);
  }
  return value;
}

/** Net spend in the window, whatever the policy qualifies by: every tier change records it. */
export function qualifyingSpendMinor(policy: ProgramPolicy, purchases: Iterable<QualifyingPurchase>, at: Instant, closing = false): number {
  const spendPolicy: ProgramPolicy = { ...policy, tierPolicy: { ...tierRulesOf(policy), qualifyBy: 'spend' } };
  return qualifyingValue(spendPolicy, purchases, at, closing);
}

function contribution(rules: TierRules, p: QualifyingPurchase): number {
  switch (rules.qualifyBy) {
    case 'spend':
      return p.amountMinor - p.refundedMinor;
    case 'points':
      return p.pointsAccrued - p.pointsClawedBack;
    case 'purchases':
      return p.refundedMinor < p.amountMinor || p.amountMinor === 0 ? 1 : 0;
  }
}

/** The highest tier whose threshold the value reaches. */
export function qualifiedTier(policy: ProgramPolicy, value: number): TierPolicy | undefined {
  const { qualifyBy } = tierRulesOf(policy);
  return [...policy.tiers].reverse().find((t) => value >= (tierThreshold(t, qualifyBy) ?? 0));
}

const indexOfTier = (policy: ProgramPolicy, tier: string | null) => policy.tiers.findIndex((t) => t.name === tier);

/** Whether upgradeFor could name a tier whatever the value: no manual tier holds and a tier lies above the current one. */
export const upgradeIsOpen = (policy: ProgramPolicy, standing: TierStanding): boolean =>
  standing.tierHeldUntil === undefined && indexOfTier(policy, standing.tier) < policy.tiers.length - 1;

/** A tier above the member's current one that the value qualifies for; undefined while a manual tier holds. */
export function upgradeFor(policy: ProgramPolicy, standing: TierStanding, value: number): TierPolicy | undefined {
  if (standing.tierHeldUntil !== undefined) return undefined;
  const qualified = qualifiedTier(policy, value);
  return qualified && policy.tiers.indexOf(qualified) > indexOfTier(policy, standing.tier) ? qualified : undefined;
}

/** The tier at a status end: the qualified one, or under `oneTier` never more than one below the current one. */
export function tierAtStatusEnd(policy: ProgramPolicy, current: string | null, value: number): TierPolicy {
  const qualified = qualifiedTier(policy, value) ?? policy.tiers[0]!;
  if (tierRulesOf(policy).downgrade === 'toQualified') return qualified;
  const floor = Math.max(indexOfTier(policy, current) - 1, 0);
  return policy.tiers[Math.max(policy.tiers.indexOf(qualified), floor)]!;
}

/**
 * When the member's current status ends and the policy judges the tier
 * again; null when it never does (a manual tier held indefinitely, the lowest
 * tier under a status duration, a program without tiers).
 */
export function statusEndsAt(policy: ProgramPolicy, standing: TierStanding): Instant | null {
  if (policy.tiers.length === 0) return null;
  if (standing.tierHeldUntil !== undefined) return standing.tierHeldUntil;
  const { status } = tierRulesOf(policy);
  if (status.kind === 'review') return standing.tierQualifiedAt && addMonths(standing.tierQualifiedAt, status.months);
  if (standing.tierReachedAt === null || indexOfTier(policy, standing.tier) <= 0) return null;
  if (status.kind === 'months') return addMonths(standing.tierReachedAt, status.months);
  // A review sets both instants: it judged the window closing there, so the status counts from the year that closed.
  const reachedMs = toMillis(standing.tierReachedAt);
  const earnedMs = reachedMs - (standing.tierReachedAt === standing.tierQualifiedAt ? 1 : 0);
  const timeZone = programTimeZone(policy);
  const earnedYear = zonedParts(earnedMs, timeZone).year;
  // Every status outlasts the local year it starts in: a one-year status kept at a review would otherwise end where it starts.
  const endYear = Math.max(earnedYear + status.years, zonedParts(reachedMs, timeZone).year + 1);
  return zonedInstant({ year: endYear, month: 1, day: 1 }, timeZone);
}

export interface TierProgress {
  readonly qualifyingValue: number;
  readonly nextTier: string | null;
  readonly remainingToNext: number | null;
  readonly statusUntil: Instant | null;
}

/** Where a member stands at an instant: the value so far, the next tier up and what it still takes, and the status end. */
export function tierProgress(
  policy: ProgramPolicy,
  standing: TierStanding,
  purchases: Iterable<QualifyingPurchase>,
  at: Instant,
): TierProgress {
  const value = qualifyingValue(policy, purchases, at);
  const { qualifyBy } = tierRulesOf(policy);
  const next = policy.tiers[indexOfTier(policy, standing.tier) + 1];
  const threshold = next && tierThreshold(next, qualifyBy);
  return {
    qualifyingValue: value,
    nextTier: next?.name ?? null,
    remainingToNext: threshold === undefined ? null : Math.max(threshold - value, 0),
    statusUntil: statusEndsAt(policy, standing),
  };
}

/** The standing after an event: enrolment gives the first tier, every tier change moves it; nothing else does. */
export function tierStandingAfter(standing: TierStanding, event: MemberEvent): TierStanding {
  if (event.type === 'MemberEnrolled') {
    const at = event.data.occurredAt;
    return { tier: event.data.tier, tierQualifiedAt: at, tierReachedAt: at, tierHeldUntil: undefined };
  }
  if (event.type !== 'TierChanged') return standing;
  const d = event.data;
  return {
    tier: d.to,
    tierQualifiedAt: d.reason === 'requalification' ? d.occurredAt : standing.tierQualifiedAt,
    tierReachedAt: d.occurredAt,
    tierHeldUntil: d.manual ? d.manual.until : undefined,
  };
}

/** The purchase an event changes as qualification counts it (its amount, refunds, points, clawbacks); undefined for others. */
export function qualifyingPurchaseOf(event: MemberEvent): string | undefined {
  switch (event.type) {
    case 'PurchaseRecorded':
    case 'PurchaseRefunded':
    case 'PointsClawedBack':
      return event.data.transactionId;
    case 'PointsAccrued':
      return event.data.source === 'purchase' || event.data.source === 'offer' ? event.data.reference : undefined;
    default:
      return undefined;
  }
}

/** The purchase after an event qualifyingPurchaseOf names it for; a change to a purchase not recorded changes nothing. */
export function qualifyingPurchaseAfter(purchase: QualifyingPurchase | undefined, event: MemberEvent): QualifyingPurchase | undefined {
  if (event.type === 'PurchaseRecorded') {
    const d = event.data;
    return { occurredAt: d.occurredAt, amountMinor: d.amountMinor, refundedMinor: 0, pointsAccrued: 0, pointsClawedBack: 0 };
  }
  if (!purchase) return purchase;
  switch (event.type) {
    case 'PointsAccrued':
      return { ...purchase, pointsAccrued: purchase.pointsAccrued + event.data.points };
    case 'PurchaseRefunded':
      return { ...purchase, refundedMinor: purchase.refundedMinor + event.data.amountMinor };
    case 'PointsClawedBack':
      return { ...purchase, pointsClawedBack: purchase.pointsClawedBack + event.data.points };
    default:
      return purchase;
  }
}

/**
 * Which standings may have a status end due by asOf, as bounds an index can
 * compare: a held tier by its `until`; otherwise the anchor the policy's
 * duration counts from, at or before a bound, for every tier but
 * `exceptTier` (whose status never ends under a duration). Every standing
 * due matches; near month ends a few match early, and settling them changes nothing.
 */
export interface StatusEndDue {
  readonly qualifiedAtOrBefore: Instant | null;
  readonly reachedAtOrBefore: Instant | null;
  readonly exceptTier: string | null;
}

export function statusEndDue(policy: ProgramPolicy, asOf: Instant): StatusEndDue | null {
  if (policy.tiers.length === 0) return null;
  const { status } = tierRulesOf(policy);
  if (status.kind === 'review')
    return { qualifiedAtOrBefore: latestAnchorMonthsBefore(asOf, status.months), reachedAtOrBefore: null, exceptTier: null };
  const lowest = policy.tiers[0]!.name;
  if (status.kind === 'months')
    return { qualifiedAtOrBefore: null, reachedAtOrBefore: latestAnchorMonthsBefore(asOf, status.months), exceptTier: lowest };
  const timeZone = programTimeZone(policy);
  const year = zonedParts(asOf, timeZone).year;
  // Up to the first instant of the next year: a review there counts from the year that closed (statusEndsAt).
  const yearAfterLastDueMs = toMillis(zonedInstant({ year: year - status.years + 1, month: 1, day: 1 }, timeZone));
  // And before this year: a status reached this year outlasts it.
  const thisYearMs = toMillis(zonedInstant({ year, month: 1, day: 1 }, timeZone));
  const reachedAtOrBefore = new Date(Math.min(yearAfterLastDueMs, thisYearMs - 1)).toISOString();
  return { qualifiedAtOrBefore: null, reachedAtOrBefore, exceptTier: lowest };
}

/**
 * An instant at or after every anchor whose addMonths(anchor, months) is at
 * or before asOf. addMonths clamps to a month's last day, so near month ends
 * anchors up to the end of the target month's last day may reach asOf: the
 * bound takes them all, and the settlement decides exactly.
 */
function latestAnchorMonthsBefore(asOf: Instant, months: number): Instant {
  const back = new Date(toMillis(addMonths(asOf, -months)));
  const at = new Date(toMillis(asOf));
  const lastDayOf = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  if (at.getUTCDate() !== lastDayOf(at) && back.getUTCDate() === at.getUTCDate()) return back.toISOString();
  return new Date(Date.UTC(back.getUTCFullYear(), back.getUTCMonth(), lastDayOf(back) + 1) - 1).toISOString();
}
