import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  RecordedEvent as ClientRecordedEvent,
  START,
  StreamingRead,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import {
  AppendResult,
  assertAppendable,
  EventStore,
  EventStoreUnavailableError,
  EventToAppend,
  ExpectedRevision,
  pageSize,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  WrongExpectedRevisionError,
} from '../port';
import { EventStoreDbSubscription } from './eventstoredb-subscription';
import { toClientPosition, toPortError, toServerFilter, toUserEvent } from './mapping';

/** Streaming reads carry no gRPC deadline in this client, so a hung server would hang a probe forever. */
const PING_TIMEOUT_MS = 5000;

type ClientResolvedEvent = { event?: ClientRecordedEvent; commitPosition?: bigint };

export class EventStoreDbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly subscriptions = new Set<EventStoreDbSubscription>();

  /** @param connectionString e.g. `esdb://host:2113?tls=false` */
  constructor(connectionString: string) {
    this.client = EventStoreDBClient.connectionString(connectionString);
  }

  async append(streamId: string, events: readonly EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    assertAppendable(events);
    try {
      const result = await this.client.appendToStream(
        streamId,
        events.map((e) => jsonEvent({ id: e.eventId, type: e.type, data: e.data, metadata: e.metadata })),
        { expectedRevision: expectedRevision === 'no_stream' ? NO_STREAM : expectedRevision === 'any' ? ANY : expectedRevision },
      );
      if (!result.position) throw new Error(`append to ${streamId} succeeded without a position`);
      return { nextRevision: result.nextExpectedRevision, position: result.position.commit };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw new WrongExpectedRevisionError(streamId, expectedRevision, error.actualVersion);
      }
      throw toPortError(error);
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const limit = options.maxCount === undefined ? undefined : pageSize(options.maxCount);
    const read = this.client.readStream(streamId, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: options.fromRevision ?? (backwards ? END : START),
      ...(limit === undefined ? {} : { maxCount: limit }),
    });
    return collect(read, Number.POSITIVE_INFINITY, (resolved) => toUserEvent(resolved));
  }

  /**
   * This client cannot filter $all reads on the server (only subscriptions), so
   * we stream forward from `after` and cancel the read once the page is full.
   * The server starts at `after` inclusively; toUserEvent drops that event.
   */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const { after, filter } = options;
    const read = this.client.readAll({
      direction: FORWARDS,
      fromPosition: after === undefined ? START : toClientPosition(after),
    });
    return collect(read, pageSize(options.maxCount), (resolved) => toUserEvent(resolved, filter, after));
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    const serverFilter = toServerFilter(options.filter);
    const subscription = new EventStoreDbSubscription(
      (after) =>
        this.client.subscribeToAll({
          fromPosition: after === undefined ? START : toClientPosition(after),
          filter: serverFilter,
        }),
      options.filter,
      options.after,
      () => this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Any failure, permissions included, means this node cannot serve us: readiness reports unavailable. */
  async ping(): Promise<void> {
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS}ms`)), PING_TIMEOUT_MS);
    });
    try {
      await Promise.race([drain(read), timeout]);
    } catch (error) {
      await cancel(read);
      const message = error instanceof Error ? error.message : String(error);
      throw new EventStoreUnavailableError(`EventStoreDB ping failed: ${message}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Subscriptions go first: the client's dispose cancels their calls, which they would take for a drop and retry. */
  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.client.dispose();
  }
}

async function collect<E extends ClientResolvedEvent>(
  read: StreamingRead<E>,
  limit: number,
  pick: (resolved: E) => RecordedEvent | undefined,
): Promise<RecordedEvent[]> {
  const page: RecordedEvent[] = [];
  try {
    for await (const resolved of read as AsyncIterable<E>) {
      const event = pick(resolved);
      if (event) page.push(event);
      if (page.length >= limit) {
        // Leaving the loop only destroys the readable; the gRPC call must be cancelled too.
        await cancel(read);
        break;
      }
    }
    return page;
  } catch (error) {
    // An event we could not decode leaves the call open; a call that failed ignores the cancel.
    await cancel(read);
    if (error instanceof StreamNotFoundError) return [];
    throw toPortError(error);
  }
}

/** Awaited on purpose: a cancel left running after its read returned has left the client's dispose() hanging. */
function cancel(read: StreamingRead<unknown>): Promise<void> {
  return read.cancel().catch(() => undefined);
}

async function drain(read: AsyncIterable<unknown>): Promise<void> {
  const iterator = read[Symbol.asyncIterator]();
  // Only reachability matters.
  while (!(await iterator.next()).done);
}
