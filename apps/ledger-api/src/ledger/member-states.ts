import { LRUCache } from 'lru-cache';
import { decodeMemberEvent, foldMember, MemberEvent, MemberState, initialMemberState } from '@loyalty/domain';
import { EventStore, RecordedEvent, StreamRevision } from '@loyalty/event-store';
import { LedgerConfig, MemberStateConfig } from '@loyalty/platform';
import { DataSource } from 'typeorm';
import { EVENT_STORE, LEDGER_CONFIG, READ_MODELS } from '../tokens';
import { MemberSnapshots } from './member-snapshots';

/** A member's state as folded from its stream, and what the fold read to get there. */
export interface FoldedMember {
  readonly streamId: string;
  readonly state: MemberState;
  /** The revision of the last event folded: the revision an append decided on this state expects. */
  readonly revision: StreamRevision | 'no_stream';
  /** The events this load read: the whole stream when `fromStart`, else only those after the cached or snapshotted revision. */
  readonly read: readonly RecordedEvent[];
  readonly fromStart: boolean;
  /** The events of this process's last appends to the stream, so a client's retry of one finds its events without a full read. */
  readonly recent: readonly RecordedEvent[];
  /** The revision of the member's last snapshot written or read; null: none. */
  readonly snapshotRevision: StreamRevision | null;
}

interface Kept {
  readonly state: MemberState;
  readonly revision: StreamRevision;
  /** The id of the event at `revision`: the next read starts at it, and a stream no longer holding it is folded again from the start. */
  readonly eventId: string;
  readonly recent: readonly RecordedEvent[];
  /** The revision of the last snapshot written or read; null: none. */
  readonly snapshotRevision: StreamRevision | null;
}

/** Events of the last appends kept per member for repeats: a few commands' worth. */
const RECENT_EVENTS_KEPT = 32;

/** Without configuration (unit tests, tools): a cache, no snapshots. */
const IN_MEMORY_ONLY: MemberStateConfig = { cacheMembers: 1_000, snapshotEveryEvents: 0 };

/**
 * Members' folded states, so a command folds only the events its member's
 * stream gained since the last one, not the whole history: in memory (a
 * bounded LRU keyed by stream, each entry at a revision), else from a
 * persisted snapshot, else from the start. A kept state is never trusted
 * past its revision: every load reads the stream from that revision on, and
 * an append decided on it expects that revision, so a write from elsewhere
 * is folded in, or is a conflict that drops the entry.
 */
export class MemberStates {
  /** Undefined when the cache is off (MEMBER_STATE_CACHE_MEMBERS=0). */
  private readonly kept: LRUCache<string, Kept> | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly config: MemberStateConfig = IN_MEMORY_ONLY,
    private readonly snapshots?: MemberSnapshots,
  ) {
    this.kept = config.cacheMembers === 0 ? undefined : new LRUCache({ max: config.cacheMembers });
  }

  async load(streamId: string): Promise<FoldedMember> {
    const cached = this.kept?.get(streamId);
    const fromCache = cached && (await this.advance(streamId, cached));
    if (fromCache) return fromCache;
    const snapshot = this.snapshots && (await this.snapshots.load(streamId));
    const fromSnapshot = snapshot && (await this.advance(streamId, { ...snapshot, recent: [], snapshotRevision: snapshot.revision }));
    return fromSnapshot || this.fromStart(streamId);
  }

  /** After a successful append of `appended` at `folded.revision`: the state moves on to the new revision, as a fresh read would fold it. */
  appended(folded: FoldedMember, appended: readonly RecordedEvent[]): void {
    const last = appended[appended.length - 1]!;
    // Folded from the events as the store gives them back (JSON), not the decider's objects, so the state equals a later full fold.
    const stored = appended.map((event) => ({ ...event, data: JSON.parse(JSON.stringify(event.data)) as RecordedEvent['data'] }));
    const kept: Kept = {
      state: foldMember(memberEvents(stored), folded.state),
      revision: last.revision,
      eventId: last.eventId,
      recent: [...folded.recent, ...appended].slice(-RECENT_EVENTS_KEPT),
      snapshotRevision: folded.snapshotRevision,
    };
    this.keep(folded.streamId, this.snapshotted(folded.streamId, kept));
  }

  /** A conflict: the stream moved under the kept state, so the next load reads afresh. */
  forget(streamId: string): void {
    this.kept?.delete(streamId);
  }

  async drain(): Promise<void> {
    await this.snapshots?.drain();
  }

  private async advance(streamId: string, base: Kept): Promise<FoldedMember | undefined> {
    const read = await this.store.readStream(streamId, { fromRevision: base.revision });
    if (read[0]?.eventId !== base.eventId) return undefined;
    const tail = read.slice(1);
    const last = tail[tail.length - 1];
    const kept: Kept = {
      ...base,
      state: foldMember(memberEvents(tail), base.state),
      revision: last?.revision ?? base.revision,
      eventId: last?.eventId ?? base.eventId,
    };
    this.keep(streamId, kept);
    return this.folded(streamId, kept, tail, false);
  }

  private async fromStart(streamId: string): Promise<FoldedMember> {
    const read = await this.store.readStream(streamId);
    const state = foldMember(memberEvents(read), initialMemberState());
    const last = read[read.length - 1];
    if (!last) return { streamId, state, revision: 'no_stream', read, fromStart: true, recent: [], snapshotRevision: null };
    const kept: Kept = { state, revision: last.revision, eventId: last.eventId, recent: [], snapshotRevision: null };
    this.keep(streamId, this.snapshotted(streamId, kept));
    return this.folded(streamId, kept, read, true);
  }

  private folded(streamId: string, kept: Kept, read: readonly RecordedEvent[], fromStart: boolean): FoldedMember {
    const { state, revision, recent, snapshotRevision } = kept;
    return { streamId, state, revision, read, fromStart, recent, snapshotRevision };
  }

  /** Starts a snapshot once enough events followed the last one; the entry records it only when the write was started. */
  private snapshotted(streamId: string, kept: Kept): Kept {
    const every = BigInt(this.config.snapshotEveryEvents);
    if (!this.snapshots || every === 0n || kept.revision - (kept.snapshotRevision ?? -1n) < every) return kept;
    const started = this.snapshots.save(streamId, { revision: kept.revision, eventId: kept.eventId, state: kept.state });
    return started ? { ...kept, snapshotRevision: kept.revision } : kept;
  }

  /** A load leaves the entry in place while it reads: a member view loading beside a command folds from it, not from the start. */
  private keep(streamId: string, kept: Kept): void {
    this.kept?.set(streamId, kept);
  }
}

const memberEvents = (history: readonly RecordedEvent[]): MemberEvent[] => history.flatMap((recorded) => decodeMemberEvent(recorded) ?? []);

/** MemberStates as the API process configures it: snapshots in the read-model database unless turned off. */
export const memberStatesProvider = {
  provide: MemberStates,
  inject: [EVENT_STORE, LEDGER_CONFIG, READ_MODELS],
  useFactory: async (store: EventStore, config: LedgerConfig, db: DataSource): Promise<MemberStates> => {
    const { memberStates } = config;
    if (memberStates.snapshotEveryEvents === 0) return new MemberStates(store, memberStates, undefined);
    const url = 'url' in db.options ? db.options.url : undefined;
    if (!url) throw new Error('member snapshots need the read models opened with a URL, to migrate their schema');
    return new MemberStates(store, memberStates, await MemberSnapshots.open(url, db));
  },
};
