import { OCCURRED_AT_FUTURE_SKEW_MS, toMillis } from '../values/time';
import { invalid } from '../values/errors';
import { commandKey, MemberCommand } from './commands';
import { MemberEvent } from './events';
import { MemberState } from './state';
import { bookAfter, LotBook } from '../lots/lot-effects';
import { enrol } from './enrolment';
import { recordPurchase, refundPurchase } from './purchases';
import { redeem, reverseRedemption } from './redemptions';
import { settle } from './settlement';
import { changeTier } from '../tiers/manual-change';
import { awardReferrerBonus, recordAction } from './bonuses';
import { adjustPoints, receiveTransfer, transferPoints } from './adjustments';
import { base, idConflict, repayDebt, requireEnrolled } from './decision-helpers';
import { assertLedgerInvariants } from './invariants';
import { cancelMembership, recordMembershipPayment, startMembership } from '../memberships/decisions';
import { issueCoupon } from '../coupons/decisions';
import { ruleCoupons } from '../coupons/rule-coupons';

/**
 * decide(command, state) -> events. An empty list means there is nothing to
 * do: the command was already processed with the same request (the caller
 * replies with the original outcome), or a settlement found nothing due.
 * The ledger invariants are checked on the state the events would produce,
 * so a bug cannot append a history that breaks them.
 */
export function decideMember(command: MemberCommand, state: MemberState): MemberEvent[] {
  if (toMillis(command.occurredAt) > toMillis(command.receivedAt) + OCCURRED_AT_FUTURE_SKEW_MS) {
    throw invalid('OCCURRED_AT_IN_FUTURE', 'occurredAt may not be in the future', {
      occurredAt: command.occurredAt,
      receivedAt: command.receivedAt,
    });
  }
  const previousHash = state.processed.get(commandKey(command));
  if (previousHash !== undefined) {
    if (previousHash === command.requestHash) return [];
    throw idConflict(command);
  }
  const events = decideFresh(command, state);
  events.push(...ruleCoupons(command, state, events));
  if (events.length === 0) return events;
  // The repayment and the invariants read lots, debt and movements alone: the events' book is folded once for both.
  const book = events.reduce<LotBook>(bookAfter, state);
  const repayment = debtRepaymentAfter(command, book, events);
  if (repayment) events.push(repayment);
  // Lots are only ever appended, and the state's own were checked when the decisions that opened them were made.
  assertLedgerInvariants(repayment ? bookAfter(book, repayment) : book, state.lots.length);
  return events;
}

/** Whatever made points available (an accrual, an activation, a reversal) pays off debt first. */
function debtRepaymentAfter(command: MemberCommand, after: LotBook, events: readonly MemberEvent[]) {
  return repayDebt(command, after.lots, after.debt, events[events.length - 1]!.data.occurredAt);
}

function decideFresh(command: MemberCommand, state: MemberState): MemberEvent[] {
  if (command.type === 'EnrolMember') return enrol(command, state);
  const member = requireEnrolled(state, command.memberId);
  switch (command.type) {
    case 'RecordPurchase':
      return recordPurchase(command, member);
    case 'RefundPurchase':
      return refundPurchase(command, member);
    case 'RedeemPoints':
      return redeem(command, member);
    case 'ReverseRedemption':
      return reverseRedemption(command, member);
    case 'SettleMember':
      return settle(command, member);
    case 'RecordAction':
      return recordAction(command, member);
    case 'AwardReferrerBonus':
      return awardReferrerBonus(command, member);
    case 'AdjustPoints':
      return adjustPoints(command, member);
    case 'TransferPoints':
      return transferPoints(command, member);
    case 'ReceiveTransfer':
      return receiveTransfer(command);
    case 'ChangeTier':
      return changeTier(command, member);
    case 'StartMembership':
      return startMembership(command, member);
    case 'RecordMembershipPayment':
      return recordMembershipPayment(command, member);
    case 'CancelMembership':
      return cancelMembership(command, member);
    case 'IssueCoupon':
      return issueCoupon(command, member);
    case 'ErasePersonalData':
      return [{ type: 'MemberErased', data: { ...base(command), requestHash: command.requestHash } }];
  }
}
