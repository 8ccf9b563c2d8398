import { RfmScoring, SegmentCriterion } from '@loyalty/domain';

/**
 * Compiles a (validated) criteria tree to a SQL boolean over the member row
 * `f`, with `$1` the evaluation instant, for the one statement that judges
 * every member at once (a definition changed, the clock entered a new day),
 * where loading everyone's facts into the evaluator would cost more than the
 * query. criteria-sql.spec.ts holds its selections to the domain's
 * evaluator on random members, criteria and instants. Values are integers
 * and names validated against [A-Za-z0-9._:-], quoted anyway so a bug cannot
 * become an injection.
 */
export function criterionSql(c: SegmentCriterion, s: string): string {
  const purchases = (withinDays: number | undefined, extra = 'true') =>
    `from ${s}.segment_purchases p where p.member_id = f.member_id and p.occurred_at <= ${T}${withinDays === undefined ? '' : ` and p.occurred_at > ${T} - ${days(withinDays)}`} and ${extra}`;
  switch (c.type) {
    case 'all':
      return `(${c.of.map((x) => criterionSql(x, s)).join(' and ')})`;
    case 'any':
      return `(${c.of.map((x) => criterionSql(x, s)).join(' or ')})`;
    case 'purchaseCount':
      return range(`(select count(*) ${purchases(c.withinDays)})`, c.min, c.max);
    case 'purchaseAmount':
      return range(`(select coalesce(sum(p.amount_minor - p.refunded_minor), 0) ${purchases(c.withinDays)})`, c.minMinor, c.maxMinor);
    case 'averageBasket': {
      const agg = `(select count(*) as n, coalesce(sum(p.amount_minor - p.refunded_minor), 0) as net ${purchases(c.withinDays)})`;
      const conds = ['a.n > 0'];
      if (c.minMinor !== undefined) conds.push(`a.net >= ${int(c.minMinor)} * a.n`);
      if (c.maxMinor !== undefined) conds.push(`a.net <= ${int(c.maxMinor)} * a.n`);
      return `exists (select 1 from ${agg} a where ${conds.join(' and ')})`;
    }
    case 'lastPurchase':
      return daysAgoRange(`(select max(p.occurred_at) ${purchases(undefined)})`, c.minDaysAgo, c.maxDaysAgo);
    case 'noPurchaseFor':
      return `not exists (select 1 ${purchases(c.days)})`;
    case 'bought': {
      const any: string[] = [];
      if (c.skus) any.push(`p.skus && ${textArray(c.skus)}`);
      if (c.categories) any.push(`p.categories && ${textArray(c.categories)}`);
      return `exists (select 1 ${purchases(c.withinDays, `(${any.join(' or ')})`)})`;
    }
    case 'store':
      return `exists (select 1 ${purchases(c.withinDays, `p.store_id = any(${textArray(c.storeIds)})`)})`;
    case 'tier':
      return `coalesce(f.tier = any(${textArray(c.tiers)}), false)`;
    case 'memberType':
      return `f.member_type = ${text(c.memberType)}`;
    case 'enrolled':
      return `(f.enrolled_at <= ${T} and ${daysAgoRange('f.enrolled_at', c.minDaysAgo, c.maxDaysAgo)})`;
    case 'enrolmentAnniversary': {
      const enrolled = `(f.enrolled_at at time zone 'UTC')::date`;
      const asOf = `(${T} at time zone 'UTC')::date`;
      const years = `extract(year from age(${asOf}, ${enrolled}))::int`;
      return `(${years} >= 1 and ${asOf} - (${enrolled} + make_interval(years => ${years}))::date < ${int(c.withinDays)})`;
    }
    case 'lastRedemption':
      return daysAgoRange('f.last_redemption_at', c.minDaysAgo, c.maxDaysAgo);
    case 'age':
      return `(f.birth_date is not null and ${range(`extract(year from age((${T} at time zone 'UTC')::date, f.birth_date))::int`, c.minYears, c.maxYears)})`;
    case 'rfm': {
      const { recency, frequency, monetary } = rfmScoreSql(c.scoring, s);
      return `(${range(recency, c.minRecency, c.maxRecency)} and ${range(frequency, c.minFrequency, c.maxFrequency)} and ${range(monetary, c.minMonetary, c.maxMonetary)})`;
    }
  }
}

function rfmScoreSql(scoring: RfmScoring, s: string): { recency: string; frequency: string; monetary: string } {
  const last = `(select max(p.occurred_at) from ${s}.segment_purchases p where p.member_id = f.member_id and p.occurred_at <= ${T})`;
  const windowed = `from ${s}.segment_purchases p where p.member_id = f.member_id and p.occurred_at <= ${T} and p.occurred_at > ${T} - ${days(scoring.windowDays)}`;
  const elapsed = `floor(extract(epoch from (${T} - ${last})) / 86400)`;
  const count = `(select count(*) ${windowed})`;
  const spend = `(select coalesce(sum(p.amount_minor - p.refunded_minor), 0) ${windowed})`;
  const reached = (value: string, thresholds: readonly number[]) =>
    thresholds.map((t) => `(case when ${value} >= ${int(t)} then 1 else 0 end)`).join(' + ');
  return {
    recency: `(case when ${last} is null then 1 else 5 - (${reached(elapsed, scoring.recencyDays)}) end)`,
    frequency: `(1 + ${reached(count, scoring.frequency)})`,
    monetary: `(1 + ${reached(spend, scoring.monetaryMinor)})`,
  };
}

function range(value: string, min: number | undefined, max: number | undefined): string {
  const conds: string[] = [];
  if (min !== undefined) conds.push(`${value} >= ${int(min)}`);
  if (max !== undefined) conds.push(`${value} <= ${int(max)}`);
  return conds.length === 0 ? 'true' : `(${conds.join(' and ')})`;
}

/** Whole days ago, floored, in [min, max]; null never matches. */
function daysAgoRange(at: string, min: number | undefined, max: number | undefined): string {
  const conds = [`${at} is not null`];
  if (min !== undefined) conds.push(`${at} <= ${T} - ${days(min)}`);
  if (max !== undefined) conds.push(`${at} > ${T} - ${days(max + 1)}`);
  return `(${conds.join(' and ')})`;
}

/** The evaluation instant, typed so every use infers the same parameter type. */
const T = '$1::timestamptz';

const int = (n: number) => {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not an integer: ${n}`);
  return String(n);
};
/** Days of 24 hours whatever the session's time zone: an interval of days would shift across a DST change. */
const days = (n: number) => `interval '${int(n * 24)} hours'`;
const text = (value: string) => `'${value.replace(/'/g, "''")}'`;
const textArray = (values: readonly string[]) => `array[${values.map(text).join(', ')}]::text[]`;
