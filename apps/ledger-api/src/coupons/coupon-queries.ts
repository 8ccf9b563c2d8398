import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CouponRow, loadCheckpoint, READ_MODEL_SCHEMA } from '@loyalty/read-models';
import { READ_MODELS } from '../tokens';

const LEDGER_PROJECTION = 'ledger';
/** A member's coupons in one answer at most, newest first. */
export const MEMBER_COUPONS_MAX = 200;

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
    const rows: Array<{ row: CouponRow }> = await this.db.query(
      `select to_json(c) as row from ${READ_MODEL_SCHEMA}.coupons c
       where member_id = $1 and ($2::text is null or status = $2) order by issued_at desc, code limit $3`,
      [memberId, status ?? null, MEMBER_COUPONS_MAX],
    );
    return rows.map((r) => readingOf(r.row));
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
