import fc from 'fast-check';
import { decideMember } from '../member/decide';
import { MemberEvent } from '../member/events';
import { ledgerProblems } from '../member/invariants';
import { availablePoints, evolveMember, foldMember, initialMemberState, MemberState } from '../member/state';
import { DomainError } from '../shared/errors';
import { isAfter } from '../shared/time';
import { commandsOf, memberPlanUnderTierPolicy } from '../testing/arbitrary-history';
import { statusEndsAt } from './qualification';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);

describe('ledger invariants under every tier policy, with manual tier changes (fast-check)', () => {
  it('keeps the identity and the debt rule, replays to the same state, repeats change nothing, and ends statuses when they end', () => {
    fc.assert(
      fc.property(memberPlanUnderTierPolicy, (plan) => {
        let state: MemberState = initialMemberState();
        const history: MemberEvent[] = [];
        const tiers = new Set(['silver', 'gold', 'platinum']);
        for (const command of commandsOf(plan)) {
          let events: MemberEvent[];
          try {
            events = decideMember(command, state);
          } catch (error) {
            if (error instanceof DomainError) continue;
            throw error;
          }
          let running = state;
          for (const event of events) {
            if (event.type === 'TierChanged') {
              expect(tiers.has(event.data.to)).toBe(true);
              // Nothing but an admin moves a held tier before its end; a status ends at its own instant, never after asOf.
              if (event.data.reason !== 'manual' && running.tierHeldUntil !== undefined) {
                expect(event.data.reason).toBe('requalification');
                expect(event.data.occurredAt).toBe(running.tierHeldUntil);
              }
              if (event.data.reason === 'requalification' && command.type === 'SettleMember') {
                expect(event.data.occurredAt).toBe(statusEndsAt(command.program.policy, running));
                expect(isAfter(event.data.occurredAt, command.asOf)).toBe(false);
              }
            }
            running = evolveMember(running, event);
          }
          history.push(...events);
          state = events.reduce(evolveMember, state);
          expect(ledgerProblems(state)).toEqual([]);
          if (state.debt === 0) expect(availablePoints(state)).toBeGreaterThanOrEqual(0);
          expect(decideMember(command, state)).toEqual([]);
        }
        expect(foldMember(JSON.parse(JSON.stringify(history)) as MemberEvent[])).toEqual(state);
      }),
      { numRuns: RUNS },
    );
  });
});
