import { CouponEvent, decodeMemberEvent, isCouponEvent } from '@loyalty/domain';
import { Projection } from '../projector/projection';
import { loadRows } from '../projector/row-sets';
import { READ_MODEL_SCHEMA } from '../schema';

export interface CouponRow {
  code: string;
  member_id: string;
  coupon_id: string;
  reward_id: string;
  kind: string;
  value_minor: number | null;
  percent: number | null;
  sku: string | null;
  origin: string;
  reference: string;
  issued_at: string;
  expires_at: string;
  status: 'active' | 'used' | 'expired' | 'cancelled';
  used_by: string | null;
  /** When the coupon last changed status (its issue, use, expiry or cancellation). */
  changed_at: string;
}

/** The row after one event, as the domain's state moves the coupon (coupons/coupons.ts couponsAfter). */
function after(row: CouponRow | undefined, event: CouponEvent): CouponRow | undefined {
  const d = event.data;
  if (event.type === 'CouponIssued') {
    const i = event.data;
    return {
      code: i.code,
      member_id: i.memberId,
      coupon_id: i.couponId,
      reward_id: i.rewardId,
      kind: i.kind,
      value_minor: i.valueMinor,
      percent: i.percent,
      sku: i.sku,
      origin: i.origin,
      reference: i.reference,
      issued_at: i.occurredAt,
      expires_at: i.expiresAt,
      status: 'active',
      used_by: null,
      changed_at: i.occurredAt,
    };
  }
  if (!row) return undefined;
  switch (event.type) {
    case 'CouponUsed':
      return { ...row, status: 'used', used_by: event.data.transactionId, changed_at: d.occurredAt };
    case 'CouponExpired':
      return { ...row, status: 'expired', changed_at: d.occurredAt };
    case 'CouponCancelled':
      return { ...row, status: 'cancelled', changed_at: d.occurredAt };
  }
}

export const couponsProjectionIn = (schema: string): Projection => ({
  name: 'coupons',
  async applyBatch(manager, events) {
    const changing = events.flatMap((recorded) => {
      const event = decodeMemberEvent(recorded);
      return event && isCouponEvent(event) ? [event] : [];
    });
    if (changing.length === 0) return;
    const table = `${schema}.coupons`;
    const stored = await loadRows<CouponRow>(manager, table, 'code = any($1::text[])', [changing.map((e) => e.data.code)]);
    const rows = new Map(stored.map((row) => [row.code, row]));
    for (const event of changing) {
      const next = after(rows.get(event.data.code), event);
      if (next) rows.set(event.data.code, next);
    }
    await manager.query(
      `insert into ${table} select * from json_populate_recordset(null::${table}, $1::json)
       on conflict (code) do update
       set status = excluded.status, used_by = excluded.used_by, changed_at = excluded.changed_at`,
      [JSON.stringify([...rows.values()])],
    );
  },
});

export const couponsProjection = couponsProjectionIn(READ_MODEL_SCHEMA);
