import type { DataSource } from 'typeorm';
import { queryRows } from '@loyalty/platform';
import { READ_MODEL_SCHEMA } from '@loyalty/read-models';
import { loadSubscriptions, queueDeliveries } from './deliveries';
import { NotificationMessage, notificationMessage, NotificationType } from './messages';
import { recordNotifications } from './outbox';

const DAY_MS = 86_400_000;
/** Rows per page of the scan: bounded memory however many members hold expiring points. */
const SCAN_PAGE_ROWS = 1000;

/**
 * PointsExpiringSoon: for each member and expiry instant within the window,
 * the available points that expire then, one occasion per member and instant
 * (points added to an instant already announced are not announced again; an
 * instant moved by activity under an inactivity policy is a new occasion).
 * Read from the lots read model, which the log folds into.
 */
export async function queueExpiringSoon(db: DataSource, now: Date, withinDays: number): Promise<number> {
  const until = new Date(now.getTime() + withinDays * DAY_MS);
  let queued = 0;
  let after: { expiresAt: Date; memberId: string } | undefined;
  for (;;) {
    const rows = await queryRows<{ member_id: string; expires_at: Date; points: string }>(
      db,
      `select member_id, expires_at, sum(remaining)::bigint as points from ${READ_MODEL_SCHEMA}.member_lots
        where status = 'active' and remaining > 0 and expires_at > $1 and expires_at <= $2
          and ($3::timestamptz is null or (expires_at, member_id) > ($3, $4))
        group by expires_at, member_id order by expires_at, member_id limit $5`,
      [now, until, after?.expiresAt ?? null, after?.memberId ?? null, SCAN_PAGE_ROWS],
    );
    const messages = rows.map((r) => {
      const expiresAt = r.expires_at.toISOString();
      const data = { memberId: r.member_id, points: Number(r.points), expiresAt };
      return notificationMessage('PointsExpiringSoon', `${r.member_id}:${expiresAt}`, now.toISOString(), r.member_id, data, null);
    });
    queued += await recordAndQueue(db, 'PointsExpiringSoon', messages);
    const last = rows[rows.length - 1];
    if (rows.length < SCAN_PAGE_ROWS || !last) return queued;
    after = { expiresAt: last.expires_at, memberId: last.member_id };
  }
}

/**
 * CouponExpiringSoon: each active coupon expiring within the window, once
 * (a coupon's expiry never moves). Read from the coupons read model.
 */
export async function queueCouponsExpiringSoon(db: DataSource, now: Date, withinDays: number): Promise<number> {
  const until = new Date(now.getTime() + withinDays * DAY_MS);
  let queued = 0;
  let after: { expiresAt: Date; code: string } | undefined;
  for (;;) {
    const rows = await queryRows<{ member_id: string; coupon_id: string; code: string; reward_id: string; kind: string; expires_at: Date }>(
      db,
      `select member_id, coupon_id, code, reward_id, kind, expires_at from ${READ_MODEL_SCHEMA}.coupons
        where status = 'active' and expires_at > $1 and expires_at <= $2
          and ($3::timestamptz is null or (expires_at, code) > ($3, $4))
        order by expires_at, code limit $5`,
      [now, until, after?.expiresAt ?? null, after?.code ?? null, SCAN_PAGE_ROWS],
    );
    const messages = rows.map((r) => {
      const expiresAt = r.expires_at.toISOString();
      const data = { memberId: r.member_id, couponId: r.coupon_id, code: r.code, rewardId: r.reward_id, kind: r.kind, expiresAt };
      return notificationMessage('CouponExpiringSoon', `${r.member_id}:${r.coupon_id}`, now.toISOString(), r.member_id, data, null);
    });
    queued += await recordAndQueue(db, 'CouponExpiringSoon', messages);
    const last = rows[rows.length - 1];
    if (rows.length < SCAN_PAGE_ROWS || !last) return queued;
    after = { expiresAt: last.expires_at, code: last.code };
  }
}

/**
 * One page in one transaction: the occasions into the outbox (once, ever) and
 * the queue of each webhook listening now (once per webhook: one registered
 * since the last scan still hears of an occasion within its window).
 */
function recordAndQueue(db: DataSource, type: NotificationType, messages: readonly NotificationMessage[]): Promise<number> {
  if (messages.length === 0) return Promise.resolve(0);
  return db.transaction(async (manager) => {
    const at = new Date();
    await recordNotifications(manager, messages, at);
    const subscriptions = (await loadSubscriptions(manager)).filter((s) => s.eventTypes.has(type));
    return queueDeliveries(manager, subscriptions, messages, at);
  });
}
