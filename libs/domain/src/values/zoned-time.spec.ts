import { endOfPeriod, isTimeZone, startOfPeriod, zonedInstant, zonedParts } from './zoned-time';

describe('program local time', () => {
  it('reads wall-clock parts in a zone, weekday included', () => {
    // 2026-03-08 is a Sunday; at 09:30 UTC it is 01:30 in Los Angeles (PST, before the 10:00 UTC change).
    expect(zonedParts('2026-03-08T09:30:00Z', 'America/Los_Angeles')).toEqual({
      year: 2026,
      month: 3,
      day: 8,
      hour: 1,
      minute: 30,
      second: 0,
      weekday: 0,
    });
    expect(zonedParts('2026-12-31T23:30:00Z', 'Europe/Paris')).toMatchObject({ year: 2027, month: 1, day: 1, hour: 0, weekday: 5 });
  });

  it('turns local times into instants across daylight-saving changes', () => {
    expect(zonedInstant({ year: 2026, month: 7, day: 1 }, 'Europe/Paris')).toBe('2026-06-30T22:00:00.000Z');
    expect(zonedInstant({ year: 2026, month: 1, day: 1 }, 'Europe/Paris')).toBe('2025-12-31T23:00:00.000Z');
    // 02:30 does not exist in Los Angeles on 2026-03-08: read with the standard offset, it lands after the gap.
    expect(zonedInstant({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, 'America/Los_Angeles')).toBe('2026-03-08T10:30:00.000Z');
    // 01:30 happens twice on 2026-11-01: the first one (daylight time).
    expect(zonedInstant({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, 'America/Los_Angeles')).toBe('2026-11-01T08:30:00.000Z');
    expect(zonedInstant({ year: 2026, month: 5, day: 4 }, 'UTC')).toBe('2026-05-04T00:00:00.000Z');
  });

  it('finds calendar periods in the zone', () => {
    const at = '2026-05-31T23:30:00Z'; // 2026-06-01 01:30 in Paris
    expect(startOfPeriod('month', at, 'Europe/Paris')).toBe('2026-05-31T22:00:00.000Z');
    expect(endOfPeriod('month', at, 'Europe/Paris')).toBe('2026-06-30T22:00:00.000Z');
    expect(endOfPeriod('month', at, 'UTC')).toBe('2026-06-01T00:00:00.000Z');
    expect(startOfPeriod('quarter', at, 'Europe/Paris')).toBe('2026-03-31T22:00:00.000Z');
    expect(endOfPeriod('quarter', at, 'Europe/Paris')).toBe('2026-06-30T22:00:00.000Z');
    expect(endOfPeriod('year', '2026-12-31T23:30:00Z', 'Europe/Paris')).toBe('2027-12-31T23:00:00.000Z');
    expect(startOfPeriod('year', '2026-12-31T23:30:00Z', 'UTC')).toBe('2026-01-01T00:00:00.000Z');
    expect(endOfPeriod('day', '2026-12-31T12:00:00Z', 'UTC')).toBe('2027-01-01T00:00:00.000Z');
    expect(startOfPeriod('day', '2026-03-08T12:00:00Z', 'America/Los_Angeles')).toBe('2026-03-08T08:00:00.000Z');
  });

  it('knows IANA zone names', () => {
    expect([isTimeZone('UTC'), isTimeZone('America/Los_Angeles'), isTimeZone('Mars/Olympus')]).toEqual([true, true, false]);
  });
});
