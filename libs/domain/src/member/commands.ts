import { PurchaseLine } from '../earning/purchase-line';
import { ProgramPolicy } from '../program/policy';
import { Instant } from '../values/time';
import type { Feedback } from './feedback';
import { commandKeys } from './command-keys';
import { MemberType, TransferredLot } from './events';

/** The program version in force when the command is processed, loaded by the handler. */
export interface ProgramInForce {
  readonly version: number;
  readonly policy: ProgramPolicy;
}

/**
 * What every member command carries: when it happened (client's `occurredAt`
 * or the receipt time), when it was received (to refuse future dates), and a
 * hash of the client's body (to tell a retry from a conflicting reuse of an id).
 */
interface CommandBase {
  readonly memberId: string;
  readonly occurredAt: Instant;
  readonly receivedAt: Instant;
  readonly requestHash: string;
  readonly program: ProgramInForce;
  /** Fresh codes (random, from the app layer) for coupons the program's rules may issue with this command (coupons/rule-coupons.ts); absent: none. */
  readonly freshCouponCodes?: readonly string[];
}

export interface EnrolMember extends CommandBase {
  readonly type: 'EnrolMember';
  readonly memberType: MemberType;
  /** Sealed by the handler with the member's key; the domain never sees it in clear. */
  readonly personalData: string | null;
  readonly referredBy: string | null;
}

export interface RecordPurchase extends CommandBase {
  readonly type: 'RecordPurchase';
  readonly transactionId: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly items: readonly PurchaseLine[];
  readonly storeId: string | null;
  /** The sales channel (web, app, a marketplace); absent: none given. */
  readonly channelId?: string;
  /** Points the budget streams reserved for this purchase, by rule key; set by the write path once reserved. */
  readonly budgetGrants?: Readonly<Record<string, number>>;
  /** Normalised codes (coupons/codes.ts) of the member's coupons used in this purchase, in the order they apply; absent: none. */
  readonly couponCodes?: readonly string[];
}

export interface RedeemPoints extends CommandBase {
  readonly type: 'RedeemPoints';
  readonly redemptionId: string;
  readonly points: number | null;
  readonly rewardId: string | null;
  /** A fresh code (random, from the app layer) for the coupon a non-points reward issues. */
  readonly couponCode?: string;
}

export interface RefundPurchase extends CommandBase {
  readonly type: 'RefundPurchase';
  readonly transactionId: string;
  readonly refundId: string;
  readonly amountMinor: number;
}

export interface ReverseRedemption extends CommandBase {
  readonly type: 'ReverseRedemption';
  readonly redemptionId: string;
}

/** The daily job for one member: activations, expiries, birthday bonus, yearly tier requalification, all up to asOf. */
export interface SettleMember extends CommandBase {
  readonly type: 'SettleMember';
  readonly asOf: Instant;
  /** Opened from the member's sealed personal data by the handler; null when unknown or erased. */
  readonly birthDate: string | null;
}

/** An admin gives a member a coupon of a catalogue reward, without points; idempotent on couponId. */
export interface IssueCoupon extends CommandBase {
  readonly type: 'IssueCoupon';
  readonly couponId: string;
  readonly rewardId: string;
  readonly reason: string;
  /** A fresh code (random, from the app layer). */
  readonly code: string;
}

/** Crypto-shredding: records that the member's personal data key is deleted. */
export interface ErasePersonalData extends CommandBase {
  readonly type: 'ErasePersonalData';
}

export interface RecordAction extends CommandBase {
  readonly type: 'RecordAction';
  readonly actionId: string;
  readonly actionType: string;
  /** A member's own review or survey: recorded even when its kind earns nothing. */
  readonly feedback?: Feedback;
}

export interface AdjustPoints extends CommandBase {
  readonly type: 'AdjustPoints';
  readonly adjustmentId: string;
  readonly points: number;
  readonly reason: string;
  readonly actor: string;
}

export interface TransferPoints extends CommandBase {
  readonly type: 'TransferPoints';
  readonly transferId: string;
  readonly toMemberId: string;
  readonly points: number;
}

/** The receiving side of a transfer, issued by the transfer reactor from the sender's event. */
export interface ReceiveTransfer extends CommandBase {
  readonly type: 'ReceiveTransfer';
  readonly transferId: string;
  readonly fromMemberId: string;
  readonly points: number;
  readonly lots: readonly TransferredLot[];
}

/** An admin sets the tier; it holds until `until` (null: indefinitely), then the tier policy takes over again. */
export interface ChangeTier extends CommandBase {
  readonly type: 'ChangeTier';
  readonly changeId: string;
  readonly tier: string;
  readonly reason: string;
  readonly until: Instant | null;
  readonly actor: string;
}

/** The referrer's bonus, issued by the referral reactor when a referee qualifies. */
export interface AwardReferrerBonus extends CommandBase {
  readonly type: 'AwardReferrerBonus';
  readonly refereeId: string;
}

export interface StartMembership extends CommandBase {
  readonly type: 'StartMembership';
  readonly membershipId: string;
  readonly planId: string;
}

/** Reported by the operator's billing system. */
export interface RecordMembershipPayment extends CommandBase {
  readonly type: 'RecordMembershipPayment';
  readonly membershipId: string;
  readonly paymentId: string;
  readonly amountMinor: number;
}

export interface CancelMembership extends CommandBase {
  readonly type: 'CancelMembership';
  readonly membershipId: string;
}

export type MemberCommand =
  | EnrolMember
  | RecordPurchase
  | RedeemPoints
  | RefundPurchase
  | ReverseRedemption
  | SettleMember
  | RecordAction
  | AdjustPoints
  | TransferPoints
  | ReceiveTransfer
  | AwardReferrerBonus
  | ChangeTier
  | StartMembership
  | RecordMembershipPayment
  | CancelMembership
  | IssueCoupon
  | ErasePersonalData;

/**
 * The business id that makes a command idempotent; event ids derive from it.
 * A settlement run is keyed by its asOf and when it ran: its idempotency
 * comes from the state (a second run finds nothing due), not from the key.
 */
/**
 * The key a decision's event ids derive from. A settlement has no client id
 * and a later run at the same asOf can find new work (a reversal restored
 * expired points), so its key is the revision it decided at: two runs never
 * share ids, while two copies of one decision (a race) do, and one of them wins.
 */
export function decisionKey(command: MemberCommand, decidedAtRevision: bigint | 'no_stream'): string {
  return command.type === 'SettleMember' ? commandKeys.settlement(command.asOf, decidedAtRevision) : commandKey(command);
}

export function commandKey(command: MemberCommand): string {
  switch (command.type) {
    case 'EnrolMember':
      return commandKeys.enrolment(command.memberId);
    case 'RecordPurchase':
      return commandKeys.purchase(command.transactionId);
    case 'RedeemPoints':
      return commandKeys.redemption(command.redemptionId);
    case 'RefundPurchase':
      return commandKeys.refund(command.refundId);
    case 'ReverseRedemption':
      return commandKeys.reversal(command.redemptionId);
    case 'SettleMember':
      return commandKeys.settlement(command.asOf, 'no_stream');
    case 'RecordAction':
      return commandKeys.action(command.actionId);
    case 'AdjustPoints':
      return commandKeys.adjustment(command.adjustmentId);
    case 'TransferPoints':
      return commandKeys.transfer(command.transferId);
    case 'ReceiveTransfer':
      return commandKeys.transferIn(command.transferId);
    case 'AwardReferrerBonus':
      return commandKeys.referral(command.refereeId);
    case 'ErasePersonalData':
      return commandKeys.erasure(command.memberId);
    case 'ChangeTier':
      return commandKeys.tierChange(command.changeId);
    case 'StartMembership':
      return commandKeys.membership(command.membershipId);
    case 'RecordMembershipPayment':
      return commandKeys.membershipPayment(command.paymentId);
    case 'CancelMembership':
      return commandKeys.membershipCancellation(command.membershipId);
    case 'IssueCoupon':
      return commandKeys.coupon(command.couponId);
  }
}
