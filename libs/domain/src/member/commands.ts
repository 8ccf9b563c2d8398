import { PurchaseLine } from '../earning/earning';
import { ProgramPolicy } from '../program/policy';
import { Instant } from '../shared/time';
import { MemberProfile, MemberType } from './events';

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
}

export interface EnrolMember extends CommandBase {
  readonly type: 'EnrolMember';
  readonly memberType: MemberType;
  readonly profile: MemberProfile;
  readonly referredBy: string | null;
}

export interface RecordPurchase extends CommandBase {
  readonly type: 'RecordPurchase';
  readonly transactionId: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly items: readonly PurchaseLine[];
  readonly storeId: string | null;
}

export interface RedeemPoints extends CommandBase {
  readonly type: 'RedeemPoints';
  readonly redemptionId: string;
  readonly points: number | null;
  readonly rewardId: string | null;
}

export type MemberCommand = EnrolMember | RecordPurchase | RedeemPoints;

/** The business id that makes a command idempotent; event ids derive from it. */
export function commandKey(command: MemberCommand): string {
  switch (command.type) {
    case 'EnrolMember':
      return `enrolment:${command.memberId}`;
    case 'RecordPurchase':
      return `purchase:${command.transactionId}`;
    case 'RedeemPoints':
      return `redemption:${command.redemptionId}`;
  }
}
