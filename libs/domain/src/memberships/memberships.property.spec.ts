import fc from 'fast-check';
import { decideMember } from '../member/decide';
import { MemberEvent } from '../member/events';
import { ledgerProblems } from '../member/invariants';
import { evolveMember, foldMember } from '../member/state';
import { Instant, isAfter, toMillis } from '../values/time';
import {
  decidedHistory,
  membershipCommandsOf,
  membershipPlan,
  programOfMemberships,
  RESERVED_REWARDS,
} from '../testing/arbitrary-memberships';
import { activeAt, benefitsAt } from './benefits';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);
const TIERS = ['silver', 'gold'];

/** The memberships as the log says, kept apart from the domain's fold: what each one grants and until when. */
interface Modelled {
  planId: string;
  startedAt: Instant;
  periodEnd: Instant;
  lapsed: boolean;
  multiplierBp: number | null;
  tier: string | null;
}

function modelAfter(model: Map<string, Modelled>, event: MemberEvent): void {
  const d = event.data;
  if (event.type === 'MembershipStarted') {
    const { planId, occurredAt, periodEnd, multiplierBp } = event.data;
    model.set(event.data.membershipId, {
      planId,
      startedAt: occurredAt,
      periodEnd,
      lapsed: false,
      multiplierBp,
      tier: event.data.tier ?? null,
    });
  }
  const existing = 'membershipId' in d ? model.get(d.membershipId) : undefined;
  if (!existing) return;
  if (event.type === 'MembershipPaymentRecorded' && isAfter(event.data.periodEnd, existing.periodEnd))
    existing.periodEnd = event.data.periodEnd;
  if (event.type === 'MembershipLapsed') existing.lapsed = true;
}

const activeIn = (model: Map<string, Modelled>, at: Instant) =>
  [...model.values()].filter((m) => !m.lapsed && !isAfter(m.startedAt, at) && isAfter(m.periodEnd, at));

const rank = (tier: string | null) => (tier === null ? -1 : TIERS.indexOf(tier));

describe('paid memberships under generated histories (fast-check)', () => {
  it('benefits hold exactly while a membership is active: multiplier, tier and reserved rewards; an ended one grants nothing', () => {
    fc.assert(
      fc.property(membershipPlan, (plan) => {
        const model = new Map<string, Modelled>();
        for (const { command, before, events, refused } of decidedHistory(membershipCommandsOf(plan))) {
          const active = activeIn(model, command.occurredAt);
          const granted = active.reduce<string | null>((best, m) => (rank(m.tier) > rank(best) ? m.tier : best), null);
          const effective = rank(granted) > rank(before.tier) ? granted : before.tier;
          if (command.type === 'RecordPurchase') {
            const accrual = events.find((e) => e.type === 'PointsAccrued' && e.data.source === 'purchase');
            const ruleIds = accrual?.type === 'PointsAccrued' ? accrual.data.ruleIds : [];
            const memberships = ruleIds.filter((id) => id.startsWith('membership:')).map((id) => id.slice('membership:'.length));
            for (const planId of memberships) expect(active.map((m) => m.planId)).toContain(planId);
            if (accrual) {
              expect(ruleIds.includes('tier:gold')).toBe(effective === 'gold');
              for (const m of active) if (m.multiplierBp !== null) expect(memberships).toContain(m.planId);
            }
          }
          if (command.type === 'RedeemPoints' && command.rewardId === RESERVED_REWARDS.plan) {
            const member = active.some((m) => m.planId === 'annual');
            if (refused === null) expect(member).toBe(true);
            if (refused === 'REWARD_NOT_ELIGIBLE') expect(member).toBe(false);
          }
          if (command.type === 'RedeemPoints' && command.rewardId === RESERVED_REWARDS.tier) {
            if (refused === null) expect(effective).toBe('gold');
            if (refused === 'REWARD_NOT_ELIGIBLE') expect(effective).not.toBe('gold');
          }
          for (const event of events) modelAfter(model, event);
        }
        const final = foldMember(decidedHistory(membershipCommandsOf(plan)).flatMap((d) => d.events));
        const policy = programOfMemberships(plan).policy;
        for (const m of final.memberships.values()) {
          expect(activeAt([m], m.periodEnd)).toEqual([]);
          expect(benefitsAt(policy, [m], m.periodEnd)).toEqual({ multiplierBp: 10_000, tier: null, rewardIds: [] });
          if (m.lapsed) expect(activeAt([m], m.startedAt)).toEqual([]);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('a membership never rewrites the qualified tier; the ledger invariants hold; replay and repeats change nothing', () => {
    fc.assert(
      fc.property(membershipPlan, (plan) => {
        const decided = decidedHistory(membershipCommandsOf(plan));
        let state = decided[0]!.before;
        for (const { command, before, events, refused } of decided) {
          const tierChanges = events.filter((e) => e.type === 'TierChanged');
          if (command.type === 'StartMembership' || command.type === 'RecordMembershipPayment' || command.type === 'CancelMembership') {
            expect(tierChanges).toEqual([]);
          }
          state = before;
          for (const event of events) {
            if (event.type === 'TierChanged') expect(event.data.from).toBe(state.tier);
            state = evolveMember(state, event);
          }
          // Only enrolment and tier events set the qualified tier.
          if (events.every((e) => e.type !== 'TierChanged' && e.type !== 'MemberEnrolled')) expect(state.tier).toBe(before.tier);
          expect(ledgerProblems(state)).toEqual([]);
          if (refused === null) expect(decideMember(command, state)).toEqual([]);
        }
        const history = decided.flatMap((d) => d.events);
        expect(foldMember(JSON.parse(JSON.stringify(history)) as MemberEvent[])).toEqual(state);
        const paid = history.flatMap((e) => (e.type === 'MembershipPaymentRecorded' ? [e.data] : []));
        for (const p of paid) expect(toMillis(p.periodEnd)).toBeGreaterThan(toMillis(p.periodStart));
      }),
      { numRuns: RUNS },
    );
  });
});
