import { types } from 'node:util';
import { status } from '@grpc/grpc-js';
import {
  CancelledError,
  DeadlineExceededError,
  eventTypeFilter,
  excludeSystemEvents,
  Filter,
  NotLeaderError,
  Position,
  RecordedEvent as ClientRecordedEvent,
  streamNameFilter,
  UnavailableError,
} from '@eventstore/db-client';
import { EventData, EventFilter, EventStoreUnavailableError, GlobalPosition, matchesFilter, RecordedEvent } from '../port';

/**
 * Our global position is the commit position. For events appended outside
 * explicit transactions EventStoreDB gives every event its own commit position,
 * equal to its prepare position, so one number is enough to resume from.
 */
export function toClientPosition(position: GlobalPosition): Position {
  return { commit: position, prepare: position };
}

/** What servers that do not know an event's global position report instead. */
const UNKNOWN_POSITION = 2n ** 64n - 1n;

/** Stream names and event types starting with `$` belong to the server (metadata, links, projections). */
export function isSystem(streamId: string, type: string): boolean {
  return streamId.startsWith('$') || type.startsWith('$');
}

/**
 * The server-side filter for subscriptions. Event types go through a regex, so
 * each name is escaped and anchored to keep matching exact. Without a filter we
 * still ask the server to drop system event types rather than ship them to us.
 */
export function toServerFilter(filter: EventFilter | undefined): Filter {
  if (!filter) return excludeSystemEvents();
  if ('streamNamePrefixes' in filter) return streamNameFilter({ prefixes: [...filter.streamNamePrefixes] });
  return eventTypeFilter({ regex: `^(${filter.eventTypes.map(escapeRegex).join('|')})$` });
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The user event a read or subscription delivered, or undefined when it is not
 * ours to hand out (system event, filtered out, at or before the checkpoint).
 * Filtering is repeated here because reads of $all cannot be filtered by the
 * server with this client, and a server filter is a coarser regex/prefix match.
 */
export function toUserEvent(
  resolved: { event?: ClientRecordedEvent; commitPosition?: bigint },
  filter?: EventFilter,
  after?: GlobalPosition,
): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event || isSystem(event.streamId, event.type) || !matchesFilter(filter, event.streamId, event.type)) {
    return undefined;
  }
  const position = event.position?.commit ?? resolved.commitPosition;
  if (position === undefined || position === UNKNOWN_POSITION) {
    // $all reads always carry positions; stream reads only from EventStoreDB 22.6 on.
    throw new Error(`event ${event.streamId}@${event.revision} has no global position; EventStoreDB 22.6+ is required`);
  }
  if (after !== undefined && position <= after) return undefined;
  return {
    streamId: event.streamId,
    revision: event.revision,
    position,
    eventId: event.id,
    type: event.type,
    data: asObject(event.data, event, 'data') ?? {},
    metadata: asObject(event.metadata, event, 'metadata') ?? {},
  };
}

/** Every event we write is a JSON object; anything else in a user stream is a bug worth surfacing. */
function asObject(value: unknown, event: ClientRecordedEvent, field: string): EventData | undefined {
  if (value === undefined) return undefined;
  // Not `instanceof`: the client's bytes may come from another realm (e.g. jest's module sandbox).
  const parsed = types.isUint8Array(value) ? parseJson(value) : value;
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && !types.isUint8Array(parsed)) {
    return parsed as EventData;
  }
  throw new TypeError(`event ${event.streamId}@${event.revision}: ${field} is not a JSON object`);
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Errors meaning "the server cannot be reached or is not serving us now".
 * The client reports a refused connection during its capability probe as a raw
 * gRPC status, not as its own UnavailableError, so the status code is checked too.
 */
export function toPortError(error: unknown): unknown {
  const transient =
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof NotLeaderError ||
    error instanceof CancelledError ||
    hasStatus(error, status.UNAVAILABLE) ||
    hasStatus(error, status.DEADLINE_EXCEEDED);
  if (!transient) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new EventStoreUnavailableError(`EventStoreDB unavailable: ${message}`, { cause: error });
}

function hasStatus(error: unknown, code: status): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
