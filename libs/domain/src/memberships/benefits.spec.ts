import { MemberCommand } from '../member/commands';
import { MemberEvent } from '../member/events';
import { foldMember } from '../member/state';
import { policyProblems } from '../program/program';
import { member, programInForce } from '../testing/fixtures';
import { enrol, historyOf, purchase, redeem, startMembership } from '../testing/member-commands';
import { benefitsAt, effectiveTierAt } from './benefits';
import { MembershipPlan } from './plans';

const RECEIVED = '2030-01-01T00:00:00.000Z';
const START = '2026-03-01T10:00:00.000Z';
const DURING = '2026-03-15T00:00:00.000Z';
const AFTER_TRIAL = '2026-04-15T00:00:00.000Z';

const goldClub: MembershipPlan = { planId: 'gold-club', feeMinor: 999, period: 'month', trialDays: 30, benefits: { tier: 'gold' } };
const annual: MembershipPlan = { planId: 'annual', feeMinor: 13_900, period: 'year', benefits: { multiplierBp: 20_000 } };
const program = programInForce({
  plans: [goldClub, annual],
  rewards: [
    { rewardId: 'free-coffee', points: 250 },
    { rewardId: 'gold-mug', points: 100, tiers: ['gold'] },
    { rewardId: 'members-lounge', points: 100, plans: ['annual'] },
  ],
});

const at = (occurredAt: string) => ({ occurredAt, receivedAt: RECEIVED, program });
const joined = (planId: string, ...then: MemberCommand[]) =>
  historyOf(enrol(at(START)), startMembership({ planId, requestHash: `h-${planId}`, ...at(START) }), ...then);
const buy = (transactionId: string, occurredAt: string) =>
  purchase({ transactionId, amountMinor: 1000, requestHash: `h-${transactionId}`, ...at(occurredAt) });
const claim = (rewardId: string, occurredAt: string) =>
  redeem({ redemptionId: `r-${rewardId}`, rewardId, points: null, requestHash: `h-r-${rewardId}`, ...at(occurredAt) });
const accruals = (events: MemberEvent[]) => events.flatMap((e) => (e.type === 'PointsAccrued' ? [[e.data.points, e.data.ruleIds]] : []));

describe('a tier granted by a membership', () => {
  const history = joined('gold-club');

  it('earns at the tier while the membership is active, and names the membership', () => {
    member
      .given(history)
      .when(buy('tx-during', DURING))
      .thenMatches((events) => expect(accruals(events)).toEqual([[15, ['base', 'tier:gold', 'membership:gold-club']]]));
  });

  it('never rewrites the qualified tier: no TierChanged, and after the period the member earns at the qualified tier', () => {
    const state = foldMember(history);
    expect(state.tier).toBe('silver');
    expect(effectiveTierAt(program.policy.tiers, state, DURING)).toBe('gold');
    expect(effectiveTierAt(program.policy.tiers, state, AFTER_TRIAL)).toBe('silver');
    member
      .given(history)
      .when(buy('tx-after', AFTER_TRIAL))
      .thenMatches((events) => {
        expect(events.some((e) => e.type === 'TierChanged')).toBe(false);
        expect(accruals(events)).toEqual([[10, ['base']]]);
      });
  });

  it('opens rewards reserved to the tier while active only', () => {
    const rich = joined('gold-club', buy('tx-big', '2026-03-02T00:00:00.000Z'));
    member
      .given(rich)
      .when(claim('gold-mug', DURING))
      .thenMatches((events) => expect(events.map((e) => e.type)).toEqual(['PointsRedeemed']));
    member.given(rich).when(claim('gold-mug', AFTER_TRIAL)).thenThrows('REWARD_NOT_ELIGIBLE', { tier: 'silver' });
  });

  it('never lowers a tier qualified for above it', () => {
    const tiers = [{ name: 'silver' }, { name: 'gold' }, { name: 'platinum' }];
    expect(effectiveTierAt(tiers, { ...foldMember(history), tier: 'platinum' }, DURING)).toBe('platinum');
  });
});

describe('rewards reserved to plans', () => {
  it('refuses a member without an active membership of one of the plans', () => {
    member
      .given(joined('gold-club'))
      .when(claim('members-lounge', DURING))
      .thenThrows('REWARD_NOT_ELIGIBLE', { plans: ['annual'] });
  });

  it('grants one with an active membership of a plan, and reports it among the benefits', () => {
    const history = joined('annual');
    member
      .given(history)
      .when(claim('members-lounge', DURING))
      .thenMatches((events) => expect(events.map((e) => e.type)).toEqual(['PointsRedeemed']));
    expect(benefitsAt(program.policy, foldMember(history).memberships.values(), DURING)).toEqual({
      multiplierBp: 20_000,
      tier: null,
      rewardIds: ['members-lounge'],
    });
  });
});

describe('benefits in a configuration', () => {
  it('refuses a plan tier and reward plans the program does not have', () => {
    const policy = {
      ...program.policy,
      plans: [{ ...goldClub, benefits: { tier: 'diamond' } }],
      rewards: [
        { rewardId: 'lounge', points: 1, plans: ['nope'] },
        { rewardId: 'none', points: 1, plans: [] },
      ],
    };
    expect(policyProblems(policy)).toEqual([
      "reward lounge: plan nope is not one of the program's plans",
      'reward none: plans, when given, names at least one plan',
      "plan gold-club: benefits.tier diamond is not one of the program's tiers",
    ]);
  });
});
