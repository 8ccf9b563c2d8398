import type { MemberState } from '../member/state';
import { matchesCriterion } from '../segments/evaluate';
import { memberFactsOf } from '../segments/member-facts';
import { Instant, isAfter, toMillis } from '../values/time';
import { OfferPolicy } from './offers';

/**
 * The offers a member's next purchase at `at` could earn: running then, and
 * the member meets their criteria and "bought before" conditions as of now.
 * What a purchase's own lines add (nothing, for offers) is left to the purchase.
 */
export function offersForMember(offers: readonly OfferPolicy[], state: MemberState, at: Instant): OfferPolicy[] {
  const facts = memberFactsOf(state);
  if (!facts) return [];
  const bought = (offer: OfferPolicy) =>
    (offer.boughtSkus.length === 0 && offer.boughtCategories.length === 0) ||
    facts.purchases.some(
      (p) => p.skus.some((s) => offer.boughtSkus.includes(s)) || p.categories.some((c) => offer.boughtCategories.includes(c)),
    );
  return offers.filter(
    (offer) =>
      !isAfter(offer.startsAt, at) &&
      toMillis(at) < toMillis(offer.endsAt) &&
      bought(offer) &&
      (offer.criteria === null || matchesCriterion(offer.criteria, facts, at)),
  );
}
