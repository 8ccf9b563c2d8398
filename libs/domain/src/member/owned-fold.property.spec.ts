import fc from 'fast-check';
import { DomainError } from '../values/errors';
import { commandsOf, memberPlanWithCoupons } from '../testing/arbitrary-history';
import { decideMember } from './decide';
import { MemberEvent } from './events';
import { evolveMember, initialMemberState, MemberState, OwnedMemberFold } from './state';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 200);

describe('OwnedMemberFold (fast-check)', () => {
  it('decides and folds every command as copy-on-write evolveMember does, and leaves the state it started from untouched', () => {
    fc.assert(
      fc.property(memberPlanWithCoupons, fc.nat({ max: 20 }), (plan, openingCommands) => {
        const commands = commandsOf(plan);
        let copied: MemberState = initialMemberState();
        let owned: OwnedMemberFold | undefined;
        let opening: { state: MemberState; snapshot: string } | undefined;
        for (const [i, command] of commands.entries()) {
          if (i === openingCommands) {
            owned = new OwnedMemberFold(copied);
            opening = { state: copied, snapshot: JSON.stringify(snapshotOf(copied)) };
          }
          const state = owned?.state ?? copied;
          let events: MemberEvent[];
          try {
            events = decideMember(command, state);
          } catch (error) {
            if (error instanceof DomainError) continue;
            throw error;
          }
          expect(events).toEqual(owned ? decideMember(command, copied) : events);
          copied = events.reduce(evolveMember, copied);
          owned?.apply(events);
        }
        if (owned) expect(snapshotOf(owned.state)).toEqual(snapshotOf(copied));
        if (opening) expect(JSON.stringify(snapshotOf(opening.state))).toBe(opening.snapshot);
      }),
      { numRuns: RUNS },
    );
  });
});

/** Maps and sets as entry lists, so equality covers their contents and their order. */
function snapshotOf(state: MemberState): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(state).map(([key, value]) => [key, value instanceof Map || value instanceof Set ? [...value.entries()] : value]),
  );
}
