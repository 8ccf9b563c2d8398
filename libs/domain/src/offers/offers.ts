import { KeyedRule } from '../earning/rules';
import { MULTIPLIER_SCALE } from '../values/integers';
import { Instant, isAfter } from '../values/time';
import { criteriaProblems, SegmentCriterion } from '../segments/criteria';

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
  /** Total points the offer may award across members, never exceeded (see docs/programs/earning-rules.md); null = unlimited. */
  readonly pointsBudget: number | null;
}

export const OFFER_LIMITS = { offersMax: 100, bonusPointsMax: 1_000_000, multiplierBpMax: 1_000_000 } as const;

export const offerRuleId = (offerId: string) => `offer:${offerId}`;

/**
 * An offer is an earning rule written in an older shape: its date window,
 * criteria and "bought before" become the rule's conditions, its multiplier or
 * bonus the effect, its budget the rule's total budget. Its rule keeps the id
 * `offer:<offerId>`, so its accruals, lots and read models are named as before.
 */
export function offerAsRule(offer: OfferPolicy): KeyedRule {
  return {
    key: offerRuleId(offer.offerId),
    rule: {
      ruleId: offer.offerId,
      when: {
        startsAt: offer.startsAt,
        endsAt: offer.endsAt,
        boughtSkus: offer.boughtSkus,
        boughtCategories: offer.boughtCategories,
        ...(offer.criteria && { criteria: offer.criteria }),
      },
      effect: offer.bonusPoints === null ? { multiplierBp: offer.multiplierBp ?? MULTIPLIER_SCALE } : { bonusPoints: offer.bonusPoints },
      cap: offer.pointsBudget === null ? {} : { totalPoints: offer.pointsBudget },
    },
  };
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
