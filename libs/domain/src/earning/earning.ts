import { MULTIPLIER_SCALE, toSafeInteger } from '../values/integers';
import { EarningPolicy } from '../program/policy';
import { configuredValue } from '../values/names';
import { PurchaseLine } from './purchase-line';

export interface EarningResult {
  readonly points: number;
  /** Which rules shaped the result, so a ledger line can be explained. */
  readonly ruleIds: readonly string[];
}

const SCALE = BigInt(MULTIPLIER_SCALE);

/**
 * Points for a purchase, computed in integers with one floor at the end:
 *   floor(weightedMinor * pointsPerUnit * tierBp / (unitMinor * SCALE^2))
 * where weightedMinor weighs each line by its category multiplier and the
 * amount not covered by lines at 1x. When lines add up to more than the paid
 * amount (basket discounts), the weights are scaled down to the paid amount so
 * a discount never earns points.
 */
export function pointsForPurchase(
  earning: EarningPolicy,
  amountMinor: number,
  lines: readonly PurchaseLine[],
  tier: { readonly name: string; readonly multiplierBp: number } | undefined,
): EarningResult {
  const ruleIds = ['base'];
  const paid = BigInt(amountMinor);
  let linesTotal = 0n;
  let weighted = 0n;
  for (const line of lines) {
    const lineMinor = BigInt(line.quantity) * BigInt(line.unitPriceMinor);
    const categoryBp = line.category === undefined ? undefined : configuredValue(earning.categoryMultipliersBp, line.category);
    if (categoryBp !== undefined && !ruleIds.includes(`category:${line.category}`)) ruleIds.push(`category:${line.category}`);
    linesTotal += lineMinor;
    weighted += lineMinor * BigInt(categoryBp ?? MULTIPLIER_SCALE);
  }
  if (linesTotal > paid) {
    weighted = (weighted * paid) / linesTotal;
  } else {
    weighted += (paid - linesTotal) * SCALE;
  }
  const tierBp = BigInt(tier?.multiplierBp ?? MULTIPLIER_SCALE);
  if (tier && tier.multiplierBp !== MULTIPLIER_SCALE) ruleIds.push(`tier:${tier.name}`);
  const numerator = weighted * BigInt(earning.pointsPerUnit) * tierBp;
  const denominator = BigInt(earning.unitMinor) * SCALE * SCALE;
  return { points: toSafeInteger(numerator / denominator, 'points'), ruleIds };
}
