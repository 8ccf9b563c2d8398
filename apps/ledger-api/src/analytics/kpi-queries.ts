import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { INSTANT_MIN, parseCalendarDate } from '@loyalty/domain';
import { queryRows } from '@loyalty/platform';
import { READ_MODEL_SCHEMA as S } from '@loyalty/read-models';
import { ApiError } from '../http/api-error';
import { READ_MODELS } from '../tokens';

export type Granularity = 'day' | 'week' | 'month';
export const GRANULARITIES: readonly Granularity[] = ['day', 'week', 'month'];
export const KPI_BUCKETS_MAX = 1000;
export const KPI_DEFAULT_RANGE_DAYS = 30;
export const TOP_MEMBERS_MAX = 10;
const MS_PER_DAY = 86_400_000;

/** Days from milliseconds, rounded to 4 decimals like the rates; null when nothing was measured. */
export const daysOf = (ms: string | null | undefined): number | null =>
  ms === null || ms === undefined ? null : Math.round((Number(ms) * 10_000) / MS_PER_DAY) / 10_000;

/** A rate from integer counts, rounded to 4 decimals for JSON; null when the denominator is 0. */
export const rate = (numerator: number, denominator: number): number | null =>
  denominator === 0 ? null : Math.round((numerator * 10_000) / denominator) / 10_000;

/** Bucket starts (UTC dates) covering [from, to): weeks start on Monday (ISO), months on the 1st. */
export function bucketStarts(from: string, to: string, granularity: Granularity): string[] {
  const start = new Date(`${from}T00:00:00Z`);
  if (granularity === 'week') start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
  if (granularity === 'month') start.setUTCDate(1);
  const end = Date.parse(`${to}T00:00:00Z`);
  const starts: string[] = [];
  for (const d = start; d.getTime() < end;) {
    starts.push(d.toISOString().slice(0, 10));
    if (starts.length > KPI_BUCKETS_MAX) throw new ApiError(400, 'RANGE_TOO_LARGE', `at most ${KPI_BUCKETS_MAX} buckets per request`);
    if (granularity === 'day') d.setUTCDate(d.getUTCDate() + 1);
    else if (granularity === 'week') d.setUTCDate(d.getUTCDate() + 7);
    else d.setUTCMonth(d.getUTCMonth() + 1);
  }
  return starts;
}

function parseDay(value: string | undefined, name: string, fallback: string): string {
  if (value === undefined) return fallback;
  if (parseCalendarDate(value) === undefined) {
    throw new ApiError(400, 'INVALID_DATE', `${name} must be a real date YYYY-MM-DD (UTC) from ${INSTANT_MIN.slice(0, 10)}`, {
      [name]: value,
    });
  }
  return value;
}

interface DayTotals {
  bucket: string;
  enrolments: string;
  purchases: string;
  revenue_minor: string;
  refunds_minor: string;
  points_issued: string;
  points_redeemed: string;
  points_expired: string;
  net_points: string;
}

/**
 * Coupons issued and used per bucket, each counted where its own event's UTC
 * day puts it, and the time from issue to use of the coupons used in the bucket.
 */
interface CouponTotals {
  bucket: string;
  issued: string;
  used: string;
  mean_ms: string | null;
  median_ms: string | null;
}

/** KPIs per bucket from the day projections; integers stay integers, rates come from integer counts. */
@Injectable()
export class KpiQueries {
  constructor(@Inject(READ_MODELS) private readonly db: DataSource) {}

  async kpis(fromParam: string | undefined, toParam: string | undefined, granularityParam: string | undefined, today: string) {
    const granularity = (granularityParam ?? 'day') as Granularity;
    if (!GRANULARITIES.includes(granularity)) throw new ApiError(400, 'INVALID_GRANULARITY', 'granularity must be day, week or month');
    const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + MS_PER_DAY).toISOString().slice(0, 10);
    const to = parseDay(toParam, 'to', tomorrow);
    const from = parseDay(
      fromParam,
      'from',
      new Date(Date.parse(`${to}T00:00:00Z`) - KPI_DEFAULT_RANGE_DAYS * MS_PER_DAY).toISOString().slice(0, 10),
    );
    if (from >= to) throw new ApiError(400, 'INVALID_RANGE', 'from must be before to');
    const starts = bucketStarts(from, to, granularity);
    const rangeStart = starts[0] ?? from;
    const g = granularity;

    const totals: DayTotals[] = await this.db.query(
      `select date_trunc('${g}', day::timestamp)::date::text as bucket,
              sum(enrolments) enrolments, sum(purchases) purchases, sum(revenue_minor) revenue_minor, sum(refunds_minor) refunds_minor,
              sum(points_issued) points_issued, sum(points_redeemed) points_redeemed, sum(points_expired) points_expired,
              sum(points_issued - points_redeemed - points_expired - points_clawed_back + points_adjusted + points_transferred_in - points_transferred_out) net_points
       from ${S}.kpi_days where day >= $1::date and day < $2::date group by 1`,
      [rangeStart, to],
    );
    const buyers: Array<{ bucket: string; active: string; buyers: string; repeaters: string }> = await this.db.query(
      `select bucket, count(*) active, count(*) filter (where p > 0) buyers, count(*) filter (where p >= 2) repeaters
       from (select date_trunc('${g}', day::timestamp)::date::text as bucket, member_id, sum(purchases) p
             from ${S}.kpi_member_days where day >= $1::date and day < $2::date group by 1, 2) x
       group by bucket`,
      [rangeStart, to],
    );
    const [opening] = await queryRows<{ points: string }>(
      this.db,
      `select coalesce(sum(points_issued - points_redeemed - points_expired - points_clawed_back + points_adjusted + points_transferred_in - points_transferred_out), 0) as points
       from ${S}.kpi_days where day < $1::date`,
      [rangeStart],
    );
    const values: Array<{ effective_at: Date; point_value_minor: string; currency: string }> = await this.db.query(
      `select effective_at, point_value_minor, currency from ${S}.kpi_point_values order by effective_at, position`,
    );
    const top: Array<{ member_id: string; spend: string; purchases: string }> = await this.db.query(
      `select member_id, sum(revenue_minor) spend, sum(purchases) purchases from ${S}.kpi_member_days
       where day >= $1::date and day < $2::date group by member_id having sum(purchases) > 0 order by spend desc, member_id limit ${TOP_MEMBERS_MAX}`,
      [from, to],
    );

    const coupons = await this.couponsPerBucket(g, rangeStart, to);

    const byBucket = new Map(totals.map((t) => [t.bucket, t]));
    const buyersByBucket = new Map(buyers.map((b) => [b.bucket, b]));
    let outstanding = Number(opening!.points);
    const buckets = starts.map((start, i) => {
      const end = starts[i + 1] ?? nextStart(start, granularity);
      const t = byBucket.get(start);
      const b = buyersByBucket.get(start);
      const n = (v: string | undefined) => Number(v ?? 0);
      outstanding += n(t?.net_points);
      const purchases = n(t?.purchases);
      const revenueMinor = n(t?.revenue_minor);
      const issued = n(t?.points_issued);
      const redeemed = n(t?.points_redeemed);
      const expired = n(t?.points_expired);
      const pointValueMinor = valueAt(values, Date.parse(`${end}T00:00:00Z`));
      const c = coupons.get(start);
      const couponsIssued = n(c?.issued);
      const couponsUsed = n(c?.used);
      return {
        start,
        end,
        enrolments: n(t?.enrolments),
        activeMembers: n(b?.active),
        purchases,
        revenueMinor,
        refundsMinor: n(t?.refunds_minor),
        averageBasketMinor: purchases === 0 ? 0 : Math.floor(revenueMinor / purchases),
        repeatPurchaseRate: rate(n(b?.repeaters), n(b?.buyers)),
        pointsIssued: issued,
        pointsRedeemed: redeemed,
        pointsExpired: expired,
        redemptionRate: rate(redeemed, issued),
        breakageRate: rate(expired, redeemed + expired),
        outstandingPoints: outstanding,
        pointValueMinor,
        liabilityMinor: outstanding * pointValueMinor,
        couponsIssued,
        couponsUsed,
        couponUseRate: rate(couponsUsed, couponsIssued),
        meanDaysToUse: daysOf(c?.mean_ms),
        medianDaysToUse: daysOf(c?.median_ms),
      };
    });
    return {
      from,
      to,
      granularity,
      currency: values[values.length - 1]?.currency ?? null,
      buckets,
      topMembers: top.map((m) => ({ memberId: m.member_id, spendMinor: Number(m.spend), purchases: Number(m.purchases) })),
    };
  }

  private async couponsPerBucket(g: Granularity, rangeStart: string, to: string): Promise<Map<string, CouponTotals>> {
    const rows: CouponTotals[] = await this.db.query(
      `with issued as (
         select date_trunc('${g}', issued_day::timestamp)::date::text as bucket, count(*) issued
         from ${S}.kpi_coupons where issued_day >= $1::date and issued_day < $2::date group by 1
       ), used as (
         select date_trunc('${g}', used_day::timestamp)::date::text as bucket, count(*) used,
                avg(ms) mean_ms, percentile_cont(0.5) within group (order by ms) median_ms
         from (select used_day, (extract(epoch from used_at - issued_at) * 1000)::bigint ms
               from ${S}.kpi_coupons where used_day >= $1::date and used_day < $2::date) u
         group by 1
       )
       select bucket, coalesce(i.issued, 0)::text issued, coalesce(u.used, 0)::text used, u.mean_ms::text, u.median_ms::text
       from issued i full join used u using (bucket)`,
      [rangeStart, to],
    );
    return new Map(rows.map((r) => [r.bucket, r]));
  }
}

function nextStart(start: string, granularity: Granularity): string {
  const d = new Date(`${start}T00:00:00Z`);
  if (granularity === 'day') d.setUTCDate(d.getUTCDate() + 1);
  else if (granularity === 'week') d.setUTCDate(d.getUTCDate() + 7);
  else d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 10);
}

/** The point value in force at the end of a bucket; before the first configuration, the first one (as the audit does). */
function valueAt(values: ReadonlyArray<{ effective_at: Date; point_value_minor: string }>, endMs: number): number {
  let chosen = values[0];
  for (const v of values) if (v.effective_at.getTime() < endMs) chosen = v;
  return Number(chosen?.point_value_minor ?? 0);
}
