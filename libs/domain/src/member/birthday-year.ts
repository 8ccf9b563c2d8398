import { Instant, toMillis } from '../shared/time';

/**
 * The calendar year (UTC) a birthday bonus belongs to. The settlement picks
 * it from its asOf and dates the bonus on the birthday of that year (or the
 * later enrolment), never after asOf: so the bonus's own date gives it back.
 */
export const birthdayYearOf = (at: Instant): number => new Date(toMillis(at)).getUTCFullYear();
