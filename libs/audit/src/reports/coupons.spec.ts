import { CatalogueReward } from '@loyalty/domain';
import { T0 } from '../../../domain/src/testing/fixtures';
import {
  couponCancelled,
  couponExpired,
  couponIssued,
  couponUsed,
  enrolled,
  welcomeAccrued,
  testCouponCode,
} from '../../../domain/src/testing/member-events';
import { auditLiability, auditRollForward } from '../audit';
import { reportToCsv } from '../export/csv';
import { CouponValuationError } from '../fold/coupons';
import { memberEntry, memoryStore, programEntry, recordedLog } from '../testing/log';

const at = (days: number) => new Date(Date.parse(T0) + days * 86_400_000).toISOString();
const ms = Date.parse;

/** 500 points at 2 minor units each under version 1, at 5 under version 2 (day 50). */
const rewards: CatalogueReward[] = [
  { rewardId: 'ten-pct', points: 500, kind: 'percentOff', percent: 10 },
  { rewardId: 'free-cookie', points: 0, kind: 'freeProduct', sku: 'cookie', redeemable: false },
];

const coupon = (n: number, o: Parameters<typeof couponIssued>[0]) =>
  couponIssued({ couponId: `c${n}`, code: testCouponCode(n), reference: `c${n}`, ...o });

describe('coupons in the audit', () => {
  const events = [
    enrolled({ occurredAt: T0 }),
    // 100 points, 200 minor units of points liability beside the coupons'.
    welcomeAccrued({ occurredAt: T0 }),
    // 200 off, used on day 5 for 150 (the basket left less).
    coupon(1, { occurredAt: T0, expiresAt: at(30) }),
    // Valued at its reward's 500 points x 2 of version 1, whatever version 2 later says.
    coupon(2, { occurredAt: at(1), rewardId: 'ten-pct', kind: 'percentOff', valueMinor: null, percent: 10, expiresAt: at(60) }),
    // A rule's free product, never sold for points: worth 0.
    coupon(3, {
      occurredAt: at(2),
      rewardId: 'free-cookie',
      kind: 'freeProduct',
      valueMinor: null,
      sku: 'cookie',
      origin: 'birthday',
      expiresAt: at(20),
    }),
    coupon(4, { occurredAt: at(3), valueMinor: 300, expiresAt: at(15) }),
    couponUsed({ occurredAt: at(5), couponId: 'c1', code: testCouponCode(1), discountMinor: 150 }),
    couponCancelled({ occurredAt: at(8), couponId: 'c3', code: testCouponCode(3), reference: 'c3' }),
    // The daily job of day 17 records the expiry at the coupon's own expiresAt.
    couponExpired({ occurredAt: at(15), couponId: 'c4', code: testCouponCode(4) }),
  ];
  const store = memoryStore(
    recordedLog([
      programEntry(1, T0, { pointValueMinor: 2, currency: 'EUR', rewards }),
      ...events.map(memberEntry),
      programEntry(2, at(50), { pointValueMinor: 5, currency: 'EUR', rewards }),
    ]),
  );

  it('values active coupons as of any instant: face value, else the reward points at the issuing version', async () => {
    expect((await auditLiability(store, ms(at(4)))).coupons).toEqual({
      active: 4,
      liabilityMinor: 200 + 1000 + 0 + 300,
      awaitingExpiryRecord: 0,
    });
    const day12 = await auditLiability(store, ms(at(12)));
    expect(day12).toMatchObject({ couponLiabilityMinor: 1300, coupons: { active: 2 }, liabilityMinor: 200, totalLiabilityMinor: 1500 });
    expect((await auditLiability(store, ms(at(55)))).couponLiabilityMinor).toBe(1000);
  });

  it('expires a coupon at its own expiresAt, before the daily job records it', async () => {
    expect((await auditLiability(store, ms(at(60)) - 1)).coupons).toEqual({ active: 1, liabilityMinor: 1000, awaitingExpiryRecord: 0 });
    expect((await auditLiability(store, ms(at(60)))).coupons).toEqual({ active: 0, liabilityMinor: 0, awaitingExpiryRecord: 1 });
    const rolled = await auditRollForward(store, ms(at(59)), ms(at(61)));
    expect(rolled.coupons.count).toEqual({ opening: 1, issued: 0, used: 0, expired: 1, cancelled: 0, closing: 0 });
  });

  it('rolls coupons forward in count and value, periods (from, to]', async () => {
    const first = await auditRollForward(store, ms(T0) - 1, ms(at(5)));
    expect(first.coupons).toEqual({
      count: { opening: 0, issued: 4, used: 1, expired: 0, cancelled: 0, closing: 3 },
      valueMinor: { opening: 0, issued: 1500, used: 200, expired: 0, cancelled: 0, closing: 1300 },
      usedDiscountMinor: 150,
      awaitingExpiryRecord: 0,
    });
    const second = await auditRollForward(store, ms(at(5)), ms(at(61)));
    expect(second.coupons).toEqual({
      count: { opening: 3, issued: 0, used: 0, expired: 2, cancelled: 1, closing: 0 },
      valueMinor: { opening: 1300, issued: 0, used: 0, expired: 1300, cancelled: 0, closing: 0 },
      usedDiscountMinor: 0,
      awaitingExpiryRecord: 1,
    });
    // An expiry recorded late is counted where its expiresAt puts it: day 15 is in (14, 16], not in (16, 20].
    expect((await auditRollForward(store, ms(at(14)), ms(at(16)))).coupons.count.expired).toBe(1);
    expect((await auditRollForward(store, ms(at(16)), ms(at(20)))).coupons.count.expired).toBe(0);
    expect(reportToCsv(second)).toContain(',coupons.valueMinor.expired,1300\n');
  });

  it('counts a use or a cancellation dated at or after the expiry as the expiry it follows', async () => {
    const late = memoryStore(
      recordedLog([
        programEntry(1, T0, { pointValueMinor: 2, currency: 'EUR', rewards }),
        ...[enrolled(), coupon(1, { expiresAt: at(10) }), couponCancelled({ occurredAt: at(12), code: testCouponCode(1) })].map(
          memberEntry,
        ),
      ]),
    );
    expect((await auditRollForward(late, ms(T0), ms(at(11)))).coupons.count).toMatchObject({ expired: 1, cancelled: 0, closing: 0 });
    expect((await auditRollForward(late, ms(at(11)), ms(at(13)))).coupons.count).toMatchObject({ opening: 0, expired: 0, cancelled: 0 });
  });

  it('refuses to value a coupon whose reward the log does not hold', async () => {
    const unknown = memoryStore(
      recordedLog([
        programEntry(1, T0, { pointValueMinor: 2, currency: 'EUR' }),
        ...[enrolled(), coupon(2, { rewardId: 'ten-pct', kind: 'percentOff', valueMinor: null, percent: 10 })].map(memberEntry),
      ]),
    );
    await expect(auditLiability(unknown, ms(at(1)))).rejects.toThrow(CouponValuationError);
  });
});
