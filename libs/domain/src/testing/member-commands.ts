import {
  AdjustPoints,
  AwardReferrerBonus,
  CancelMembership,
  ChangeTier,
  EnrolMember,
  ErasePersonalData,
  IssueCoupon,
  MemberCommand,
  ReceiveTransfer,
  RecordAction,
  RecordMembershipPayment,
  RecordPurchase,
  RedeemPoints,
  RefundPurchase,
  ReverseRedemption,
  SettleMember,
  StartMembership,
  TransferPoints,
} from '../member/commands';
import { MemberEvent } from '../member/events';
import { LATER, member, programInForce, T0 } from './fixtures';

/** Builders for member commands with sensible defaults, so a test states only what matters to it. */
const common = { memberId: 'm1', occurredAt: T0, receivedAt: LATER, program: programInForce() };

export const enrol = (o: Partial<EnrolMember> = {}): EnrolMember => ({
  type: 'EnrolMember',
  memberType: 'individual',
  personalData: 'v1.sealed',
  referredBy: null,
  requestHash: 'h-enrol',
  ...common,
  ...o,
});
export const purchase = (o: Partial<RecordPurchase> = {}): RecordPurchase => ({
  type: 'RecordPurchase',
  transactionId: 'tx1',
  amountMinor: 1999,
  currency: 'EUR',
  items: [],
  storeId: null,
  requestHash: `h-${o.transactionId ?? 'tx1'}-${o.amountMinor ?? 1999}`,
  ...common,
  ...o,
});
export const redeem = (o: Partial<RedeemPoints> = {}): RedeemPoints => ({
  type: 'RedeemPoints',
  redemptionId: 'r1',
  points: 50,
  rewardId: null,
  requestHash: `h-${o.redemptionId ?? 'r1'}-${o.points ?? 50}`,
  ...common,
  ...o,
});
export const refund = (o: Partial<RefundPurchase> = {}): RefundPurchase => ({
  type: 'RefundPurchase',
  transactionId: 'tx1',
  refundId: 'rf1',
  amountMinor: 1000,
  requestHash: `h-${o.refundId ?? 'rf1'}`,
  ...common,
  ...o,
});
export const reverse = (o: Partial<ReverseRedemption> = {}): ReverseRedemption => ({
  type: 'ReverseRedemption',
  redemptionId: 'r1',
  requestHash: 'h-rev',
  ...common,
  ...o,
});
export const settle = (asOf: string, o: Partial<SettleMember> = {}): SettleMember => ({
  type: 'SettleMember',
  asOf,
  birthDate: null,
  requestHash: `h-settle-${asOf}`,
  ...common,
  occurredAt: asOf,
  receivedAt: asOf > LATER ? asOf : LATER,
  ...o,
});
export const action = (o: Partial<RecordAction> = {}): RecordAction => ({
  type: 'RecordAction',
  actionId: 'a1',
  actionType: 'review',
  requestHash: `h-${o.actionId ?? 'a1'}`,
  ...common,
  ...o,
});
/** A member's review through POST /v1/me/feedback: an action carrying its feedback. */
export const feedback = (o: Partial<RecordAction> = {}): RecordAction =>
  action({ actionId: 'feedback:f1', feedback: { kind: 'review', rating: 5, subject: 'latte', sealedText: 'v1.sealed-text' }, ...o });
export const adjust = (o: Partial<AdjustPoints> = {}): AdjustPoints => ({
  type: 'AdjustPoints',
  adjustmentId: 'adj1',
  points: 10,
  reason: 'goodwill',
  actor: 'admin',
  requestHash: `h-${o.adjustmentId ?? 'adj1'}`,
  ...common,
  ...o,
});
export const transfer = (o: Partial<TransferPoints> = {}): TransferPoints => ({
  type: 'TransferPoints',
  transferId: 'tr1',
  toMemberId: 'm2',
  points: 10,
  requestHash: `h-${o.transferId ?? 'tr1'}`,
  ...common,
  ...o,
});
export const receive = (o: Partial<ReceiveTransfer> = {}): ReceiveTransfer => ({
  type: 'ReceiveTransfer',
  transferId: 'tr1',
  fromMemberId: 'm1',
  points: 10,
  lots: [{ lotId: 'x', points: 10, expiresAt: null }],
  requestHash: 'h-recv',
  ...common,
  memberId: 'm2',
  ...o,
});
export const erase = (o: Partial<ErasePersonalData> = {}): ErasePersonalData => ({
  type: 'ErasePersonalData',
  requestHash: 'h-erase',
  ...common,
  ...o,
});
export const referrerBonus = (o: Partial<AwardReferrerBonus> = {}): AwardReferrerBonus => ({
  type: 'AwardReferrerBonus',
  refereeId: 'm9',
  requestHash: 'h-ref',
  ...common,
  ...o,
});
export const changeTier = (o: Partial<ChangeTier> = {}): ChangeTier => ({
  type: 'ChangeTier',
  changeId: 'c1',
  tier: 'gold',
  reason: 'status match',
  until: null,
  actor: 'admin:test',
  requestHash: `h-${o.changeId ?? 'c1'}`,
  ...common,
  ...o,
});

/** Runs commands one after another from an empty stream and returns the history they wrote. */
export const startMembership = (o: Partial<StartMembership> = {}): StartMembership => ({
  type: 'StartMembership',
  membershipId: 'ms1',
  planId: 'monthly',
  requestHash: 'h-ms-start',
  ...common,
  ...o,
});
export const payMembership = (o: Partial<RecordMembershipPayment> = {}): RecordMembershipPayment => ({
  type: 'RecordMembershipPayment',
  membershipId: 'ms1',
  paymentId: 'pay1',
  amountMinor: 1499,
  requestHash: 'h-ms-pay',
  ...common,
  ...o,
});
export const cancelMembership = (o: Partial<CancelMembership> = {}): CancelMembership => ({
  type: 'CancelMembership',
  membershipId: 'ms1',
  requestHash: 'h-ms-cancel',
  ...common,
  ...o,
});
export const issueCoupon = (o: Partial<IssueCoupon> = {}): IssueCoupon => ({
  type: 'IssueCoupon',
  couponId: 'c1',
  rewardId: 'two-off',
  reason: 'apology for a late order',
  code: 'TEST-CPN0-0000-0009',
  requestHash: `h-coupon-${o.couponId ?? 'c1'}`,
  ...common,
  ...o,
});
export function historyOf(...commands: MemberCommand[]): MemberEvent[] {
  const events: MemberEvent[] = [];
  for (const command of commands)
    member
      .given(events)
      .when(command)
      .thenMatches((emitted) => events.push(...emitted));
  return events;
}
