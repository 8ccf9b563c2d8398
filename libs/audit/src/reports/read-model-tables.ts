import { READ_MODEL_SCHEMA as S } from '@loyalty/read-models';
import { AuditFold } from '../fold/audit-fold';
import { MemberPosition } from '../fold/member-position';
import { Movements, netOf } from '../fold/movements';
import { LoggedCoupon, MoneyAndPoints, ReadModelFigures } from '../fold/read-model-figures';

/** One reconciled row: its figures by the field name the report prints. */
export type Figures = Readonly<Record<string, number>>;
export type StoredFigures = Readonly<Record<string, bigint>>;

/**
 * How one read model that carries money or points is compared with the log:
 * the rows the read model holds (one query, grouped where a row of the table
 * is finer than what the log side keeps), and the same figures from the log.
 * `absent: 'zero'` for sums (no row sums to nothing), `'row'` for tables whose
 * rows are facts of their own (a purchase, a program version): a missing row
 * is a difference.
 */
export interface ReadModelTable {
  readonly table: string;
  readonly fields: readonly string[];
  readonly absent: 'zero' | 'row';
  /** Totals over all rows, reported beside the differences (meaningless for point values). */
  readonly totals: boolean;
  /** Selects `key` and every field, as text (bigint sums never pass through a float). */
  readonly sql: string;
  eventLog(fold: AuditFold, figures: ReadModelFigures): Map<string, Figures>;
}

/** kpi_days points columns and the audit's movement each one carries. */
const KPI_POINT_COLUMNS: ReadonlyArray<readonly [string, keyof Movements]> = [
  ['points_issued', 'issued'],
  ['points_redeemed', 'redeemed'],
  ['points_expired', 'expired'],
  ['points_clawed_back', 'clawedBack'],
  ['points_adjusted', 'adjusted'],
  ['points_transferred_in', 'transferredIn'],
  ['points_transferred_out', 'transferredOut'],
];

const moneyAndPointsRow = (f: MoneyAndPoints): Figures => ({
  revenue_minor: f.revenueMinor,
  refunds_minor: f.refundsMinor,
  ...Object.fromEntries(KPI_POINT_COLUMNS.map(([column, movement]) => [column, f.movements[movement]])),
});

const COUPON_STATUSES = ['active', 'used', 'expired', 'cancelled'] as const;

/** Per member: coupons issued, how many are in each status, and the face value of the active ones. */
function couponsByMember(coupons: ReadonlyMap<string, LoggedCoupon>): Map<string, Figures> {
  const rows = new Map<string, Record<string, number>>();
  for (const c of coupons.values()) {
    const row = rows.get(c.memberId) ?? { issued: 0, active_value_minor: 0, ...Object.fromEntries(COUPON_STATUSES.map((s) => [s, 0])) };
    row.issued! += 1;
    row[c.status]! += 1;
    if (c.status === 'active') row.active_value_minor! += c.valueMinor;
    rows.set(c.memberId, row);
  }
  return rows;
}

const mapValues = <V>(source: ReadonlyMap<string, V>, row: (value: V) => Figures) =>
  new Map([...source].map(([key, value]) => [key, row(value)]));

const membersOf = (fold: AuditFold, row: (m: MemberPosition) => Figures) => mapValues(fold.members, row);

/** Sections of the report, in the order it prints them; member_balances is reconciled field by field apart from these. */
export const READ_MODEL_TABLES = {
  memberLots: {
    table: `${S}.member_lots`,
    fields: ['points', 'remaining_active', 'remaining_pending'],
    absent: 'zero',
    totals: true,
    sql: `select member_id as key, sum(points)::text as points,
                 coalesce(sum(remaining) filter (where status = 'active'), 0)::text as remaining_active,
                 coalesce(sum(remaining) filter (where status = 'pending'), 0)::text as remaining_pending
            from ${S}.member_lots group by member_id`,
    eventLog: (fold, figures) =>
      membersOf(fold, (m) => ({
        points: figures.lotPointsByMember.get(m.memberId) ?? 0,
        remaining_active: m.activeLotPoints,
        remaining_pending: m.pending,
      })),
  },
  ledgerEntries: {
    table: `${S}.ledger_entries`,
    fields: ['points'],
    absent: 'zero',
    totals: true,
    sql: `select member_id as key, sum(points)::text as points from ${S}.ledger_entries group by member_id`,
    // Each entry is a movement signed by its effect on the member's points, so a member's entries sum to its net movements.
    eventLog: (fold) => membersOf(fold, (m) => ({ points: netOf(m.opening) + netOf(m.period) })),
  },
  kpiDays: {
    table: `${S}.kpi_days`,
    fields: ['revenue_minor', 'refunds_minor', ...KPI_POINT_COLUMNS.map(([column]) => column)],
    absent: 'zero',
    totals: true,
    sql: `select day::text as key, revenue_minor::text, refunds_minor::text,
                 ${KPI_POINT_COLUMNS.map(([column]) => `${column}::text`).join(', ')}
            from ${S}.kpi_days`,
    eventLog: (_fold, figures) => mapValues(figures.days, moneyAndPointsRow),
  },
  kpiMemberDays: {
    table: `${S}.kpi_member_days`,
    fields: ['revenue_minor'],
    absent: 'zero',
    totals: true,
    sql: `select member_id as key, sum(revenue_minor)::text as revenue_minor from ${S}.kpi_member_days group by member_id`,
    eventLog: (_fold, figures) => mapValues(figures.revenueMinorByMember, (revenue) => ({ revenue_minor: revenue })),
  },
  kpiPointValues: {
    table: `${S}.kpi_point_values`,
    fields: ['point_value_minor'],
    absent: 'row',
    totals: false,
    sql: `select position::text as key, point_value_minor::text from ${S}.kpi_point_values`,
    eventLog: (_fold, figures) => mapValues(figures.pointValues, (value) => ({ point_value_minor: value })),
  },
  segmentPurchases: {
    table: `${S}.segment_purchases`,
    fields: ['amount_minor', 'refunded_minor'],
    absent: 'row',
    totals: true,
    sql: `select member_id || '/' || transaction_id as key, amount_minor::text, refunded_minor::text from ${S}.segment_purchases`,
    eventLog: (_fold, figures) => mapValues(figures.purchases, (p) => ({ amount_minor: p.amountMinor, refunded_minor: p.refundedMinor })),
  },
  experimentMembers: {
    table: `${S}.experiment_members`,
    fields: ['revenue_minor', 'points_issued', 'points_redeemed'],
    absent: 'zero',
    totals: true,
    sql: `select experiment_id || '/' || variant as key, sum(revenue_minor)::text as revenue_minor,
                 sum(points_issued)::text as points_issued, sum(points_redeemed)::text as points_redeemed
            from ${S}.experiment_members group by experiment_id, variant`,
    eventLog: (_fold, figures) =>
      mapValues(figures.variants, (v) => ({
        revenue_minor: v.revenueMinor,
        points_issued: v.movements.issued,
        points_redeemed: v.movements.redeemed,
      })),
  },
  kpiCoupons: {
    table: `${S}.kpi_coupons`,
    fields: ['issued', 'used', 'ms_to_use'],
    absent: 'zero',
    totals: true,
    sql: `select day::text as key, sum(issued)::text as issued, sum(used)::text as used, sum(ms)::text as ms_to_use
            from (select issued_day as day, 1 as issued, 0 as used, 0::bigint as ms from ${S}.kpi_coupons
                  union all
                  select used_day, 0, 1, (extract(epoch from used_at - issued_at) * 1000)::bigint
                    from ${S}.kpi_coupons where used_day is not null) coupon_days
           group by day`,
    eventLog: (_fold, figures) => mapValues(figures.couponDays, (d) => ({ issued: d.issued, used: d.used, ms_to_use: d.msToUse })),
  },
  coupons: {
    table: `${S}.coupons`,
    fields: ['issued', ...COUPON_STATUSES, 'active_value_minor'],
    absent: 'zero',
    totals: true,
    sql: `select member_id as key, count(*)::text as issued,
                 ${COUPON_STATUSES.map((s) => `count(*) filter (where status = '${s}')::text as ${s}`).join(', ')},
                 coalesce(sum(value_minor) filter (where status = 'active'), 0)::text as active_value_minor
            from ${S}.coupons group by member_id`,
    eventLog: (_fold, figures) => couponsByMember(figures.coupons),
  },
  offerAwards: {
    table: `${S}.offer_awards`,
    fields: ['points'],
    absent: 'zero',
    totals: true,
    sql: `select offer_id as key, sum(points)::text as points from ${S}.offer_awards group by offer_id`,
    eventLog: (_fold, figures) => mapValues(figures.offerPoints, (points) => ({ points })),
  },
} satisfies Record<string, ReadModelTable>;

export type ReadModelTableName = keyof typeof READ_MODEL_TABLES;
export const READ_MODEL_TABLE_NAMES = Object.keys(READ_MODEL_TABLES) as readonly ReadModelTableName[];

export type StoredTables = Record<ReadModelTableName, Map<string, StoredFigures>>;
