import fc from 'fast-check';
import { MemberCommand } from '../member/commands';
import { decideMember } from '../member/decide';
import { MemberEvent } from '../member/events';
import { evolveMember, initialMemberState, MemberState } from '../member/state';
import { MembershipPlan } from '../memberships/plans';
import { DomainError } from '../values/errors';
import { programInForce } from './fixtures';
import { cancelMembership, enrol, payMembership, purchase, redeem, settle, startMembership } from './member-commands';

/**
 * Random paid-membership histories for property tests: plans with or without
 * a trial, a multiplier and a tier, in a zone of their own; starts, payments
 * (of any amount), cancellations, the daily job, purchases and redemptions of
 * rewards reserved to a plan or a tier, over about three years.
 */
const START_MS = Date.parse('2026-01-01T00:00:00Z');
const HOUR_MS = 3_600_000;
const RECEIVED_AT = '2035-01-01T00:00:00.000Z';
const MEMBERSHIP_IDS = ['ms-a', 'ms-b'] as const;
export const RESERVED_REWARDS = { plan: 'members-lounge', tier: 'gold-mug' } as const;

type Step =
  | { kind: 'start'; plan: number; membership: number }
  | { kind: 'pay'; membership: number; amountMinor: number }
  | { kind: 'cancel'; membership: number }
  | { kind: 'settle' }
  | { kind: 'purchase'; amountMinor: number }
  | { kind: 'redeem'; reward: keyof typeof RESERVED_REWARDS };

const membership = fc.integer({ min: 0, max: MEMBERSHIP_IDS.length - 1 });

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('start' as const), plan: fc.nat({ max: 1 }), membership }) },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('pay' as const), membership, amountMinor: fc.integer({ min: 1, max: 20_000 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), membership }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('settle' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('purchase' as const), amountMinor: fc.integer({ min: 0, max: 60_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('redeem' as const), reward: fc.constantFrom('plan' as const, 'tier' as const) }) },
);

const benefits = fc.record(
  { multiplierBp: fc.constantFrom(10_000, 15_000, 20_000), tier: fc.constantFrom('silver', 'gold') },
  { requiredKeys: [] },
);

export const membershipPlan = fc.record({
  timeZone: fc.constantFrom('UTC', 'America/New_York', 'Europe/Paris', 'Australia/Sydney'),
  monthly: fc.record({ trialDays: fc.constantFrom(0, 7, 30), benefits }),
  annual: fc.record({ benefits }),
  steps: fc.array(fc.tuple(step, fc.integer({ min: 1, max: 24 * 45 })), { minLength: 1, maxLength: 40 }),
});

export type MembershipHistoryPlan = typeof membershipPlan extends fc.Arbitrary<infer T> ? T : never;

export function programOfMemberships(plan: MembershipHistoryPlan) {
  const plans: MembershipPlan[] = [
    { planId: 'monthly', feeMinor: 1499, period: 'month', trialDays: plan.monthly.trialDays, benefits: plan.monthly.benefits },
    { planId: 'annual', feeMinor: 13_900, period: 'year', benefits: plan.annual.benefits },
  ];
  return programInForce({
    timeZone: plan.timeZone,
    plans,
    rewards: [
      { rewardId: RESERVED_REWARDS.plan, points: 10, plans: ['annual'] },
      { rewardId: RESERVED_REWARDS.tier, points: 10, tiers: ['gold'] },
    ],
  });
}

export function membershipCommandsOf(plan: MembershipHistoryPlan): MemberCommand[] {
  const program = programOfMemberships(plan);
  let at = START_MS;
  const common = () => ({ memberId: 'm1', occurredAt: new Date(at).toISOString(), receivedAt: RECEIVED_AT, program });
  const commands: MemberCommand[] = [enrol({ ...common(), personalData: null, requestHash: 'h-enrol' })];
  plan.steps.forEach(([s, hours], i) => {
    at += hours * HOUR_MS;
    const id = `s-${i}`;
    switch (s.kind) {
      case 'start': {
        const planId = s.plan === 0 ? 'monthly' : 'annual';
        const membershipId = MEMBERSHIP_IDS[s.membership]!;
        return void commands.push(startMembership({ ...common(), membershipId, planId, requestHash: `h-${membershipId}-${planId}` }));
      }
      case 'pay':
        return void commands.push(
          payMembership({
            ...common(),
            membershipId: MEMBERSHIP_IDS[s.membership]!,
            paymentId: id,
            amountMinor: s.amountMinor,
            requestHash: `h-${id}`,
          }),
        );
      case 'cancel': {
        const membershipId = MEMBERSHIP_IDS[s.membership]!;
        return void commands.push(cancelMembership({ ...common(), membershipId, requestHash: `h-cancel-${membershipId}` }));
      }
      case 'settle':
        return void commands.push(settle(common().occurredAt, common()));
      case 'purchase':
        return void commands.push(purchase({ ...common(), transactionId: id, amountMinor: s.amountMinor, requestHash: `h-${id}` }));
      case 'redeem':
        return void commands.push(
          redeem({ ...common(), redemptionId: id, points: null, rewardId: RESERVED_REWARDS[s.reward], requestHash: `h-${id}` }),
        );
    }
  });
  return commands;
}

export interface Decided {
  readonly command: MemberCommand;
  readonly before: MemberState;
  readonly events: MemberEvent[];
  /** The refusal's code; a refusal writes nothing. */
  readonly refused: string | null;
}

/** Each command decided on the state before it, as the write path does. */
export function decidedHistory(commands: readonly MemberCommand[]): Decided[] {
  let state = initialMemberState();
  return commands.map((command) => {
    const before = state;
    try {
      const events = decideMember(command, before);
      state = events.reduce(evolveMember, before);
      return { command, before, events, refused: null };
    } catch (error) {
      if (error instanceof DomainError) return { command, before, events: [], refused: error.code };
      throw error;
    }
  });
}
