import { Inject, Injectable } from '@nestjs/common';
import { budgetStreamId, decodeBudgetEvent, foldBudget, MemberState, memberStreamId, rewardStockKey } from '@loyalty/domain';
import { EventStore } from '@loyalty/event-store';
import { ApiError } from '../http/api-error';
import { MemberStates } from '../ledger/member-states';
import { EVENT_STORE } from '../tokens';

/**
 * What a member's own views decide from, as a command would (reward
 * eligibility, offers, stock): the member's state from the write path's
 * MemberStates, so a long history costs the member page no more than a
 * purchase, and a reward's reserved stock from its budget stream, not from
 * read models that may lag.
 */
@Injectable()
export class MemberDecisionState {
  constructor(
    private readonly states: MemberStates,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async of(memberId: string): Promise<MemberState> {
    const { state } = await this.states.load(memberStreamId(memberId));
    if (!state.enrolled) throw new ApiError(404, 'MEMBER_NOT_FOUND', `no member ${memberId}`, { memberId });
    return state;
  }

  /** Units of a stocked reward that redemptions have reserved. */
  async stockReserved(rewardId: string): Promise<number> {
    const events = await this.store.readStream(budgetStreamId(rewardStockKey(rewardId)));
    return foldBudget(events.flatMap((e) => decodeBudgetEvent(e) ?? [])).reservedPoints;
  }
}
