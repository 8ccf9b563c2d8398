import { MemberEvent, memberStreamId, PROGRAM_STREAM_ID, ProgramPolicy } from '@loyalty/domain';
import { EventStore, matchesFilter, pageSize, ReadAllOptions, RecordedEvent } from '@loyalty/event-store';

/** Recorded events in the order given, as a store would return them; positions count from 1. */
export function recordedLog(entries: ReadonlyArray<{ streamId: string; type: string; data: Record<string, unknown> }>): RecordedEvent[] {
  const revisions = new Map<string, bigint>();
  return entries.map((e, i) => {
    const revision = revisions.get(e.streamId) ?? 0n;
    revisions.set(e.streamId, revision + 1n);
    return { streamId: e.streamId, revision, position: BigInt(i + 1), eventId: `e-${i + 1}`, type: e.type, data: e.data, metadata: {} };
  });
}

export const memberEntry = (event: MemberEvent) => ({
  streamId: memberStreamId(event.data.memberId),
  type: event.type,
  data: event.data as unknown as Record<string, unknown>,
});

export const programEntry = (
  version: number,
  occurredAt: string,
  policy: Pick<ProgramPolicy, 'pointValueMinor' | 'currency'> & Partial<Pick<ProgramPolicy, 'rewards'>>,
) => ({
  streamId: PROGRAM_STREAM_ID,
  type: 'ProgramConfigured',
  data: { schemaVersion: 1, version, occurredAt, policy } as Record<string, unknown>,
});

/** Only `readAll`: enough for the audit's IO loop over a log held in memory (tests and benchmarks). */
export function memoryStore(log: readonly RecordedEvent[]): EventStore {
  const pageOf = (options: ReadAllOptions): RecordedEvent[] => {
    const after = options.after ?? -1n;
    const size = pageSize(options.maxCount);
    const page: RecordedEvent[] = [];
    // Positions are 1..n in a recordedLog, so the page starts at index `after`.
    for (let i = Math.max(0, Number(after)); i < log.length && page.length < size; i++) {
      const event = log[i]!;
      if (event.position > after && matchesFilter(options.filter, event.streamId, event.type)) page.push(event);
    }
    return page;
  };
  const unsupported = () => {
    throw new Error('memoryStore only reads');
  };
  return {
    // In a promise's executor, so that a bad maxCount rejects as a real store's read does.
    readAll: (options = {}) => new Promise((resolve) => resolve(pageOf(options))),
    append: unsupported,
    readStream: unsupported,
    subscribeToAll: unsupported,
    ping: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}
