import fc from 'fast-check';
import { DomainError } from '../shared/errors';
import { commandsOf, memberPlan } from '../testing/arbitrary-history';
import { decideMember } from './decide';
import { MemberEvent } from './events';
import { ledgerProblems } from './invariants';
import { availablePoints, evolveMember, foldMember, initialMemberState, MemberState } from './state';

/** Runs enough histories to matter; fast-check prints the seed and the shrunk counterexample on failure. */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);

function play(plan: Parameters<typeof commandsOf>[0]) {
  let state: MemberState = initialMemberState();
  const history: MemberEvent[] = [];
  const decided: Array<{ command: ReturnType<typeof commandsOf>[number]; state: MemberState }> = [];
  for (const command of commandsOf(plan)) {
    let events: MemberEvent[];
    try {
      events = decideMember(command, state);
    } catch (error) {
      if (error instanceof DomainError) continue; // a refusal writes nothing
      throw error;
    }
    history.push(...events);
    state = events.reduce(evolveMember, state);
    decided.push({ command, state });
  }
  return { state, history, decided };
}

describe('ledger invariants over random command sequences (fast-check)', () => {
  it('keeps issued - redeemed - expired - clawed back +/- adjusted +/- transferred = available + pending, lots never negative', () => {
    fc.assert(
      fc.property(memberPlan, (plan) => {
        const { decided } = play(plan);
        for (const { state } of decided) {
          expect(ledgerProblems(state)).toEqual([]);
          expect(availablePoints(state)).toBeGreaterThanOrEqual(-state.debt);
          if (state.debt === 0) expect(availablePoints(state)).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('changes nothing when the same command is applied a second time', () => {
    fc.assert(
      fc.property(memberPlan, (plan) => {
        const { decided } = play(plan);
        for (const { command, state } of decided) expect(decideMember(command, state)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('rebuilds the same state when the log is replayed from scratch', () => {
    fc.assert(
      fc.property(memberPlan, (plan) => {
        const { state, history } = play(plan);
        const replayed = foldMember(JSON.parse(JSON.stringify(history)) as MemberEvent[]);
        expect(replayed).toEqual(state);
      }),
      { numRuns: RUNS },
    );
  });
});
