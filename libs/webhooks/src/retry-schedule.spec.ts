import { WEBHOOK_CONFIG_DEFAULTS } from '@loyalty/platform';
import { afterFailure } from './retry-schedule';

const HOUR_MS = 3_600_000;

/** The instants of every attempt against a receiver that always fails at once, until the delivery is parked. */
function attemptsUntilParked(config = WEBHOOK_CONFIG_DEFAULTS): number[] {
  const at = [0];
  for (;;) {
    const decision = afterFailure(config, at.length, 0, at[at.length - 1]!);
    if (decision.park) return at;
    at.push(decision.nextAttemptAtMs);
  }
}

describe('webhook retry schedule', () => {
  it('retries within seconds first, doubling, capped at an hour, for at least 24 hours before parking', () => {
    const at = attemptsUntilParked();
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    expect(gaps.slice(0, 4)).toEqual([5000, 10_000, 20_000, 40_000]);
    expect(Math.max(...gaps)).toBe(HOUR_MS);
    expect(at[at.length - 1]!).toBeGreaterThanOrEqual(24 * HOUR_MS);
    expect(at[at.length - 1]!).toBeLessThan(25 * HOUR_MS);
    expect(at).toHaveLength(34);
  });

  it('parks on the first failure past the window, however few attempts were made', () => {
    expect(afterFailure(WEBHOOK_CONFIG_DEFAULTS, 2, 0, 24 * HOUR_MS)).toEqual({ park: true });
    expect(afterFailure(WEBHOOK_CONFIG_DEFAULTS, 2, 0, 24 * HOUR_MS - 1)).toEqual({
      park: false,
      nextAttemptAtMs: 24 * HOUR_MS - 1 + 10_000,
    });
  });
});
