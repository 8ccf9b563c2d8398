import { EntityManager } from 'typeorm';
import { CouponIssued, CouponUsed, decodeMemberEvent, decodeProgramEvent, MemberEvent, ProgramConfigured, toMillis } from '@loyalty/domain';
import { Projection } from '../projector/projection';
import { keyOf } from '../projector/row-sets';
import { READ_MODEL_SCHEMA } from '../schema';

const DAY_COUNTERS = [
  'enrolments',
  'purchases',
  'revenue_minor',
  'refunds_minor',
  'points_issued',
  'points_redeemed',
  'points_expired',
  'points_clawed_back',
  'points_adjusted',
  'points_transferred_in',
  'points_transferred_out',
] as const;
const MEMBER_DAY_COUNTERS = ['purchases', 'revenue_minor', 'redemptions'] as const;
type DayCounter = (typeof DAY_COUNTERS)[number];
type MemberDayCounter = (typeof MEMBER_DAY_COUNTERS)[number];

/**
 * Day buckets by the event's own occurredAt (UTC): a backdated sale lands on
 * the day it happened. A batch sums its events per bucket in memory
 * (integers) and adds the sums to the stored counters in one statement per
 * table: a bucket exists once an event counted in it, whatever the sum.
 */
export const kpisProjectionIn = (schema: string): Projection => ({
  name: 'kpis',
  async applyBatch(manager, events) {
    const days = new Map<string, Record<string, unknown>>();
    const memberDays = new Map<string, Record<string, unknown>>();
    const coupons: Array<CouponIssued | CouponUsed> = [];
    for (const recorded of events) {
      const program = decodeProgramEvent(recorded);
      if (program?.type === 'ProgramConfigured') {
        await pointValue(manager, schema, recorded.position, program);
        continue;
      }
      const event = decodeMemberEvent(recorded);
      if (event?.type === 'CouponIssued' || event?.type === 'CouponUsed') coupons.push(event);
      const counted = event && countsOf(event);
      if (!counted) continue;
      const day = utcDay(event.data.occurredAt);
      if (counted.day) add(days, day, { day }, counted.day);
      if (counted.memberDay) add(memberDays, keyOf(day, event.data.memberId), { day, member_id: event.data.memberId }, counted.memberDay);
    }
    await addUp(manager, `${schema}.kpi_days`, ['day'], DAY_COUNTERS, [...days.values()]);
    await addUp(manager, `${schema}.kpi_member_days`, ['day', 'member_id'], MEMBER_DAY_COUNTERS, [...memberDays.values()]);
    await couponRows(manager, `${schema}.kpi_coupons`, coupons);
  },
});

/** A UTC instant of at most microsecond precision: Postgres reads its UTC date as its date part, with no rounding into the next day. */
const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,6})?Z$/;

/** Postgres' `(instant at time zone 'UTC')::date`; the log's instants are normalised to UTC, so parsing is the exception. */
export const utcDay = (instant: string) => (UTC_INSTANT.test(instant) ? instant : new Date(toMillis(instant)).toISOString()).slice(0, 10);

function add(
  buckets: Map<string, Record<string, unknown>>,
  key: string,
  bucket: Record<string, unknown>,
  counts: Record<string, number | undefined>,
): void {
  const sums = buckets.get(key) ?? bucket;
  for (const counter in counts) sums[counter] = ((sums[counter] as number | undefined) ?? 0) + counts[counter]!;
  buckets.set(key, sums);
}

export const kpisProjection = kpisProjectionIn(READ_MODEL_SCHEMA);

interface Counts {
  readonly day?: Partial<Record<DayCounter, number>>;
  readonly memberDay?: Partial<Record<MemberDayCounter, number>>;
}

function countsOf(event: MemberEvent): Counts | undefined {
  switch (event.type) {
    case 'MemberEnrolled':
      return { day: { enrolments: 1 } };
    case 'PurchaseRecorded':
      return {
        day: { purchases: 1, revenue_minor: event.data.amountMinor },
        memberDay: { purchases: 1, revenue_minor: event.data.amountMinor },
      };
    case 'PurchaseRefunded':
      return { day: { refunds_minor: event.data.amountMinor } };
    case 'PointsAccrued':
      return { day: { points_issued: event.data.points } };
    case 'PointsRedeemed':
      return { day: { points_redeemed: event.data.points }, memberDay: { redemptions: 1 } };
    case 'RedemptionReversed':
      return { day: { points_redeemed: -event.data.points } };
    case 'PointsExpired':
      return { day: { points_expired: event.data.points } };
    case 'PointsClawedBack':
      return { day: { points_clawed_back: event.data.points } };
    case 'PointsAdjusted':
      return { day: { points_adjusted: event.data.points } };
    case 'PointsTransferredIn':
      return { day: { points_transferred_in: event.data.points } };
    case 'PointsTransferredOut':
      return { day: { points_transferred_out: event.data.points } };
    case 'PointsActivated':
    case 'DebtRepaid':
    case 'ReferralQualified':
    case 'ActionRecorded':
    case 'TierChanged':
    case 'CouponIssued':
    case 'CouponUsed':
    case 'CouponExpired':
    case 'CouponCancelled':
      return undefined;
  }
}

/**
 * Issues insert a coupon's row, uses date it; issues first, so a coupon
 * issued and used in one batch is whole. A coupon is used at most once
 * (the domain refuses a second use), so a use only ever fills empty columns.
 */
async function couponRows(manager: EntityManager, table: string, events: ReadonlyArray<CouponIssued | CouponUsed>): Promise<void> {
  const row = ({ data: d }: CouponIssued | CouponUsed) => ({
    member_id: d.memberId,
    code: d.code,
    at: d.occurredAt,
    day: utcDay(d.occurredAt),
  });
  const issued = events.filter((e) => e.type === 'CouponIssued').map(row);
  const used = events.filter((e) => e.type === 'CouponUsed').map(row);
  const recordset = 'json_to_recordset($1::json) as r(member_id text, code text, at timestamptz, day date)';
  if (issued.length > 0) {
    await manager.query(
      `insert into ${table} (member_id, code, issued_at, issued_day) select r.member_id, r.code, r.at, r.day from ${recordset}
       on conflict (member_id, code) do nothing`,
      [JSON.stringify(issued)],
    );
  }
  if (used.length > 0) {
    await manager.query(
      `update ${table} k set used_at = r.at, used_day = r.day from ${recordset} where k.member_id = r.member_id and k.code = r.code`,
      [JSON.stringify(used)],
    );
  }
}

async function pointValue(manager: EntityManager, schema: string, position: bigint, { data: d }: ProgramConfigured): Promise<void> {
  await manager.query(
    `insert into ${schema}.kpi_point_values (position, effective_at, point_value_minor, currency) values ($1, $2, $3, $4) on conflict do nothing`,
    [position.toString(), d.occurredAt, d.policy.pointValueMinor, d.policy.currency],
  );
}

/** One statement per table: the batch's sums added to the stored counters (a counter absent from a bucket adds 0). */
async function addUp(
  manager: EntityManager,
  table: string,
  keys: readonly string[],
  counters: readonly string[],
  rows: ReadonlyArray<Record<string, unknown>>,
) {
  if (rows.length === 0) return;
  const types = keys.map((k) => `${k} ${k === 'day' ? 'date' : 'text'}`).concat(counters.map((c) => `${c} bigint`));
  await manager.query(
    `insert into ${table} (${[...keys, ...counters].join(', ')})
     select ${keys.map((k) => `r.${k}`).join(', ')}, ${counters.map((c) => `coalesce(r.${c}, 0)`).join(', ')}
     from json_to_recordset($1::json) as r(${types.join(', ')})
     on conflict (${keys.join(', ')}) do update set ${counters.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ')}`,
    [JSON.stringify(rows)],
  );
}
