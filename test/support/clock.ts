import { Clock } from '../../apps/ledger-api/src/tokens';

export const DAY_MS = 86_400_000;
/** Where every test ledger's clock starts: a fixed noon, so "now", "today" and "n days ago" are the same on every run. */
export const TEST_NOW = '2026-06-01T12:00:00.000Z';

/**
 * The ledger's only clock, moved by the test alone: commands are stamped with
 * it, the settlement job and the audit read it, so nothing crosses a minute or
 * a midnight between two requests unless the test says so.
 */
export class TestClock implements Clock {
  private nowMs: number;

  constructor(start: string = TEST_NOW) {
    this.nowMs = TestClock.parse(start);
  }

  now(): Date {
    return new Date(this.nowMs);
  }

  nowIso(): string {
    return this.now().toISOString();
  }

  set(instant: string): void {
    this.nowMs = TestClock.parse(instant);
  }

  advance(ms: number): void {
    this.nowMs += ms;
  }

  /** The instant `days` (may be fractional or negative) before now. */
  daysAgo(days: number): string {
    return new Date(this.nowMs - days * DAY_MS).toISOString();
  }

  /** Midnight UTC of the day `days` before today. */
  dayStart(days: number): Date {
    return new Date(Math.floor(this.nowMs / DAY_MS) * DAY_MS - days * DAY_MS);
  }

  private static parse(instant: string): number {
    const ms = Date.parse(instant);
    if (Number.isNaN(ms)) throw new Error(`not an instant: ${instant}`);
    return ms;
  }
}
