import fc from 'fast-check';
import { expiryDate } from '../lots/lots';
import { DomainError } from '../values/errors';
import { toMillis } from '../values/time';
import { commandsOf, memberPlan, memberPlanUnderExpiry } from '../testing/arbitrary-history';
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

  it('keeps the same identity under every expiry policy and tier override, replays to the same state, and dates each expiry at its lot deadline', () => {
    fc.assert(
      fc.property(memberPlanUnderExpiry, (plan) => {
        const { state, history, decided } = play(plan);
        for (const { state: after } of decided) {
          expect(ledgerProblems(after)).toEqual([]);
          if (after.debt === 0) expect(availablePoints(after)).toBeGreaterThanOrEqual(0);
        }
        expect(foldMember(JSON.parse(JSON.stringify(history)) as MemberEvent[])).toEqual(state);
        // Each expiry is dated at its lot's deadline as the state before the run had it (or when points were put back after it), by asOf.
        decided.forEach(({ command }, i) => {
          if (command.type !== 'SettleMember') return;
          const before = i === 0 ? initialMemberState() : decided[i - 1]!.state;
          for (const event of decideMember(command, before)) {
            if (event.type !== 'PointsExpired') continue;
            const lot = before.lots.find((l) => l.lotId === event.data.lotId)!;
            expect(event.data.occurredAt).toBe(expiryDate(lot));
            expect(toMillis(event.data.occurredAt)).toBeLessThanOrEqual(toMillis(command.asOf));
          }
        });
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
