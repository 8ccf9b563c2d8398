import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryRows, RowsQuery } from '@loyalty/platform';
import { CouponRow, loadCheckpoint, READ_MODEL_SCHEMA } from '@loyalty/read-models';
import { READ_MODELS } from '../tokens';

const LEDGER_PROJECTION = 'ledger';
/** A member holds a handful of coupons: one answer at most holds this many, rather than page. */
export const MEMBER_COUPONS_MAX = 200;

/** How a list of a member's coupons is ordered: an operator's newest first, a member's own those still to use first, soonest to expire first. */
export type MemberCouponsOrder = 'newest' | 'toUseFirst';

const ORDER_BY: Readonly<Record<MemberCouponsOrder, string>> = {
  newest: 'issued_at desc, code',
  toUseFirst: "status <> 'active', expires_at, code",
};

/** The one query of a member's coupons in the coupons read model, for the operator's route and the member's own. */
export function memberCouponRows(
  db: RowsQuery,
  memberId: string,
  options: { readonly order: MemberCouponsOrder; readonly status?: CouponRow['status'] },
): Promise<CouponRow[]> {
  return queryRows<CouponRow>(
    db,
    `select * from ${READ_MODEL_SCHEMA}.coupons
      where member_id = $1 and ($2::text is null or status = $2) order by ${ORDER_BY[options.order]} limit $3`,
    [memberId, options.status ?? null, MEMBER_COUPONS_MAX],
  );
}

/** A coupon as a till sees it: its terms and status, the fields its kind does not use left out. */
export interface CouponReading {
  readonly code: string;
  readonly memberId: string;
  readonly rewardId: string;
  readonly kind: string;
  readonly valueMinor?: number;
  readonly percent?: number;
  readonly sku?: string;
  readonly status: CouponRow['status'];
  readonly expiresAt: string;
  readonly usedBy?: string;
  readonly asOfPosition: number;
}

@Injectable()
export class CouponQueries {
  constructor(@Inject(READ_MODELS) private readonly db: DataSource) {}

  /** From the coupons read model, with the position it reflects; undefined for a code it does not hold. */
  async byCode(code: string): Promise<CouponReading | undefined> {
    const rows: Array<{ row: CouponRow; as_of_position: string | null }> = await this.db.query(
      `select to_json(c) as row,
              (select position::text from ${READ_MODEL_SCHEMA}.checkpoints where projection = $2) as as_of_position
       from ${READ_MODEL_SCHEMA}.coupons c where code = $1`,
      [code, LEDGER_PROJECTION],
    );
    const found = rows[0];
    return found && { ...readingOf(found.row), asOfPosition: Number(found.as_of_position ?? -1) };
  }

  async asOfPosition(): Promise<number> {
    return Number((await loadCheckpoint(this.db.manager, LEDGER_PROJECTION)) ?? -1n);
  }

  /** The member's coupons, newest first, optionally of one status only. */
  async ofMember(memberId: string, status: CouponRow['status'] | undefined) {
    return (await memberCouponRows(this.db, memberId, { order: 'newest', status })).map(readingOf);
  }
}

function readingOf(c: CouponRow): Omit<CouponReading, 'asOfPosition'> {
  return {
    code: c.code,
    memberId: c.member_id,
    rewardId: c.reward_id,
    kind: c.kind,
    ...(c.value_minor !== null && { valueMinor: Number(c.value_minor) }),
    ...(c.percent !== null && { percent: c.percent }),
    ...(c.sku !== null && { sku: c.sku }),
    status: c.status,
    expiresAt: new Date(c.expires_at).toISOString(),
    ...(c.used_by !== null && { usedBy: c.used_by }),
  };
}
