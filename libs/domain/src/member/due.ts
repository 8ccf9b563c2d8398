import { activationDueAt, expiryDueAt, LotSchedule } from '../lots/lots';
import { ProgramPolicy } from '../program/policy';
import { addMonths, Instant, toMillis } from '../values/time';
import { birthdayBonusAt, birthdayYearOf } from './birthday-year';
import { anyTierBirthdayReward } from '../coupons/birthday';
import type { CouponRecord } from '../coupons/coupons';

/**
 * When the daily settlement has something to do for a member, from what a
 * read model can know of it. Each instant comes from the rule the settlement
 * decides by (the same functions), so an index of these instants finds every
 * member the settlement would change, and only those.
 */

/** A tier is requalified this many calendar months after it was last qualified. */
export const REQUALIFICATION_MONTHS = 12;

export const requalificationDueAt = (tierQualifiedAt: Instant): Instant => addMonths(tierQualifiedAt, REQUALIFICATION_MONTHS);

/** A program without tiers requalifies nobody. */
export const requalifiesTiers = (policy: ProgramPolicy): boolean => policy.tiers.length > 0;

/** A program whose birthday bonus is zero, and whose tiers have no birthday reward, awards none. */
export const awardsBirthdayBonus = (policy: ProgramPolicy): boolean => policy.earning.birthdayBonus > 0 || anyTierBirthdayReward(policy);

/** What settlement reads of a member besides its lots. */
export interface MemberSchedule {
  readonly enrolledAt: Instant;
  readonly tierQualifiedAt: Instant;
  /** YYYY-MM-DD; null when never given or erased. */
  readonly birthDate: string | null;
  /** The latest year a birthday bonus was awarded for; null before the first. */
  readonly lastBirthdayYear: number | null;
}

/** A member's own due instants; its lots have theirs (lotDueAt). */
export interface MemberDue {
  readonly requalificationAt: Instant;
  readonly birthdayBonusAt: Instant | null;
}

/** From when settlement has something to do with a coupon: expire it, while it is active. */
export const couponDueAt = (coupon: CouponSchedule): Instant | null => (coupon.status === 'active' ? coupon.expiresAt : null);

/** What settlement reads of a coupon (the coupons read model holds it too). */
export type CouponSchedule = Pick<CouponRecord, 'status' | 'expiresAt'>;

/** From when settlement has something to do with a lot: activate it or expire what is left of it. */
export const lotDueAt = (lot: LotSchedule): Instant | null => earliest([activationDueAt(lot), expiryDueAt(lot)]);

export function memberDue(member: MemberSchedule): MemberDue {
  return { requalificationAt: requalificationDueAt(member.tierQualifiedAt), birthdayBonusAt: birthdayBonusDueAt(member) };
}

/**
 * The birthday bonus after the latest one awarded (or, before any, the
 * enrolment year's). The settlement awards only its asOf's year, so a year
 * no run reached while it was due is never awarded: the member stays due
 * until the next year's bonus is, and the instant moves on from there.
 */
function birthdayBonusDueAt({ enrolledAt, birthDate, lastBirthdayYear }: MemberSchedule): Instant | null {
  if (birthDate === null) return null;
  const year = Math.max(birthdayYearOf(enrolledAt), lastBirthdayYear === null ? Number.NEGATIVE_INFINITY : lastBirthdayYear + 1);
  return birthdayBonusAt(year, birthDate, enrolledAt);
}

/**
 * The next instant at which settlement under the policy has something to do
 * for a member: the earliest of its lots', its coupons' and its own due instants, or null
 * when nothing will ever be due.
 */
export function nextSettlementDueAt(
  member: MemberSchedule & { readonly lots: readonly LotSchedule[]; readonly coupons: Iterable<CouponSchedule> },
  policy: ProgramPolicy,
): Instant | null {
  const own = memberDue(member);
  return earliest([
    ...member.lots.map(lotDueAt),
    ...[...member.coupons].map(couponDueAt),
    requalifiesTiers(policy) ? own.requalificationAt : null,
    awardsBirthdayBonus(policy) ? own.birthdayBonusAt : null,
  ]);
}

function earliest(instants: ReadonlyArray<Instant | null>): Instant | null {
  let first: Instant | null = null;
  for (const at of instants) if (at !== null && (first === null || toMillis(at) < toMillis(first))) first = at;
  return first;
}
