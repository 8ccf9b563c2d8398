/** Points and money are integers end to end; this is where a bigint result returns to a number. */
export function toSafeInteger(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`${what} overflows a safe integer: ${value}`);
  }
  return Number(value);
}

/** Multipliers (1.5x) are stored as integer basis points so no float touches a balance. */
export const MULTIPLIER_SCALE = 10_000;

export function multiplierToBasisPoints(multiplier: number): number | undefined {
  const scaled = Math.round(multiplier * MULTIPLIER_SCALE);
  if (!Number.isFinite(multiplier) || multiplier < 0) return undefined;
  if (Math.abs(scaled - multiplier * MULTIPLIER_SCALE) > 1e-6) return undefined; // more than 4 decimals
  return scaled;
}

export function basisPointsToMultiplier(basisPoints: number): number {
  return basisPoints / MULTIPLIER_SCALE;
}
