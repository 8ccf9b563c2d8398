/**
 * The criteria language of segments (built-in and custom) and of offer
 * targeting, judged by one evaluator (`evaluate.ts`) for offers and for the
 * segments projection alike. Time is measured from an explicit `asOf`, never
 * from a clock. The projection also compiles criteria to SQL for the one
 * query that judges every member at once; a property test holds that query
 * to the evaluator's answers.
 */
import { configuredValue } from '../values/names';

export type MemberTypeName = 'individual' | 'business';

export type SegmentCriterion =
  | { readonly type: 'all'; readonly of: readonly SegmentCriterion[] }
  | { readonly type: 'any'; readonly of: readonly SegmentCriterion[] }
  /** Purchases (refunded or not) in the last withinDays days, or ever. */
  | { readonly type: 'purchaseCount'; readonly min?: number; readonly max?: number; readonly withinDays?: number }
  /** Net of refunds. */
  | { readonly type: 'purchaseAmount'; readonly minMinor?: number; readonly maxMinor?: number; readonly withinDays?: number }
  /** Net amount / purchases; a member without purchases never matches. */
  | { readonly type: 'averageBasket'; readonly minMinor?: number; readonly maxMinor?: number; readonly withinDays?: number }
  /** Whole days since the last purchase; a member without purchases never matches. */
  | { readonly type: 'lastPurchase'; readonly minDaysAgo?: number; readonly maxDaysAgo?: number }
  /** No purchase in the last `days` days, never having bought included. */
  | { readonly type: 'noPurchaseFor'; readonly days: number }
  | { readonly type: 'bought'; readonly skus?: readonly string[]; readonly categories?: readonly string[]; readonly withinDays?: number }
  | { readonly type: 'store'; readonly storeIds: readonly string[]; readonly withinDays?: number }
  | { readonly type: 'tier'; readonly tiers: readonly string[] }
  | { readonly type: 'memberType'; readonly memberType: MemberTypeName }
  | { readonly type: 'enrolled'; readonly minDaysAgo?: number; readonly maxDaysAgo?: number }
  /** At least one year enrolled and the last anniversary at most withinDays - 1 days ago. */
  | { readonly type: 'enrolmentAnniversary'; readonly withinDays: number }
  | { readonly type: 'lastRedemption'; readonly minDaysAgo?: number; readonly maxDaysAgo?: number }
  /** Full years from the birth date; members without one never match. */
  | { readonly type: 'age'; readonly minYears?: number; readonly maxYears?: number }
  /** RFM scores 1-5 from the thresholds carried in the criterion (see builtins.ts for the scoring). */
  | {
      readonly type: 'rfm';
      readonly scoring: RfmScoring;
      readonly minRecency?: number;
      readonly maxRecency?: number;
      readonly minFrequency?: number;
      readonly maxFrequency?: number;
      readonly minMonetary?: number;
      readonly maxMonetary?: number;
    };

/**
 * Four ascending thresholds per score. Recency: days since the last purchase;
 * 5 below the first threshold, 1 at or past the last (and without purchases).
 * Frequency and monetary over windowDays: 1 + the number of thresholds reached.
 */
export interface RfmScoring {
  readonly windowDays: number;
  readonly recencyDays: readonly number[];
  readonly frequency: readonly number[];
  readonly monetaryMinor: readonly number[];
}

export type CriterionType = SegmentCriterion['type'];

export const CRITERIA_LIMITS = {
  depthMax: 5,
  nodesMax: 50,
  listMax: 100,
  daysMax: 36_600,
  countMax: 1_000_000,
  minorMax: 1_000_000_000_000,
  yearsMax: 150,
} as const;

const NAME = /^[A-Za-z0-9._:-]{1,128}$/;

const RANGE_KEYS: Record<string, { keys: readonly string[]; max: number }> = {
  purchaseCount: { keys: ['min', 'max'], max: CRITERIA_LIMITS.countMax },
  purchaseAmount: { keys: ['minMinor', 'maxMinor'], max: CRITERIA_LIMITS.minorMax },
  averageBasket: { keys: ['minMinor', 'maxMinor'], max: CRITERIA_LIMITS.minorMax },
  lastPurchase: { keys: ['minDaysAgo', 'maxDaysAgo'], max: CRITERIA_LIMITS.daysMax },
  enrolled: { keys: ['minDaysAgo', 'maxDaysAgo'], max: CRITERIA_LIMITS.daysMax },
  lastRedemption: { keys: ['minDaysAgo', 'maxDaysAgo'], max: CRITERIA_LIMITS.daysMax },
  age: { keys: ['minYears', 'maxYears'], max: CRITERIA_LIMITS.yearsMax },
};

const ALLOWED_KEYS: Record<CriterionType, readonly string[]> = {
  all: ['of'],
  any: ['of'],
  purchaseCount: ['min', 'max', 'withinDays'],
  purchaseAmount: ['minMinor', 'maxMinor', 'withinDays'],
  averageBasket: ['minMinor', 'maxMinor', 'withinDays'],
  lastPurchase: ['minDaysAgo', 'maxDaysAgo'],
  noPurchaseFor: ['days'],
  bought: ['skus', 'categories', 'withinDays'],
  store: ['storeIds', 'withinDays'],
  tier: ['tiers'],
  memberType: ['memberType'],
  enrolled: ['minDaysAgo', 'maxDaysAgo'],
  enrolmentAnniversary: ['withinDays'],
  lastRedemption: ['minDaysAgo', 'maxDaysAgo'],
  age: ['minYears', 'maxYears'],
  rfm: ['scoring', 'minRecency', 'maxRecency', 'minFrequency', 'maxFrequency', 'minMonetary', 'maxMonetary'],
};

const isInt = (v: unknown, max: number, min = 0): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;

/**
 * Problems with an untrusted criteria tree (an admin's JSON), as readable
 * strings with the path; empty when valid. Limits keep one definition from
 * becoming an unbounded query.
 */
export function criteriaProblems(value: unknown): string[] {
  const problems: string[] = [];
  let nodes = 0;
  const visit = (node: unknown, path: string, depth: number): void => {
    nodes++;
    if (nodes > CRITERIA_LIMITS.nodesMax) {
      if (nodes === CRITERIA_LIMITS.nodesMax + 1) problems.push(`more than ${CRITERIA_LIMITS.nodesMax} criteria`);
      return;
    }
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return void problems.push(`${path} must be an object`);
    const c = node as Record<string, unknown>;
    const type = c.type as CriterionType;
    const allowed = typeof type === 'string' ? configuredValue(ALLOWED_KEYS, type) : undefined;
    if (!allowed) return void problems.push(`${path}.type must be one of ${Object.keys(ALLOWED_KEYS).join(', ')}`);
    for (const key of Object.keys(c))
      if (key !== 'type' && !allowed.includes(key)) problems.push(`${path}.${key} is not a field of ${type}`);
    const range = configuredValue(RANGE_KEYS, type);
    if (range) {
      for (const key of range.keys)
        if (c[key] !== undefined && !isInt(c[key], range.max)) problems.push(`${path}.${key} must be an integer from 0 to ${range.max}`);
      const [lo, hi] = range.keys.map((k) => c[k]);
      if (typeof lo === 'number' && typeof hi === 'number' && lo > hi) problems.push(`${path}: ${range.keys[0]} exceeds ${range.keys[1]}`);
      if (range.keys.every((k) => c[k] === undefined)) problems.push(`${path} needs ${range.keys.join(' or ')}`);
    }
    if ('withinDays' in c && c.withinDays !== undefined && !isInt(c.withinDays, CRITERIA_LIMITS.daysMax, 1)) {
      problems.push(`${path}.withinDays must be an integer from 1 to ${CRITERIA_LIMITS.daysMax}`);
    }
    switch (type) {
      case 'all':
      case 'any':
        if (depth >= CRITERIA_LIMITS.depthMax) return void problems.push(`${path} nests deeper than ${CRITERIA_LIMITS.depthMax}`);
        if (!Array.isArray(c.of) || c.of.length === 0) return void problems.push(`${path}.of must be a non-empty array`);
        c.of.forEach((child, i) => visit(child, `${path}.of[${i}]`, depth + 1));
        return;
      case 'noPurchaseFor':
        if (!isInt(c.days, CRITERIA_LIMITS.daysMax, 1))
          problems.push(`${path}.days must be an integer from 1 to ${CRITERIA_LIMITS.daysMax}`);
        return;
      case 'enrolmentAnniversary':
        if (!isInt(c.withinDays, 366, 1)) problems.push(`${path}.withinDays must be an integer from 1 to 366`);
        return;
      case 'bought':
        nameList(c.skus, `${path}.skus`, problems, true);
        nameList(c.categories, `${path}.categories`, problems, true);
        if (c.skus === undefined && c.categories === undefined) problems.push(`${path} needs skus or categories`);
        return;
      case 'store':
        return nameList(c.storeIds, `${path}.storeIds`, problems, false);
      case 'tier':
        return nameList(c.tiers, `${path}.tiers`, problems, false);
      case 'memberType':
        if (c.memberType !== 'individual' && c.memberType !== 'business')
          problems.push(`${path}.memberType must be individual or business`);
        return;
      case 'rfm':
        return rfmProblems(c, path, problems);
      default:
        return;
    }
  };
  visit(value, 'criteria', 0);
  return problems;
}

function nameList(value: unknown, path: string, problems: string[], optional: boolean): void {
  if (value === undefined && optional) return;
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    value.length > CRITERIA_LIMITS.listMax ||
    !value.every((v) => typeof v === 'string' && NAME.test(v))
  ) {
    problems.push(`${path} must be 1-${CRITERIA_LIMITS.listMax} names of 1-128 characters A-Z a-z 0-9 . _ : -`);
  }
}

function rfmProblems(c: Record<string, unknown>, path: string, problems: string[]): void {
  problems.push(...rfmScoringProblems(c.scoring, `${path}.scoring`));
  const bounds = ['minRecency', 'maxRecency', 'minFrequency', 'maxFrequency', 'minMonetary', 'maxMonetary'];
  for (const key of bounds) if (c[key] !== undefined && !isInt(c[key], 5, 1)) problems.push(`${path}.${key} must be a score from 1 to 5`);
  if (bounds.every((k) => c[k] === undefined)) problems.push(`${path} needs at least one score bound`);
}

export function rfmScoringProblems(value: unknown, path: string): string[] {
  if (value === null || typeof value !== 'object') return [`${path} must be an object`];
  const s = value as Record<string, unknown>;
  const problems: string[] = [];
  if (!isInt(s.windowDays, CRITERIA_LIMITS.daysMax, 1))
    problems.push(`${path}.windowDays must be an integer from 1 to ${CRITERIA_LIMITS.daysMax}`);
  for (const [key, max] of [
    ['recencyDays', CRITERIA_LIMITS.daysMax],
    ['frequency', CRITERIA_LIMITS.countMax],
    ['monetaryMinor', CRITERIA_LIMITS.minorMax],
  ] as const) {
    const list = s[key];
    const ok =
      Array.isArray(list) && list.length === 4 && list.every((v, i) => isInt(v, max, 1) && (i === 0 || v > (list[i - 1] as number)));
    if (!ok) problems.push(`${path}.${key} must be 4 strictly increasing positive integers`);
  }
  return problems;
}
