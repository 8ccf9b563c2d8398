import type { SettleMember } from '../member/commands';
import { accrual } from '../member/decision-helpers';
import type { MemberEvent } from '../member/events';
import type { MemberState } from '../member/state';
import { birthdayIn } from '../member/birthday-year';
import { ProgramPolicy, programTimeZone } from '../program/policy';
import { Instant, isAfter } from '../values/time';
import { zonedInstant } from '../values/zoned-time';
import { couponIssued, isCouponReward } from './coupons';
import { freshCouponCode } from './rule-coupons';

/** A tier's birthday reward: points, or a coupon of a catalogue reward valid for validDays local days from the birthday. */
export type BirthdayReward = { readonly points: number } | { readonly rewardId: string; readonly validDays: number };

export const BIRTHDAY_REWARD_LIMITS = { validDaysMax: 366 } as const;

export const birthdayRewardOf = (policy: ProgramPolicy, tier: string | null): BirthdayReward | undefined =>
  policy.tiers.find((t) => t.name === tier)?.birthdayReward;

export const anyTierBirthdayReward = (policy: ProgramPolicy): boolean => policy.tiers.some((t) => t.birthdayReward !== undefined);

/**
 * The tier's birthday reward in place of the program's birthdayBonus, dated
 * at `at` (the birthday, or the later enrolment). A coupon is valid until the
 * end of the validDays-th local day counting the birthday as the first; one
 * whose window has passed by `at` is not issued.
 */
export function tierBirthdayReward(
  command: SettleMember,
  state: MemberState,
  reward: BirthdayReward,
  year: number,
  at: Instant,
): MemberEvent | undefined {
  const key = `birthday:${year}`;
  const dated = { ...command, occurredAt: at };
  if ('points' in reward) return accrual(dated, key, reward.points, 'birthday', key, ['birthday', `tier:${state.tier}`], state.tier);
  const catalogued = command.program.policy.rewards.find((r) => r.rewardId === reward.rewardId);
  if (!catalogued || !command.birthDate) return undefined;
  const expiresAt = birthdayWindowEnd(year, command.birthDate, reward.validDays, programTimeZone(command.program.policy));
  if (!isAfter(expiresAt, at)) return undefined;
  return couponIssued(dated, catalogued, {
    couponId: key,
    code: freshCouponCode(command, []),
    origin: 'birthday',
    reference: key,
    reason: null,
    issuedAt: at,
    expiresAt,
  });
}

/** The start of the local day validDays days after the birthday (birthDate's day in `year`, as the bonus counts it). */
export function birthdayWindowEnd(year: number, birthDate: string, validDays: number, timeZone: string): Instant {
  const birthday = new Date(birthdayIn(year, birthDate));
  const end = new Date(Date.UTC(birthday.getUTCFullYear(), birthday.getUTCMonth(), birthday.getUTCDate() + validDays));
  return zonedInstant({ year: end.getUTCFullYear(), month: end.getUTCMonth() + 1, day: end.getUTCDate() }, timeZone);
}

export function birthdayRewardProblems(policy: ProgramPolicy): string[] {
  return policy.tiers.flatMap((tier) => {
    const reward = tier.birthdayReward;
    if (reward === undefined) return [];
    const at = `tier ${tier.name}: birthdayReward`;
    if ('points' in reward && 'rewardId' in reward) return [`${at} is points or a rewardId with validDays, not both`];
    if ('points' in reward) {
      const ok = Number.isSafeInteger(reward.points) && reward.points >= 1;
      return ok ? [] : [`${at}.points must be a positive integer`];
    }
    const problems: string[] = [];
    const catalogued = policy.rewards.find((r) => r.rewardId === reward.rewardId);
    if (!catalogued || !isCouponReward(catalogued)) problems.push(`${at}.rewardId must name a coupon reward of the catalogue`);
    if (!(Number.isSafeInteger(reward.validDays) && reward.validDays >= 1 && reward.validDays <= BIRTHDAY_REWARD_LIMITS.validDaysMax)) {
      problems.push(`${at}.validDays must be an integer from 1 to ${BIRTHDAY_REWARD_LIMITS.validDaysMax}`);
    }
    return problems;
  });
}
