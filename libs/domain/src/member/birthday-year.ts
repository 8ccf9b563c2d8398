import { Instant, isAfter, toMillis } from '../values/time';
import { MemberEvent } from './events';

/**
 * The calendar year (UTC) a birthday bonus belongs to. The settlement picks
 * it from its asOf and dates the bonus on the birthday of that year (or the
 * later enrolment), never after asOf: so the bonus's own date gives it back.
 */
export const birthdayYearOf = (at: Instant): number => new Date(toMillis(at)).getUTCFullYear();

/** The year a birthday bonus (an accrual, or a tier's birthday coupon) was awarded for; undefined for every other event. */
export const birthdayBonusYearOf = (event: MemberEvent): number | undefined =>
  (event.type === 'PointsAccrued' && event.data.source === 'birthday') ||
  (event.type === 'CouponIssued' && event.data.origin === 'birthday')
    ? birthdayYearOf(event.data.occurredAt)
    : undefined;

/** Midnight UTC of a birthday (YYYY-MM-DD) in a year: 29 February counts on 28 February in other years. */
export function birthdayIn(year: number, birthDate: string): Instant {
  const [, month, day] = birthDate.split('-').map(Number) as [number, number, number];
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return new Date(Date.UTC(year, month - 1, Math.min(day, lastDay))).toISOString();
}

/** When the birthday bonus of a year is due and dated: on the birthday, or at enrolment when that came later. */
export function birthdayBonusAt(year: number, birthDate: string, enrolledAt: Instant | null): Instant {
  const birthday = birthdayIn(year, birthDate);
  return enrolledAt === null || isAfter(birthday, enrolledAt) ? birthday : enrolledAt;
}
