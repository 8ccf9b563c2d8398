import { MemberState } from '../member/state';
import { toMillis } from '../shared/time';
import { MemberFacts } from './evaluate';

/**
 * A member's segment facts from its own folded stream, so offers can target
 * segments without IO. The birth date is sealed outside the log
 * (crypto-shredding), so offers decided here cannot target age bands; the
 * segments projection, which may open it, can.
 */
export function memberFactsOf(state: MemberState): MemberFacts | undefined {
  if (!state.enrolled || state.memberType === null || state.enrolledAt === null) return undefined;
  let lastRedemptionAt: string | null = null;
  for (const r of state.redemptions.values()) {
    if (lastRedemptionAt === null || toMillis(r.occurredAt) > toMillis(lastRedemptionAt)) lastRedemptionAt = r.occurredAt;
  }
  return {
    memberType: state.memberType,
    enrolledAt: state.enrolledAt,
    birthDate: null,
    tier: state.tier,
    purchases: [...state.purchases.values()].map((p) => ({
      occurredAt: p.occurredAt,
      amountMinor: p.amountMinor,
      refundedMinor: p.refundedMinor,
      storeId: p.storeId,
      skus: p.skus,
      categories: p.categories,
    })),
    lastRedemptionAt,
  };
}
