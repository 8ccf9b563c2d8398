import { rewardTermsProblems } from '../rewards/rewards';
import { birthdayRewardProblems } from '../coupons/birthday';
import { offerCouponProblems, upgradeRewardProblems } from '../coupons/rule-coupons';
import { canonicalJson } from '../values/canonical-json';
import { invalid, rejected } from '../values/errors';
import { Instant } from '../values/time';
import { experimentProblems } from '../experiments/experiments';
import { offerProblems } from '../offers/offers';
import { earningRuleProblems } from '../earning/rules';
import { isTimeZone } from '../values/zoned-time';
import { tierProblems } from '../tiers/tier-policy';
import { expiryProblems } from '../expiry/expiry';
import { planProblems } from '../memberships/plans';
import { PROGRAM_LIMITS, ProgramPolicy } from './policy';

export const PROGRAM_EVENT_SCHEMA_VERSION = 1;

export interface ProgramConfigured {
  readonly type: 'ProgramConfigured';
  readonly data: {
    readonly schemaVersion: number;
    readonly version: number;
    readonly policy: ProgramPolicy;
    readonly occurredAt: Instant;
  };
}

/**
 * An offer's points budget is spent, as ledgers recorded it before budgets
 * were reserved on the write path (budgets/budgets.ts); still honoured when
 * folding old logs. The offer stays in the configuration but no longer
 * applies; it does not create a program version.
 */
export interface OfferBudgetExhausted {
  readonly type: 'OfferBudgetExhausted';
  readonly data: {
    readonly schemaVersion: number;
    readonly offerId: string;
    readonly pointsAwarded: number;
    readonly pointsBudget: number;
    readonly occurredAt: Instant;
  };
}

export type ProgramEvent = ProgramConfigured | OfferBudgetExhausted;

export interface ConfigureProgram {
  readonly type: 'ConfigureProgram';
  readonly policy: ProgramPolicy;
  readonly occurredAt: Instant;
}

export interface ProgramState {
  readonly version: number;
  readonly policy: ProgramPolicy | undefined;
  readonly configuredAt: Instant | undefined;
  readonly exhaustedOfferIds?: ReadonlySet<string>;
}

export const initialProgramState = (): ProgramState => ({ version: 0, policy: undefined, configuredAt: undefined });

export function evolveProgram(state: ProgramState, event: ProgramEvent): ProgramState {
  switch (event.type) {
    case 'ProgramConfigured':
      return { ...state, version: event.data.version, policy: event.data.policy, configuredAt: event.data.occurredAt };
    case 'OfferBudgetExhausted':
      return { ...state, exhaustedOfferIds: new Set([...(state.exhaustedOfferIds ?? []), event.data.offerId]) };
    default:
      // Program streams may carry event types newer than this code; they change nothing it knows.
      return state;
  }
}

/** Records an offer's exhaustion once; a second report (another watcher, a retry) records nothing. */
export function decideOfferExhaustion(state: ProgramState, offerId: string, pointsAwarded: number, occurredAt: Instant): ProgramEvent[] {
  const offer = state.policy?.offers?.find((o) => o.offerId === offerId);
  if (!offer || offer.pointsBudget === null || pointsAwarded < offer.pointsBudget || state.exhaustedOfferIds?.has(offerId)) return [];
  return [
    {
      type: 'OfferBudgetExhausted',
      data: { schemaVersion: PROGRAM_EVENT_SCHEMA_VERSION, offerId, pointsAwarded, pointsBudget: offer.pointsBudget, occurredAt },
    },
  ];
}

/** Replacing the configuration with an identical one records nothing: PUT is idempotent. */
export function decideProgram(command: ConfigureProgram, state: ProgramState): ProgramConfigured[] {
  assertValidPolicy(command.policy);
  if (state.policy && canonicalJson(state.policy) === canonicalJson(command.policy)) return [];
  return [
    {
      type: 'ProgramConfigured',
      data: {
        schemaVersion: PROGRAM_EVENT_SCHEMA_VERSION,
        version: state.version + 1,
        policy: command.policy,
        occurredAt: command.occurredAt,
      },
    },
  ];
}

export function requireProgram(state: ProgramState): ProgramPolicy {
  if (!state.policy) {
    throw rejected('PROGRAM_NOT_CONFIGURED', 'the program has no configuration yet: PUT /v1/program first');
  }
  const exhausted = state.exhaustedOfferIds;
  if (!exhausted || exhausted.size === 0 || !state.policy.offers) return state.policy;
  // Commands see only offers with budget left; GET /v1/program still shows the configuration as written.
  return { ...state.policy, offers: state.policy.offers.filter((o) => !exhausted.has(o.offerId)) };
}

function assertValidPolicy(policy: ProgramPolicy): void {
  const problems = policyProblems(policy);
  if (problems.length > 0) {
    throw invalid('INVALID_PROGRAM', `invalid program configuration: ${problems.join('; ')}`, { problems });
  }
}

export function policyProblems(policy: ProgramPolicy): string[] {
  const problems: string[] = [];
  const { rewards, earning } = policy;
  if (!/^[A-Z]{3}$/.test(policy.currency)) problems.push('currency must be an ISO 4217 code');
  if (policy.timeZone !== undefined && !isTimeZone(policy.timeZone)) problems.push(`timeZone ${policy.timeZone} is not an IANA time zone`);
  if (earning.unitMinor < 1) problems.push('earning.unitMinor must be at least 1');
  if (policy.pendingDays > PROGRAM_LIMITS.pendingDaysMax) problems.push(`pendingDays exceeds ${PROGRAM_LIMITS.pendingDaysMax}`);
  if (policy.expiryMonths > PROGRAM_LIMITS.expiryMonthsMax) problems.push(`expiryMonths exceeds ${PROGRAM_LIMITS.expiryMonthsMax}`);
  problems.push(...tierProblems(policy));
  if (new Set(rewards.map((r) => r.rewardId)).size !== rewards.length) problems.push('rewardIds must be unique');
  if (rewards.some((r) => r.points < (r.redeemable === false ? 0 : 1))) problems.push('a redeemable reward must cost at least 1 point');
  const tierNames = new Set(policy.tiers.map((t) => t.name));
  const planIds = new Set((policy.plans ?? []).map((p) => p.planId));
  problems.push(...rewards.flatMap((r) => rewardTermsProblems(r, tierNames, planIds)));
  problems.push(...offerProblems(policy.offers ?? []), ...experimentProblems(policy.experiments ?? []));
  problems.push(...earningRuleProblems(earning.rules ?? []));
  problems.push(...expiryProblems(policy));
  problems.push(...birthdayRewardProblems(policy), ...upgradeRewardProblems(policy), ...offerCouponProblems(policy));
  problems.push(...planProblems(policy.plans ?? [], tierNames));
  return problems;
}
