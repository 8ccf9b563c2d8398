import { EntityManager } from 'typeorm';
import { toMillis } from '@loyalty/domain';
import { SegmentDefinitions } from './segment-definitions';

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The segment clock of a batch: the latest occurredAt seen so far. It only
 * moves forward (a backdated event is judged at the clock, like every other
 * member); it advances in memory and is written once per flush.
 */
export class SegmentClock {
  private started = false;
  private asOfMs = 0;
  private asOf = '';
  private day = '';
  /** The event that last moved the clock, to be written: its own instant text and position. */
  private advanced: { occurredAt: string; position: string } | undefined;

  private constructor(
    private readonly manager: EntityManager,
    private readonly s: string,
  ) {}

  static async load(manager: EntityManager, s: string): Promise<SegmentClock> {
    const clock = new SegmentClock(manager, s);
    const [row]: Array<{ as_of: string; day: string }> = await manager.query(
      `select to_json(as_of) #>> '{}' as as_of, day::text as day from ${s}.segment_clock where id = 1`,
    );
    if (row) clock.set(toMillis(row.as_of), row.day);
    return clock;
  }

  /** The first fact in the log starts the clock at its own instant (and brings the built-in segments). */
  async startIfNeeded(occurredAt: string, position: string, sql: SegmentDefinitions): Promise<boolean> {
    if (this.started) return false;
    await sql.startClock(occurredAt, position);
    const ms = toMillis(occurredAt);
    this.set(ms, utcDay(ms));
    return true;
  }

  /** The instant segments are evaluated at, and whether this event moved the clock into a new UTC day. */
  advance(occurredAt: string, position: string): { asOf: string; dayAdvanced: boolean } {
    const ms = toMillis(occurredAt);
    let dayAdvanced = false;
    if (ms > this.asOfMs) {
      const day = utcDay(ms);
      dayAdvanced = day !== this.day;
      this.set(ms, day);
      this.advanced = { occurredAt, position };
    }
    return { asOf: this.asOf, dayAdvanced };
  }

  async save(): Promise<void> {
    if (!this.advanced) return;
    const { occurredAt, position } = this.advanced;
    await this.manager.query(
      `update ${this.s}.segment_clock set as_of = $1::timestamptz, day = ($1::timestamptz at time zone 'UTC')::date, position = $2 where id = 1`,
      [occurredAt, position],
    );
    this.advanced = undefined;
  }

  private set(asOfMs: number, day: string): void {
    this.started = true;
    this.asOfMs = asOfMs;
    this.asOf = new Date(asOfMs).toISOString();
    this.day = day;
  }
}
