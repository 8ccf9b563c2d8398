import {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  WrongExpectedRevisionError,
} from './port';

export interface AppendObserver {
  appended(seconds: number): void;
  conflicted(): void;
  /** The events of an append the store acknowledged, once: never for a refused one. */
  committed(events: readonly EventToAppend[]): void;
}

/** Wraps any adapter to time appends and count conflicts, without the adapters knowing about metrics. */
export class InstrumentedEventStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly observer: AppendObserver,
  ) {}

  /** The adapter wrapped, for readers that page the log their own way (the audit); only appends are instrumented. */
  get adapter(): EventStore {
    return this.inner;
  }

  async append(streamId: string, events: readonly EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    const started = process.hrtime.bigint();
    try {
      const result = await this.inner.append(streamId, events, expectedRevision);
      this.observer.committed(events);
      return result;
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) this.observer.conflicted();
      throw error;
    } finally {
      this.observer.appended(Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.inner.readStream(streamId, options);
  }

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.inner.readAll(options);
  }

  subscribeToAll(options?: SubscribeOptions): Subscription {
    return this.inner.subscribeToAll(options);
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
