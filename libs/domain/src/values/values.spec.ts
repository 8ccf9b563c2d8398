import { canonicalJson } from './canonical-json';
import { deterministicEventId } from './ids';
import { multiplierToBasisPoints } from './integers';
import { addMonths } from './time';

describe('deterministic event ids', () => {
  it('are stable UUIDs for the same stream, command and index, and differ otherwise', () => {
    const id = deterministicEventId('member-m1', 'purchase:tx1', 0);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicEventId('member-m1', 'purchase:tx1', 0)).toBe(id);
    expect(deterministicEventId('member-m1', 'purchase:tx1', 1)).not.toBe(id);
    expect(deterministicEventId('member-m2', 'purchase:tx1', 0)).not.toBe(id);
  });
});

describe('calendar months', () => {
  it('clamps to the end of a shorter month', () => {
    expect(addMonths('2026-01-31T10:00:00Z', 1)).toBe('2026-02-28T10:00:00.000Z');
    expect(addMonths('2024-02-29T00:00:00Z', 12)).toBe('2025-02-28T00:00:00.000Z');
    expect(addMonths('2026-03-15T00:00:00Z', -12)).toBe('2025-03-15T00:00:00.000Z');
  });
});

describe('multipliers', () => {
  it('become integer basis points, refusing more than four decimals', () => {
    expect(multiplierToBasisPoints(1.5)).toBe(15_000);
    expect(multiplierToBasisPoints(0.0001)).toBe(1);
    expect(multiplierToBasisPoints(1.00001)).toBeUndefined();
    expect(multiplierToBasisPoints(-1)).toBeUndefined();
  });
});

describe('canonical JSON', () => {
  it('ignores key order and undefined values', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe('{"a":{"d":[1,{"x":1,"y":2}]},"b":1}');
  });
});
