import { Inject, Injectable } from '@nestjs/common';
import {
  budgetStreamId,
  decodeBudgetEvent,
  decodeMemberEvent,
  foldBudget,
  foldMember,
  MemberState,
  memberStreamId,
  rewardStockKey,
} from '@loyalty/domain';
import { EventStore } from '@loyalty/event-store';
import { ApiError } from '../http/api-error';
import { EVENT_STORE } from '../tokens';

/**
 * A member's state folded from its own stream, as the write path folds it,
 * and a reward's reserved stock from its budget stream: answers that must
 * match what a command would decide (reward eligibility, offers, stock) are
 * computed from these, not from read models that may lag.
 */
@Injectable()
export class MemberStates {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async of(memberId: string): Promise<MemberState> {
    const history = await this.store.readStream(memberStreamId(memberId));
    const state = foldMember(history.flatMap((recorded) => decodeMemberEvent(recorded) ?? []));
    if (!state.enrolled) throw new ApiError(404, 'MEMBER_NOT_FOUND', `no member ${memberId}`, { memberId });
    return state;
  }

  /** Units of a stocked reward that redemptions have reserved. */
  async stockReserved(rewardId: string): Promise<number> {
    const events = await this.store.readStream(budgetStreamId(rewardStockKey(rewardId)));
    return foldBudget(events.flatMap((e) => decodeBudgetEvent(e) ?? [])).reservedPoints;
  }
}
