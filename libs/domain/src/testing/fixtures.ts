import { MemberCommand, ProgramInForce } from '../member/commands';
import { MemberEvent } from '../member/events';
import { decideMember } from '../member/decide';
import { evolveMember, initialMemberState, MemberState } from '../member/state';
import { ProgramPolicy } from '../program/policy';
import { deciderSpecification } from './decider-specification';

export const policy = (overrides: Partial<ProgramPolicy> = {}): ProgramPolicy => ({
  currency: 'EUR',
  pointValueMinor: 1,
  earning: {
    pointsPerUnit: 1,
    unitMinor: 100,
    categoryMultipliersBp: { coffee: 20_000 },
    welcomeBonus: 100,
    birthdayBonus: 200,
    referralBonus: { referrer: 300, referee: 100 },
    actionBonuses: { review: 50, survey: 30 },
    actionCaps: { review: { maxPerPeriod: 2, periodDays: 30 } },
  },
  pendingDays: 0,
  expiryMonths: 12,
  tiers: [
    { name: 'silver', minSpendMinor: 0, multiplierBp: 10_000 },
    { name: 'gold', minSpendMinor: 100_000, multiplierBp: 15_000 },
  ],
  rewards: [{ rewardId: 'free-coffee', points: 250 }],
  ...overrides,
});

export const programInForce = (overrides: Partial<ProgramPolicy> = {}, version = 1): ProgramInForce => ({
  version,
  policy: policy(overrides),
});

export const member = deciderSpecification<MemberCommand, MemberEvent, MemberState>({
  decide: decideMember,
  evolve: evolveMember,
  initialState: initialMemberState,
});

export const T0 = '2026-01-10T09:00:00.000Z';
export const LATER = '2026-12-31T00:00:00.000Z';
