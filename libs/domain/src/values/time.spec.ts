import fc from 'fast-check';
import { INSTANT_MAX, INSTANT_MIN, parseCalendarDate, parseInstant } from './time';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

describe('parseInstant: the one rule for instants from outside', () => {
  it('reads instants with an offset as the same moment in UTC, seconds and fraction optional', () => {
    expect(parseInstant('2026-03-01T01:30:00+02:00')).toBe(Date.parse('2026-02-28T23:30:00Z'));
    expect(parseInstant('2026-03-01T01:30-02:30')).toBe(Date.parse('2026-03-01T04:00:00Z'));
    expect(parseInstant('2024-02-29T23:59:59.999999999Z')).toBe(Date.parse('2024-02-29T23:59:59.999Z'));
    expect(parseInstant(INSTANT_MIN)).toBe(0);
    expect(parseInstant(INSTANT_MAX)).toBe(Date.parse(INSTANT_MAX));
  });

  it.each([
    '0000-01-01T00:00:00Z',
    '0070-01-01T00:00:00Z',
    '1969-12-31T23:59:59.999Z',
    '1970-01-01T00:59:59+01:00',
    '9999-12-31T23:59:59-00:01',
    '2026-02-30T00:00:00Z',
    '1900-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-01-00T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T23:60:00Z',
    '2026-01-01T23:59:60Z',
    '2026-01-01T00:00:00+24:00',
    '2026-01-01T00:00:00+01:60',
    '2026-01-01T00:00:00',
    '2026-01-01T00:00:00.Z',
    '2026-01-01 00:00:00Z',
    '+010000-01-01T00:00:00Z',
    ' 2026-01-01T00:00:00Z',
  ])('refuses %s', (text) => expect(parseInstant(text)).toBeUndefined());

  it('accepts exactly the written date-times that exist, never rolling one over into the next (property)', () => {
    const field = (max: number) => fc.integer({ min: 0, max });
    fc.assert(
      fc.property(
        fc.integer({ min: 1969, max: 2401 }),
        field(13),
        field(32),
        field(24),
        field(60),
        field(60),
        (year, month, day, hour, minute, second) => {
          const text = `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}Z`;
          const rolled = new Date(0);
          rolled.setUTCFullYear(year, month - 1, day);
          rolled.setUTCHours(hour, minute, second);
          const exists =
            rolled.getUTCFullYear() === year &&
            rolled.getUTCMonth() === month - 1 &&
            rolled.getUTCDate() === day &&
            rolled.getUTCHours() === hour &&
            rolled.getUTCMinutes() === minute &&
            rolled.getUTCSeconds() === second;
          expect(parseInstant(text)).toBe(exists && rolled.getTime() >= 0 ? rolled.getTime() : undefined);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reads back every instant in range as the ledger writes it (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.parse(INSTANT_MAX) }), (ms) => {
        expect(parseInstant(new Date(ms).toISOString())).toBe(ms);
      }),
    );
  });
});

describe('parseCalendarDate', () => {
  it('reads real dates from the earliest day given and refuses the rest', () => {
    expect(parseCalendarDate('2000-02-29')).toBe(Date.parse('2000-02-29T00:00:00Z'));
    expect(parseCalendarDate('1969-12-31')).toBeUndefined();
    expect(parseCalendarDate('1950-06-01', '1900-01-01T00:00:00Z')).toBe(Date.parse('1950-06-01T00:00:00Z'));
    expect(parseCalendarDate('1899-12-31', '1900-01-01T00:00:00Z')).toBeUndefined();
    for (const text of ['2026-02-29', '2026-04-31', '2026-00-01', '2026-1-01', '2026-01-01T00:00:00Z', '10000-01-01']) {
      expect(parseCalendarDate(text)).toBeUndefined();
    }
  });
});
