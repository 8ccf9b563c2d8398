import { PurchaseLine } from '../earning/purchase-line';
import { MULTIPLIER_SCALE, toSafeInteger } from '../shared/integers';
import { Instant, isAfter, toMillis } from '../shared/time';
import { criteriaProblems, SegmentCriterion } from '../segments/criteria';
import { matchesCriterion } from '../segments/evaluate';
import { MemberFacts } from '../segments/member-facts';

/**
 * A targeted offer: extra points on purchases, for members matching a
 * segment's criteria and/or who bought given products or categories before,
 * within a date range. The bonus is its own accrual (source 'offer', rule id
 * `offer:<id>`), so the ledger shows it apart from the base earning.
 */
export interface OfferPolicy {
  readonly offerId: string;
  readonly startsAt: Instant;
  readonly endsAt: Instant;
  /** Exactly one of: extra multiplier on the purchase's points (2x = 20000 bp means +1x), or a fixed bonus. */
  readonly multiplierBp: number | null;
  readonly bonusPoints: number | null;
  /** Members must match these criteria as of the purchase (before it). */
  readonly criteria: SegmentCriterion | null;
  /** Members must have bought one of these before this purchase (empty: no condition). */
  readonly boughtSkus: readonly string[];
  readonly boughtCategories: readonly string[];
  /** Total points the offer may award across members; null = unlimited (see docs/analytics.md for the overspend bound). */
  readonly pointsBudget: number | null;
}

export const OFFER_LIMITS = { offersMax: 100, bonusPointsMax: 1_000_000, multiplierBpMax: 1_000_000 } as const;

export interface OfferAward {
  readonly offerId: string;
  readonly points: number;
}

export const offerRuleId = (offerId: string) => `offer:${offerId}`;

const isRunning = (o: OfferPolicy, at: Instant) => !isAfter(o.startsAt, at) && toMillis(at) < toMillis(o.endsAt);

function boughtBefore(o: OfferPolicy, facts: MemberFacts): boolean {
  if (o.boughtSkus.length === 0 && o.boughtCategories.length === 0) return true;
  return facts.purchases.some(
    (p) => p.skus.some((s) => o.boughtSkus.includes(s)) || p.categories.some((c) => o.boughtCategories.includes(c)),
  );
}

/**
 * The offers a purchase earns, given the member's facts before the purchase.
 * Pure: the purchase time decides which offers run, the member's own history
 * decides eligibility. Exhausted offers never reach here (the program state
 * drops them), and a multiplier offer on a purchase that earned nothing awards nothing.
 */
export function offerAwards(
  offers: readonly OfferPolicy[] | undefined,
  facts: MemberFacts,
  purchase: { readonly occurredAt: Instant; readonly basePoints: number; readonly items: readonly PurchaseLine[] },
): OfferAward[] {
  const awards: OfferAward[] = [];
  for (const offer of offers ?? []) {
    if (!isRunning(offer, purchase.occurredAt) || !boughtBefore(offer, facts)) continue;
    if (offer.criteria && !matchesCriterion(offer.criteria, facts, purchase.occurredAt)) continue;
    const points =
      offer.bonusPoints ??
      toSafeInteger(
        (BigInt(purchase.basePoints) * BigInt(Math.max(0, (offer.multiplierBp ?? MULTIPLIER_SCALE) - MULTIPLIER_SCALE))) /
          BigInt(MULTIPLIER_SCALE),
        'offer points',
      );
    if (points > 0) awards.push({ offerId: offer.offerId, points });
  }
  return awards;
}

export function offerProblems(offers: readonly OfferPolicy[]): string[] {
  const problems: string[] = [];
  if (offers.length > OFFER_LIMITS.offersMax) problems.push(`at most ${OFFER_LIMITS.offersMax} offers`);
  if (new Set(offers.map((o) => o.offerId)).size !== offers.length) problems.push('offerIds must be unique');
  for (const o of offers) {
    const where = `offer ${o.offerId}`;
    if ((o.multiplierBp === null) === (o.bonusPoints === null)) problems.push(`${where} needs exactly one of multiplier or bonusPoints`);
    if (!isAfter(o.endsAt, o.startsAt)) problems.push(`${where}: endsAt must be after startsAt`);
    if (o.criteria) problems.push(...criteriaProblems(o.criteria).map((p) => `${where}: ${p}`));
  }
  return problems;
}
