import fc from 'fast-check';
import {
  commandsOf,
  memberPlan,
  memberPlanUnderExpiry,
  memberPlanUnderTierPolicy,
  memberPlanWithCoupons,
} from '../testing/arbitrary-history';
import { DomainError } from '../values/errors';
import { decideMember } from './decide';
import { MemberEvent } from './events';
import { decodeMemberState, encodeMemberState, MEMBER_STATE_SHAPE_VERSION } from './state-codec';
import { evolveMember, foldMember, initialMemberState, MemberState } from './state';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 200);

/** The events a plan's commands record, as the write path would: refusals write nothing. */
function historyOf(plan: Parameters<typeof commandsOf>[0]): MemberEvent[] {
  let state: MemberState = initialMemberState();
  const history: MemberEvent[] = [];
  for (const command of commandsOf(plan)) {
    try {
      const events = decideMember(command, state);
      history.push(...events);
      state = events.reduce(evolveMember, state);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  }
  // Stored as JSON: the fold reads what the store gives back, not the decider's objects.
  return JSON.parse(JSON.stringify(history)) as MemberEvent[];
}

const plans = fc.oneof(memberPlan, memberPlanWithCoupons, memberPlanUnderExpiry, memberPlanUnderTierPolicy);

describe('member state snapshots (fast-check)', () => {
  it('folds a snapshot and the events after it into the state the whole history folds to', () => {
    fc.assert(
      fc.property(plans, fc.double({ min: 0, max: 1, noNaN: true }), (plan, cut) => {
        const history = historyOf(plan);
        const at = Math.floor(cut * history.length);
        const snapshot = decodeMemberState(encodeMemberState(foldMember(history.slice(0, at))));
        expect(foldMember(history.slice(at), snapshot)).toStrictEqual(foldMember(history));
      }),
      { numRuns: RUNS },
    );
  });

  it('decodes an encoded state to an equal one, Maps, Sets and undefined fields included', () => {
    fc.assert(
      fc.property(plans, (plan) => {
        const state = foldMember(historyOf(plan));
        expect(decodeMemberState(encodeMemberState(state))).toStrictEqual(state);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses a value JSON would change, rather than write a snapshot that decodes to another state', () => {
    expect(() => encodeMemberState({ ...initialMemberState(), debt: Number.NaN })).toThrow(TypeError);
    expect(() => encodeMemberState({ ...initialMemberState(), enrolledAt: new Date(0) as never })).toThrow(TypeError);
  });

  // A change to the fields of MemberState must come with a new shape version: update both together.
  it('names the fields of the state shape its version was written for', () => {
    expect({ version: MEMBER_STATE_SHAPE_VERSION, fields: Object.keys(initialMemberState()).sort() }).toEqual({
      version: 3,
      fields: [
        'birthdayYears',
        'coupons',
        'debt',
        'enrolled',
        'enrolledAt',
        'erased',
        'eventCount',
        'lots',
        'memberId',
        'memberType',
        'memberships',
        'movements',
        'processed',
        'purchases',
        'redemptions',
        'referralQualified',
        'referredBy',
        'rewardedActions',
        'tier',
        'tierHeldUntil',
        'tierQualifiedAt',
        'tierReachedAt',
      ],
    });
  });
});
