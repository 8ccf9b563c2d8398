/** One event as the double stores it: the proposed message as received, plus where it landed. */
export interface StoredEvent {
  readonly streamName: string;
  readonly revision: bigint;
  /** Commit and prepare position alike, as for events appended outside explicit transactions. */
  readonly position: bigint;
  readonly id: string;
  readonly metadata: ReadonlyMap<string, string>;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
}

export type ProposedEvent = Pick<StoredEvent, 'id' | 'metadata' | 'data' | 'customMetadata'>;

export type Expected = 'any' | 'no_stream' | 'stream_exists' | bigint;

export type AppendOutcome =
  | { readonly ok: true; readonly revision: bigint; readonly position: bigint }
  | { readonly ok: false; readonly currentRevision: bigint | undefined };

/** EventStoreDB positions are byte offsets in its log, so they grow by more than one per event. */
const RECORD_OVERHEAD = 128n;
/** Not zero, so a client confusing "start" with position 0 is caught. */
const FIRST_POSITION = 4096n;

/** The double's whole database: one ordered log, indexed by stream, with append listeners for subscriptions. */
export class InMemoryLog {
  readonly all: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly listeners = new Set<(event: StoredEvent) => void>();
  private nextPosition = FIRST_POSITION;

  stream(name: string): readonly StoredEvent[] | undefined {
    return this.streams.get(name);
  }

  append(streamName: string, expected: Expected, proposed: readonly ProposedEvent[]): AppendOutcome {
    const existing = this.streams.get(streamName);
    const currentRevision = existing ? BigInt(existing.length - 1) : undefined;
    const accepted =
      expected === 'any' ||
      (expected === 'no_stream' && currentRevision === undefined) ||
      (expected === 'stream_exists' && currentRevision !== undefined) ||
      expected === currentRevision;
    if (!accepted) return { ok: false, currentRevision };

    const stream = existing ?? [];
    this.streams.set(streamName, stream);
    const written = proposed.map((p) => {
      const event: StoredEvent = { ...p, streamName, revision: BigInt(stream.length), position: this.nextPosition };
      this.nextPosition += RECORD_OVERHEAD + BigInt(p.data.length + p.customMetadata.length);
      stream.push(event);
      this.all.push(event);
      return event;
    });
    for (const event of written) for (const listener of this.listeners) listener(event);
    const last = written[written.length - 1]!;
    return { ok: true, revision: last.revision, position: last.position };
  }

  /** Calls `listener` for every event appended from now on; returns the unsubscribe function. */
  onAppend(listener: (event: StoredEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
