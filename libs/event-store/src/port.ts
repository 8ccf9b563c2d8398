/**
 * The event store port. Positions and revisions are bigints because both
 * EventStoreDB and our Postgres adapter use 64-bit numbers.
 */
export type StreamRevision = bigint;
export type GlobalPosition = bigint;

/** `no_stream`: the stream must not exist; `any`: no check; a bigint: the stream's current revision. */
export type ExpectedRevision = 'no_stream' | 'any' | StreamRevision;

export type EventData = Record<string, unknown>;

export interface EventToAppend {
  /** A UUID, deterministic for idempotent commands. */
  readonly eventId: string;
  readonly type: string;
  readonly data: EventData;
  readonly metadata?: EventData;
}

export interface RecordedEvent {
  readonly streamId: string;
  readonly revision: StreamRevision;
  readonly position: GlobalPosition;
  readonly eventId: string;
  readonly type: string;
  readonly data: EventData;
  readonly metadata: EventData;
}

export interface AppendResult {
  /** The revision of the last event written. */
  readonly nextRevision: StreamRevision;
  /** The global position of the last event written. */
  readonly position: GlobalPosition;
}

/** EventStoreDB filters on stream names or on event types, never both at once. */
export type EventFilter = { readonly streamNamePrefixes: readonly string[] } | { readonly eventTypes: readonly string[] };

export interface ReadStreamOptions {
  /** Inclusive. Defaults to the start (forwards) or the end (backwards). */
  readonly fromRevision?: StreamRevision;
  readonly direction?: 'forwards' | 'backwards';
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Absent: from the start. */
  readonly after?: GlobalPosition;
  readonly maxCount?: number;
  readonly filter?: EventFilter;
}

export interface SubscribeOptions {
  /** Exclusive, like a checkpoint: delivery resumes strictly after it. */
  readonly after?: GlobalPosition;
  readonly filter?: EventFilter;
}

/** Catch-up then live, in global order. Iterate it; `close()` ends the iteration. */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

export interface EventStore {
  append(streamId: string, events: readonly EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult>;
  /** A missing stream reads as empty. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** One page of user events in global order (system events are never returned). */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options?: SubscribeOptions): Subscription;
  /** Reachability check for readiness probes. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A bound on one append, so one request can never write an unbounded batch. */
export const APPEND_EVENTS_MAX = 1000;
/** Default and ceiling of a read page. */
export const READ_PAGE_SIZE_DEFAULT = 500;
export const READ_PAGE_SIZE_MAX = 10_000;

export class WrongExpectedRevisionError extends Error {
  readonly code = 'WRONG_EXPECTED_REVISION';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: StreamRevision | 'no_stream' | 'unknown',
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

export class EventStoreUnavailableError extends Error {
  readonly code = 'EVENT_STORE_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventStoreUnavailableError';
  }
}

export function matchesFilter(filter: EventFilter | undefined, streamId: string, type: string): boolean {
  if (!filter) return true;
  if ('streamNamePrefixes' in filter) return filter.streamNamePrefixes.some((p) => streamId.startsWith(p));
  return filter.eventTypes.includes(type);
}

export function assertAppendable(events: readonly EventToAppend[]): void {
  if (events.length === 0) throw new RangeError('append needs at least one event');
  if (events.length > APPEND_EVENTS_MAX) {
    throw new RangeError(`append of ${events.length} events exceeds APPEND_EVENTS_MAX=${APPEND_EVENTS_MAX}`);
  }
}

export function pageSize(maxCount: number | undefined): number {
  const size = maxCount ?? READ_PAGE_SIZE_DEFAULT;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`maxCount must be a positive integer, got ${size}`);
  return Math.min(size, READ_PAGE_SIZE_MAX);
}
