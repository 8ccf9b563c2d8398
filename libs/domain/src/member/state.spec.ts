import { historyOf, action, adjust, enrol, erase, purchase, receive, redeem, refund, settle, transfer } from '../testing/member-commands';
import { commandKey, MemberCommand } from './commands';
import { decideMember } from './decide';
import { MemberEvent, PointsAccrued } from './events';
import { evolveMember, foldMember, MemberState } from './state';

describe('member state', () => {
  it('remembers each command under the key the decision looks it up by', () => {
    const commands: MemberCommand[] = [
      enrol(),
      purchase({ transactionId: 'tx1', amountMinor: 10_000 }),
      redeem({ redemptionId: 'r1', points: 20 }),
      refund({ transactionId: 'tx1', refundId: 'rf1', amountMinor: 100 }),
      action({ actionId: 'a1' }),
      adjust({ adjustmentId: 'adj1', points: 5 }),
      transfer({ transferId: 'tr1', points: 5 }),
      receive({ memberId: 'm1', transferId: 'tr2' }),
      erase(),
    ];
    const state = foldMember(historyOf(...commands));
    for (const command of commands)
      expect([commandKey(command), state.processed.has(commandKey(command))]).toEqual([commandKey(command), true]);
  });

  it('takes a birthday bonus year from the date of the bonus, whatever its reference says', () => {
    const enrolled = historyOf(enrol());
    const bonus: PointsAccrued = {
      type: 'PointsAccrued',
      data: {
        schemaVersion: 1,
        memberId: 'm1',
        occurredAt: '2026-03-15T00:00:00.000Z',
        lotId: 'birthday-bonus',
        points: 200,
        source: 'birthday',
        reference: 'birthday-bonus',
        programVersion: 1,
        ruleIds: ['birthday'],
        pendingUntil: null,
        expiresAt: null,
      },
    };
    const state = foldMember([...enrolled, bonus]);
    expect([...state.birthdayYears]).toEqual([2026]);
    expect(decideMember(settle('2026-06-01T00:00:00.000Z', { birthDate: '1990-03-15' }), state)).toEqual([]);
  });

  it('leaves the state a fold started from, and the state it returned, as they were', () => {
    const from = foldMember(historyOf(enrol()));
    const copyOf = (state: MemberState) => ({ processed: new Map(state.processed), purchases: new Map(state.purchases) });
    const before = copyOf(from);
    const more = purchasesAfter(from, 'a', 10);
    const folded = foldMember(more, from);
    expect(folded).toEqual(more.reduce(evolveMember, from));
    expect(copyOf(from)).toEqual(before);
    const returned = copyOf(folded);
    const later = purchasesAfter(folded, 'b', 10);
    foldMember(later, folded);
    evolveMember(folded, later[0]!);
    expect(copyOf(folded)).toEqual(returned);
  });
});

/** The events of `count` purchases decided one after another from `state`, enough for the fold to work in place. */
function purchasesAfter(state: MemberState, prefix: string, count: number): MemberEvent[] {
  const events: MemberEvent[] = [];
  for (let i = 0; i < count; i++) {
    const decided = decideMember(purchase({ transactionId: `${prefix}${i}`, occurredAt: `2026-02-${10 + i}T09:00:00.000Z` }), state);
    events.push(...decided);
    state = decided.reduce(evolveMember, state);
  }
  return events;
}
