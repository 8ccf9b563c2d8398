/**
 * Calendar arithmetic on ISO instants. The domain never reads a clock: every
 * instant arrives with a command.
 */
const MS_PER_DAY = 86_400_000;

export type Instant = string;

export function toMillis(instant: Instant): number {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO 8601 instant: ${instant}`);
  return ms;
}

/** Normalised to UTC with milliseconds, so equal instants compare equal as strings. */
export function normaliseInstant(instant: Instant): Instant {
  return new Date(toMillis(instant)).toISOString();
}

export function addDays(instant: Instant, days: number): Instant {
  return new Date(toMillis(instant) + days * MS_PER_DAY).toISOString();
}

/** Adds calendar months in UTC; a day past the target month's end clamps to its last day. */
export function addMonths(instant: Instant, months: number): Instant {
  const date = new Date(toMillis(instant));
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return date.toISOString();
}

export function isAfter(a: Instant, b: Instant): boolean {
  return toMillis(a) > toMillis(b);
}

export function isAtOrBefore(a: Instant, b: Instant): boolean {
  return toMillis(a) <= toMillis(b);
}
