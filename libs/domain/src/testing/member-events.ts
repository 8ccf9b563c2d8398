import {
  ActionRecorded,
  DebtRepaid,
  MEMBER_EVENT_SCHEMA_VERSION,
  MemberEnrolled,
  MemberErased,
  PointsAccrued,
  PointsActivated,
  PointsAdjusted,
  PointsClawedBack,
  PointsExpired,
  PointsRedeemed,
  PointsTransferredIn,
  PointsTransferredOut,
  PurchaseRecorded,
  PurchaseRefunded,
  RedemptionReversed,
  ReferralQualified,
  TierChanged,
} from '../member/events';
import { LotConsumption } from '../lots/lots';
import { CouponCancelled, CouponExpired, CouponIssued, CouponUsed } from '../coupons/events';
import { Instant } from '../values/time';
import { T0 } from './fixtures';

/**
 * Builders for literal member events, with the same defaults as the command
 * builders (member m1 at T0, program version 1 of `policy()`), so a spec's
 * history is written out rather than produced by the decider under test.
 */

/** When a lot issued at T0 expires under the fixture policy (12 months). */
export const T0_EXPIRY = '2027-01-10T09:00:00.000Z';

type DataOf<E extends { readonly data: object }> = Partial<E['data']>;

const common = (o: { memberId?: string; occurredAt?: Instant }) => ({
  schemaVersion: MEMBER_EVENT_SCHEMA_VERSION,
  memberId: o.memberId ?? 'm1',
  occurredAt: o.occurredAt ?? T0,
});

export const enrolled = (o: DataOf<MemberEnrolled> = {}): MemberEnrolled => ({
  type: 'MemberEnrolled',
  data: {
    ...common(o),
    memberType: 'individual',
    personalData: 'v1.sealed',
    referredBy: null,
    tier: 'silver',
    requestHash: 'h-enrol',
    ...o,
  },
});

type AccrualFields = Pick<PointsAccrued['data'], 'lotId' | 'points' | 'source' | 'reference' | 'ruleIds'>;

/** A lot issued at occurredAt: available at once and expiring 12 months later unless the overrides say otherwise. */
export const accrued = (o: AccrualFields & DataOf<PointsAccrued>): PointsAccrued => ({
  type: 'PointsAccrued',
  data: { ...common(o), programVersion: 1, pendingUntil: null, expiresAt: T0_EXPIRY, ...o },
});

export const welcomeAccrued = (o: DataOf<PointsAccrued> = {}): PointsAccrued => {
  const memberId = o.memberId ?? 'm1';
  return accrued({ lotId: `welcome:${memberId}`, points: 100, source: 'welcome', reference: memberId, ruleIds: ['welcome'], ...o });
};

export const purchaseRecorded = (o: DataOf<PurchaseRecorded> = {}): PurchaseRecorded => {
  const transactionId = o.transactionId ?? 'tx1';
  const amountMinor = o.amountMinor ?? 1999;
  return {
    type: 'PurchaseRecorded',
    data: {
      ...common(o),
      transactionId,
      amountMinor,
      currency: 'EUR',
      items: [],
      storeId: null,
      requestHash: `h-${transactionId}-${amountMinor}`,
      ...o,
    },
  };
};

export const purchaseAccrued = (transactionId: string, points: number, o: DataOf<PointsAccrued> = {}): PointsAccrued =>
  accrued({ lotId: `purchase:${transactionId}`, points, source: 'purchase', reference: transactionId, ruleIds: ['base'], ...o });

export const actionRecorded = (o: DataOf<ActionRecorded> = {}): ActionRecorded => {
  const actionId = o.actionId ?? 'a1';
  return {
    type: 'ActionRecorded',
    data: { ...common(o), actionId, actionType: 'review', rewarded: true, requestHash: `h-${actionId}`, ...o },
  };
};

export const actionAccrued = (actionId: string, points: number, o: DataOf<PointsAccrued> = {}): PointsAccrued =>
  accrued({ lotId: `action:${actionId}`, points, source: 'action', reference: actionId, ruleIds: ['action:review'], ...o });

export const redeemed = (o: DataOf<PointsRedeemed> = {}): PointsRedeemed => {
  const redemptionId = o.redemptionId ?? 'r1';
  const points = o.points ?? 50;
  return {
    type: 'PointsRedeemed',
    data: {
      ...common(o),
      redemptionId,
      points,
      rewardId: null,
      lots: [{ lotId: 'welcome:m1', points }],
      programVersion: 1,
      requestHash: `h-${redemptionId}-${points}`,
      ...o,
    },
  };
};

export const redemptionReversed = (
  o: DataOf<RedemptionReversed> & Pick<RedemptionReversed['data'], 'points' | 'lots'>,
): RedemptionReversed => ({
  type: 'RedemptionReversed',
  data: { ...common(o), redemptionId: 'r1', ...o },
});

export const refunded = (o: DataOf<PurchaseRefunded> = {}): PurchaseRefunded => {
  const refundId = o.refundId ?? 'rf1';
  return {
    type: 'PurchaseRefunded',
    data: { ...common(o), transactionId: 'tx1', refundId, amountMinor: 1000, requestHash: `h-${refundId}`, ...o },
  };
};

export const clawedBack = (o: DataOf<PointsClawedBack> & Pick<PointsClawedBack['data'], 'points' | 'lots'>): PointsClawedBack => ({
  type: 'PointsClawedBack',
  data: { ...common(o), transactionId: 'tx1', refundId: 'rf1', debtIncurred: 0, ...o },
});

export const debtRepaid = (points: number, lots: readonly LotConsumption[], o: DataOf<DebtRepaid> = {}): DebtRepaid => ({
  type: 'DebtRepaid',
  data: { ...common(o), points, lots, ...o },
});

export const activated = (lotId: string, points: number, occurredAt: Instant, o: DataOf<PointsActivated> = {}): PointsActivated => ({
  type: 'PointsActivated',
  data: { ...common({ ...o, occurredAt }), lotId, points },
});

export const expired = (lotId: string, points: number, occurredAt: Instant, o: DataOf<PointsExpired> = {}): PointsExpired => ({
  type: 'PointsExpired',
  data: { ...common({ ...o, occurredAt }), lotId, points },
});

export const tierChanged = (o: DataOf<TierChanged> & Pick<TierChanged['data'], 'from' | 'to' | 'qualifyingSpendMinor'>): TierChanged => ({
  type: 'TierChanged',
  data: { ...common(o), reason: 'qualifying-spend', programVersion: 1, ...o },
});

export const adjusted = (o: DataOf<PointsAdjusted> = {}): PointsAdjusted => {
  const adjustmentId = o.adjustmentId ?? 'adj1';
  return {
    type: 'PointsAdjusted',
    data: {
      ...common(o),
      adjustmentId,
      points: 10,
      reason: 'goodwill',
      actor: 'admin',
      lotId: `adjustment:${adjustmentId}`,
      expiresAt: T0_EXPIRY,
      lots: [],
      requestHash: `h-${adjustmentId}`,
      ...o,
    },
  };
};

export const transferredOut = (
  o: DataOf<PointsTransferredOut> & Pick<PointsTransferredOut['data'], 'points' | 'lots'>,
): PointsTransferredOut => {
  const transferId = o.transferId ?? 'tr1';
  return {
    type: 'PointsTransferredOut',
    data: { ...common(o), transferId, toMemberId: 'm2', requestHash: `h-${transferId}`, ...o },
  };
};

export const transferredIn = (
  o: DataOf<PointsTransferredIn> & Pick<PointsTransferredIn['data'], 'points' | 'lots'>,
): PointsTransferredIn => ({
  type: 'PointsTransferredIn',
  data: { ...common({ memberId: 'm2', ...o }), transferId: 'tr1', fromMemberId: 'm1', ...o },
});

export const referralQualified = (o: DataOf<ReferralQualified> & Pick<ReferralQualified['data'], 'referrerId'>): ReferralQualified => ({
  type: 'ReferralQualified',
  data: { ...common(o), transactionId: 'tx1', ...o },
});

export const erased = (o: DataOf<MemberErased> = {}): MemberErased => ({
  type: 'MemberErased',
  data: { ...common(o), requestHash: 'h-erase', ...o },
});

/** A code in the coupon format (coupons/codes.ts), distinct per seed. */
export const testCouponCode = (seed: number): string => `TEST-CPN0-0000-${String(seed).padStart(4, '0')}`;

/** An amountOff coupon of 200 issued by redemption r1 at T0, valid 30 days. */
export const couponIssued = (o: DataOf<CouponIssued> = {}): CouponIssued => ({
  type: 'CouponIssued',
  data: {
    ...common(o),
    couponId: 'redemption:r1',
    code: testCouponCode(1),
    rewardId: 'two-off',
    kind: 'amountOff',
    valueMinor: 200,
    percent: null,
    sku: null,
    expiresAt: '2026-02-09T09:00:00.000Z',
    origin: 'redemption',
    reference: 'r1',
    reason: null,
    programVersion: 1,
    ...o,
  },
});

export const couponUsed = (o: DataOf<CouponUsed> = {}): CouponUsed => ({
  type: 'CouponUsed',
  data: { ...common(o), couponId: 'redemption:r1', code: testCouponCode(1), transactionId: 'tx1', discountMinor: 200, ...o },
});

export const couponExpired = (o: DataOf<CouponExpired> = {}): CouponExpired => ({
  type: 'CouponExpired',
  data: { ...common(o), couponId: 'redemption:r1', code: testCouponCode(1), ...o },
});

export const couponCancelled = (o: DataOf<CouponCancelled> = {}): CouponCancelled => ({
  type: 'CouponCancelled',
  data: { ...common(o), couponId: 'redemption:r1', code: testCouponCode(1), reason: 'reversal', reference: 'r1', ...o },
});
