/**
 * Calendar arithmetic on ISO instants. The domain never reads a clock: every
 * instant arrives with a command.
 */
const MS_PER_DAY = 86_400_000;

export type Instant = string;

/**
 * The range of instants the ledger accepts from outside. Before 1970 a date is
 * a typo (0000-01-01) that reports and Postgres cannot place; after 9999 ISO
 * 8601 needs more than four year digits. Both are far inside timestamptz.
 */
export const INSTANT_MIN = '1970-01-01T00:00:00.000Z';
export const INSTANT_MAX = '9999-12-31T23:59:59.999Z';
/** Birth dates are calendar dates from this day on (and not after the day they are given). */
export const BIRTH_DATE_MIN = '1900-01-01T00:00:00.000Z';
/**
 * How far a command's occurredAt may lie after the moment it was received.
 * The contract (docs/http-api.md) says "never in the future", so no skew is tolerated;
 * a POS whose clock runs ahead sends no occurredAt and gets the receipt time.
 */
export const OCCURRED_AT_FUTURE_SKEW_MS = 0;

const INSTANT_MIN_MS = Date.parse(INSTANT_MIN);
const INSTANT_MAX_MS = Date.parse(INSTANT_MAX);
const MS_PER_MINUTE = 60_000;
/** ISO 8601 extended format with a required offset; seconds and up to 9 fraction digits optional. */
const INSTANT_SYNTAX =
  /^(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})T(?<hour>\d{2}):(?<minute>\d{2})(?::(?<second>\d{2})(?:\.(?<fraction>\d{1,9}))?)?(?:Z|(?<sign>[+-])(?<offsetHours>\d{2}):(?<offsetMinutes>\d{2}))$/;
const DATE_SYNTAX = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Milliseconds since the epoch of an instant written as ISO 8601 with an
 * offset (Z or ±hh:mm), or undefined when it is not one: every field must be
 * a real calendar value (no 2026-02-30, no T24:00, no second 60), nothing is
 * rolled over into the next day or month, and the instant must lie within
 * [INSTANT_MIN, INSTANT_MAX]. Digits past milliseconds are dropped.
 */
export function parseInstant(text: string): number | undefined {
  const groups = INSTANT_SYNTAX.exec(text)?.groups;
  if (!groups) return undefined;
  const field = (name: string) => Number(groups[name] ?? 0);
  const dayMs = calendarDayMs(field('year'), field('month'), field('day'));
  const hour = field('hour');
  const minute = field('minute');
  const second = field('second');
  const offsetMinutes = field('offsetHours') * 60 + field('offsetMinutes');
  if (dayMs === undefined || hour > 23 || minute > 59 || second > 59 || field('offsetHours') > 23 || field('offsetMinutes') > 59) {
    return undefined;
  }
  const fractionMs = Number((groups.fraction ?? '').padEnd(3, '0').slice(0, 3));
  const offsetMs = (groups.sign === '-' ? -1 : 1) * offsetMinutes * MS_PER_MINUTE;
  const ms = dayMs + ((hour * 60 + minute) * 60 + second) * 1000 + fractionMs - offsetMs;
  return ms >= INSTANT_MIN_MS && ms <= INSTANT_MAX_MS ? ms : undefined;
}

/**
 * Midnight UTC of a calendar date written YYYY-MM-DD, or undefined when there
 * is no such day (2026-02-30) or it lies outside [earliest, INSTANT_MAX].
 */
export function parseCalendarDate(text: string, earliest: Instant = INSTANT_MIN): number | undefined {
  const m = DATE_SYNTAX.exec(text);
  const ms = m ? calendarDayMs(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
  return ms !== undefined && ms >= Date.parse(earliest) && ms <= INSTANT_MAX_MS ? ms : undefined;
}

function calendarDayMs(year: number, month: number, day: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  return new Date(0).setUTCFullYear(year, month - 1, day);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function toMillis(instant: Instant): number {
  const ms = canonicalMillis(instant) ?? Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO 8601 instant: ${instant}`);
  return ms;
}

/** YYYY-MM-DDTHH:MM:SS.sssZ, as toISOString writes it: the form nearly every stored instant has. */
const CANONICAL_INSTANT_LENGTH = 24;
/** The canonical form's separators, as [index, char code]: compared by code, the cheapest test. */
const CANONICAL_SEPARATORS = (
  [
    [4, '-'],
    [7, '-'],
    [10, 'T'],
    [13, ':'],
    [16, ':'],
    [19, '.'],
    [23, 'Z'],
  ] as const
).map(([at, char]) => [at, char.charCodeAt(0)] as const);
/** Date.UTC reads years 0-99 as 1900-1999: below this, Date.parse decides. */
const FOUR_DIGIT_YEAR_MIN = 1000;

/**
 * An instant in the canonical form, read digit by digit; undefined for
 * anything else (another offset, no such day, an out-of-range field),
 * which Date.parse then reads. Date.parse was most of the cost of comparing
 * instants, and a decision compares them for every lot and purchase the
 * member holds. Both give the same milliseconds.
 */
function canonicalMillis(text: string): number | undefined {
  if (text.length !== CANONICAL_INSTANT_LENGTH) return undefined;
  for (let k = 0; k < CANONICAL_SEPARATORS.length; k++) {
    const [at, code] = CANONICAL_SEPARATORS[k]!;
    if (text.charCodeAt(at) !== code) return undefined;
  }
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  const milli = digitsAt(text, 20, 3);
  // digitsAt answers -1 for a non-digit, so every lower bound also refuses text that is not a number.
  const inRange =
    year >= FOUR_DIGIT_YEAR_MIN &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour >= 0 &&
    hour <= 23 &&
    minute >= 0 &&
    minute <= 59 &&
    second >= 0 &&
    second <= 59 &&
    milli >= 0;
  return inRange ? Date.UTC(year, month - 1, day, hour, minute, second, milli) : undefined;
}

/** The decimal number written by `count` digits from `from`, or -1 when one of them is not a digit. */
function digitsAt(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
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
