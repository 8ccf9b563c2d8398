/**
 * Point value over time. Each ProgramConfigured event is a version; the one in
 * force at an instant is the highest version whose occurredAt is at or before
 * it (event time, like every other figure of the audit).
 */
export interface ProgramVersion {
  readonly version: number;
  readonly occurredAtMs: number;
  readonly occurredAt: string;
  readonly pointValueMinor: number;
  readonly currency: string;
  /** Points of each catalogue reward: what a coupon without a face value is valued at (fold/coupons.ts). */
  readonly rewardPoints: ReadonlyMap<string, number>;
}

export interface Valuation {
  readonly pointValueMinor: number;
  readonly currency: string | null;
  /** null when the log holds no program configuration at all. */
  readonly programVersion: number | null;
  /** When the version used was configured; later than the instant only in the fallback case below. */
  readonly configuredAt: string | null;
}

const NO_PROGRAM: Valuation = { pointValueMinor: 0, currency: null, programVersion: null, configuredAt: null };

/**
 * Points may be dated before the first configuration (an offline replay with
 * an old occurredAt), so with no version in force yet the first version is
 * used: it is the value the points were issued under, and `configuredAt`
 * after the instant shows the auditor that this fallback applied.
 */
export function valuationAt(versions: readonly ProgramVersion[], instantMs: number): Valuation {
  let inForce: ProgramVersion | undefined;
  let first: ProgramVersion | undefined;
  for (const v of versions) {
    if (!first || v.version < first.version) first = v;
    if (v.occurredAtMs <= instantMs && (!inForce || v.version > inForce.version)) inForce = v;
  }
  const chosen = inForce ?? first;
  if (!chosen) return NO_PROGRAM;
  return {
    pointValueMinor: chosen.pointValueMinor,
    currency: chosen.currency,
    programVersion: chosen.version,
    configuredAt: chosen.occurredAt,
  };
}

/** Points times a point value in minor units, exact: the product may pass 2^53 before it is checked. */
export function pointsToMinor(points: number | bigint, pointValueMinor: number): bigint {
  return BigInt(points) * BigInt(pointValueMinor);
}
