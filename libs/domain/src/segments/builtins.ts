import { CRITERIA_LIMITS, RfmScoring, rfmScoringProblems, SegmentCriterion } from './criteria';

/** The knobs of the built-in segments; every one has a default a program manager may override. */
export interface SegmentThresholds {
  /** new-members: enrolled less than this many days ago. */
  readonly newMemberDays: number;
  /** loyal: at least loyalMinPurchases purchases in the last loyalWindowDays days. */
  readonly loyalMinPurchases: number;
  readonly loyalWindowDays: number;
  /** big-orders: average net basket at least bigBasketMinor over bigBasketWindowDays. */
  readonly bigBasketMinor: number;
  readonly bigBasketWindowDays: number;
  /** active-redeemers: a redemption in the last activeRedemptionDays days. */
  readonly activeRedemptionDays: number;
  /** at-risk: at least atRiskMinPurchases purchases ever, silent for atRiskSilentDays but not yet dormant. */
  readonly atRiskMinPurchases: number;
  readonly atRiskSilentDays: number;
  /** dormant: enrolled and without a purchase for dormantDays. */
  readonly dormantDays: number;
  /** Lower bounds of the age bands, ascending; the last band is open-ended. */
  readonly ageBands: readonly number[];
  readonly rfm: RfmScoring;
}

export const DEFAULT_SEGMENT_THRESHOLDS: SegmentThresholds = {
  newMemberDays: 30,
  loyalMinPurchases: 4,
  loyalWindowDays: 90,
  bigBasketMinor: 10_000,
  bigBasketWindowDays: 365,
  activeRedemptionDays: 60,
  atRiskMinPurchases: 2,
  atRiskSilentDays: 45,
  dormantDays: 180,
  ageBands: [18, 25, 35, 45, 55, 65],
  rfm: { windowDays: 365, recencyDays: [30, 90, 180, 365], frequency: [2, 4, 8, 16], monetaryMinor: [5_000, 20_000, 50_000, 100_000] },
};

export interface SegmentDefinition {
  readonly name: string;
  readonly kind: 'builtin' | 'custom';
  readonly description: string;
  readonly criteria: SegmentCriterion;
}

/** Built-in segments as criteria, so they and custom segments share one evaluator. */
export function builtinSegments(t: SegmentThresholds): SegmentDefinition[] {
  const builtin = (name: string, description: string, criteria: SegmentCriterion): SegmentDefinition => ({
    name,
    kind: 'builtin',
    description,
    criteria,
  });
  const bands = t.ageBands.map((from, i) => {
    const next = t.ageBands[i + 1];
    return next === undefined
      ? builtin(`age-${from}-plus`, `aged ${from} or more`, { type: 'age', minYears: from })
      : builtin(`age-${from}-${next - 1}`, `aged ${from} to ${next - 1}`, { type: 'age', minYears: from, maxYears: next - 1 });
  });
  return [
    builtin('new-members', `enrolled in the last ${t.newMemberDays} days`, { type: 'enrolled', maxDaysAgo: t.newMemberDays - 1 }),
    builtin('loyal', `${t.loyalMinPurchases}+ purchases in the last ${t.loyalWindowDays} days`, {
      type: 'purchaseCount',
      min: t.loyalMinPurchases,
      withinDays: t.loyalWindowDays,
    }),
    builtin('big-orders', `average basket of ${t.bigBasketMinor} minor units or more over ${t.bigBasketWindowDays} days`, {
      type: 'averageBasket',
      minMinor: t.bigBasketMinor,
      withinDays: t.bigBasketWindowDays,
    }),
    builtin('active-redeemers', `redeemed in the last ${t.activeRedemptionDays} days`, {
      type: 'lastRedemption',
      maxDaysAgo: t.activeRedemptionDays - 1,
    }),
    builtin('at-risk', `${t.atRiskMinPurchases}+ purchases, none for ${t.atRiskSilentDays} to ${t.dormantDays - 1} days`, {
      type: 'all',
      of: [
        { type: 'purchaseCount', min: t.atRiskMinPurchases },
        { type: 'lastPurchase', minDaysAgo: t.atRiskSilentDays, maxDaysAgo: t.dormantDays - 1 },
      ],
    }),
    builtin('dormant', `no purchase for ${t.dormantDays} days`, {
      type: 'all',
      of: [
        { type: 'enrolled', minDaysAgo: t.dormantDays },
        { type: 'noPurchaseFor', days: t.dormantDays },
      ],
    }),
    builtin('b2b', 'business members', { type: 'memberType', memberType: 'business' }),
    builtin('b2c', 'individual members', { type: 'memberType', memberType: 'individual' }),
    ...bands,
    builtin('rfm-champions', 'recency, frequency and monetary scores all 4 or 5', {
      type: 'rfm',
      scoring: t.rfm,
      minRecency: 4,
      minFrequency: 4,
      minMonetary: 4,
    }),
    builtin('rfm-lost', 'bought before, but recency score 1 and frequency score 1', {
      type: 'all',
      of: [
        { type: 'purchaseCount', min: 1 },
        { type: 'rfm', scoring: t.rfm, maxRecency: 1, maxFrequency: 1 },
      ],
    }),
  ];
}

const isInt = (v: unknown, min: number, max: number) => typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;

export function thresholdsProblems(value: unknown): string[] {
  if (value === null || typeof value !== 'object') return ['thresholds must be an object'];
  const t = value as Record<string, unknown>;
  const problems: string[] = [];
  const days = ['newMemberDays', 'loyalWindowDays', 'bigBasketWindowDays', 'activeRedemptionDays', 'atRiskSilentDays', 'dormantDays'];
  for (const key of days)
    if (!isInt(t[key], 1, CRITERIA_LIMITS.daysMax)) problems.push(`${key} must be an integer from 1 to ${CRITERIA_LIMITS.daysMax}`);
  for (const key of ['loyalMinPurchases', 'atRiskMinPurchases'])
    if (!isInt(t[key], 1, CRITERIA_LIMITS.countMax)) problems.push(`${key} must be a positive integer`);
  if (!isInt(t.bigBasketMinor, 0, CRITERIA_LIMITS.minorMax)) problems.push('bigBasketMinor must be a non-negative integer');
  if (typeof t.atRiskSilentDays === 'number' && typeof t.dormantDays === 'number' && t.atRiskSilentDays >= t.dormantDays) {
    problems.push('atRiskSilentDays must be below dormantDays');
  }
  const bands = t.ageBands;
  if (
    !Array.isArray(bands) ||
    bands.length < 1 ||
    bands.length > 20 ||
    !bands.every((b, i) => isInt(b, 0, CRITERIA_LIMITS.yearsMax) && (i === 0 || b > bands[i - 1]))
  ) {
    problems.push('ageBands must be 1-20 strictly increasing ages');
  }
  problems.push(...rfmScoringProblems(t.rfm, 'rfm'));
  for (const key of Object.keys(t)) if (!(key in DEFAULT_SEGMENT_THRESHOLDS)) problems.push(`${key} is not a threshold`);
  return problems;
}
