import { Instant, toMillis } from './time';

/**
 * The program's local time: days of week, local hours, calendar months,
 * quarters and years, birthdays, end-of-period rounding. Pure: the IANA time
 * zone data comes with the runtime (Intl), never from a clock or a file.
 */

/** A wall-clock reading in a time zone; month 1-12, weekday 0 (Sunday) to 6. */
export interface ZonedParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly weekday: number;
}

export type CalendarUnit = 'day' | 'month' | 'quarter' | 'year';

const WEEKDAYS: readonly string[] = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Whether the runtime knows this IANA zone name (`UTC`, `Europe/Paris`, `America/Los_Angeles`). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export function zonedParts(instant: Instant | number, timeZone: string): ZonedParts {
  const ms = typeof instant === 'number' ? instant : toMillis(instant);
  const parts = formatter(timeZone).formatToParts(new Date(ms));
  const field = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    year: Number(field('year')),
    month: Number(field('month')),
    day: Number(field('day')),
    // Some runtimes write midnight as 24 with hourCycle h23 unsupported: it is hour 0 of that day.
    hour: Number(field('hour')) % 24,
    minute: Number(field('minute')),
    second: Number(field('second')),
    weekday: Math.max(0, WEEKDAYS.indexOf(field('weekday'))),
  };
}

/**
 * The instant a local wall-clock time names in a zone. A time that does not
 * exist (skipped by a daylight-saving change) is read with the offset before
 * the change, so it lands just after the gap; a repeated one is its first occurrence.
 */
export function zonedInstant(
  local: { readonly year: number; readonly month: number; readonly day: number; readonly hour?: number; readonly minute?: number },
  timeZone: string,
): Instant {
  const wallMs = Date.UTC(local.year, local.month - 1, local.day, local.hour ?? 0, local.minute ?? 0);
  // Two candidates: the wall time less the offset near it, and less the offset at the first candidate.
  const first = wallMs - offsetMs(wallMs, timeZone);
  const second = wallMs - offsetMs(first, timeZone);
  const reads = (ms: number) => {
    const p = zonedParts(ms, timeZone);
    return p.year === local.year && p.month === local.month && p.day === local.day && p.hour === (local.hour ?? 0);
  };
  const valid = [first, second].filter(reads);
  // In a gap clocks moved forward, so the offset before it is the smaller one: the later candidate.
  return new Date(valid.length > 0 ? Math.min(...valid) : Math.max(first, second)).toISOString();
}

/** The first instant of the calendar period (in the zone) that contains `instant`. */
export function startOfPeriod(unit: CalendarUnit, instant: Instant, timeZone: string): Instant {
  const p = zonedParts(instant, timeZone);
  const month = unit === 'year' ? 1 : unit === 'quarter' ? p.month - ((p.month - 1) % 3) : p.month;
  return zonedInstant({ year: p.year, month, day: unit === 'day' ? p.day : 1 }, timeZone);
}

/** The first instant of the next calendar period: the exclusive end of the one that contains `instant`. */
export function endOfPeriod(unit: CalendarUnit, instant: Instant, timeZone: string): Instant {
  const p = zonedParts(instant, timeZone);
  if (unit === 'day') return zonedInstant(nextDay(p), timeZone);
  const months = unit === 'year' ? 12 : unit === 'quarter' ? 3 : 1;
  const first = unit === 'year' ? 1 : unit === 'quarter' ? p.month - ((p.month - 1) % 3) : p.month;
  const next = first - 1 + months;
  return zonedInstant({ year: p.year + Math.floor(next / 12), month: (next % 12) + 1, day: 1 }, timeZone);
}

function nextDay(p: ZonedParts) {
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day + 1));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** How far the zone's wall clock is ahead of UTC at an instant. */
function offsetMs(ms: number, timeZone: string): number {
  const p = zonedParts(ms, timeZone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - (ms - (((ms % 1000) + 1000) % 1000));
}

/** Built per call (tens of microseconds): the domain keeps no module state, and commands read a few instants each. */
function formatter(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    weekday: 'short',
  });
}
