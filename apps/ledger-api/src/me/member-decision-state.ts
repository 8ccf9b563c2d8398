import { Injectable } from '@nestjs/common';
import { budgetStreamId, MemberState, memberStreamId, rewardStockKey } from '@loyalty/domain';
import { ApiError } from '../http/api-error';
import { BudgetLedger } from '../ledger/budget-ledger';
import { MemberStates } from '../ledger/member-states';

/**
 * What a member's own views decide from, as a command would (reward
 * eligibility, offers, stock): the member's state from the write path's
 * MemberStates, so a long history costs the member page no more than a
 * purchase, and a reward's reserved stock from its budget stream (through
 * BudgetLedger, which reads only what it gained), not from read models that
 * may lag.
 */
@Injectable()
export class MemberDecisionState {
  constructor(
    private readonly states: MemberStates,
    private readonly budgets: BudgetLedger,
  ) {}

  async of(memberId: string): Promise<MemberState> {
    const { state } = await this.states.load(memberStreamId(memberId));
    if (!state.enrolled) throw new ApiError(404, 'MEMBER_NOT_FOUND', `no member ${memberId}`, { memberId });
    return state;
  }

  /** Units of a stocked reward that redemptions have reserved. */
  async stockReserved(rewardId: string): Promise<number> {
    return (await this.budgets.load(budgetStreamId(rewardStockKey(rewardId)))).state.reservedPoints;
  }
}
