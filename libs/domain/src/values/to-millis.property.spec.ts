import fc from 'fast-check';
import { INSTANT_MAX, INSTANT_MIN, toMillis } from './time';

/** Date.parse's reading of a text, or 'invalid' where toMillis must refuse it. */
const parsed = (text: string): number | 'invalid' => {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? 'invalid' : ms;
};

const readByToMillis = (text: string): number | 'invalid' => {
  try {
    return toMillis(text);
  } catch (error) {
    if (error instanceof RangeError) return 'invalid';
    throw error;
  }
};

const CANONICAL_CHARS = '0123456789-T:.Z+ ';

describe('toMillis reads every instant as Date.parse does', () => {
  const instants = fc.date({ min: new Date(INSTANT_MIN), max: new Date(INSTANT_MAX), noInvalidDate: true }).map((d) => d.toISOString());

  it('gives the same milliseconds for canonical instants of the whole accepted range', () => {
    fc.assert(
      fc.property(instants, (text) => expect(toMillis(text)).toBe(Date.parse(text))),
      { numRuns: 2_000 },
    );
  });

  it('agrees with Date.parse on canonical instants with one character changed (bad digits, days past the month end, T24, other offsets)', () => {
    const mutated = fc
      .tuple(instants, fc.nat({ max: 23 }), fc.constantFrom(...CANONICAL_CHARS))
      .map(([text, at, char]) => text.slice(0, at) + char + text.slice(at + 1));
    fc.assert(
      fc.property(mutated, (text) => expect(readByToMillis(text)).toEqual(parsed(text))),
      { numRuns: 5_000 },
    );
  });

  it('agrees on the edges of the calendar and of the fast form', () => {
    for (const text of [
      '2024-02-29T12:00:00.000Z',
      '2025-02-29T12:00:00.000Z',
      '2025-04-31T00:00:00.000Z',
      '2025-12-31T23:59:59.999Z',
      '2025-01-01T24:00:00.000Z',
      '0999-01-01T00:00:00.000Z',
      '0050-01-01T00:00:00.000Z',
      '2025-01-01T00:00:00Z',
      '2025-01-01T01:00:00.000+01:00',
      '2025-13-01T00:00:00.000Z',
      '2025-00-10T00:00:00.000Z',
    ])
      expect([text, readByToMillis(text)]).toEqual([text, parsed(text)]);
  });
});
