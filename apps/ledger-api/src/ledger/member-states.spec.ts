import { Pool } from 'pg';
import {
  decodeMemberEvent,
  encodeMemberState,
  foldMember,
  initialMemberState,
  MEMBER_STATE_SHAPE_VERSION,
  MemberCommandOf,
  MemberCommandType,
  MemberEvent,
  memberStreamId,
} from '@loyalty/domain';
import { PostgresEventStore, ReadStreamOptions } from '@loyalty/event-store';
import { enrol, purchase, redeem } from '../../../../libs/domain/src/testing/member-commands';
import { createTestDatabase } from '../../../../test/support/postgres';
import { ExecuteMemberCommand } from './execute-member.command';
import { MemberLedger } from './member-ledger';
import { MEMBER_SNAPSHOT_SCHEMA, MemberSnapshots, SqlRunner } from './member-snapshots';
import { MemberStates } from './member-states';

const SNAPSHOT_EVERY_EVENTS = 10;

describe('member states: cached by revision, snapshotted, never trusted past the stream', () => {
  let pool: Pool;
  let db: SqlRunner;
  let store: PostgresEventStore;
  /** Every member-stream read, with the revision it started from (undefined: the whole stream). */
  let reads: Array<{ streamId: string; fromRevision: bigint | undefined }>;

  beforeAll(async () => {
    pool = new Pool({ connectionString: await createTestDatabase('member_states'), max: 4 });
    db = { query: async (text, values) => (await pool.query(text, values)).rows };
    store = await PostgresEventStore.open(pool);
    const readStream = store.readStream.bind(store);
    store.readStream = (streamId: string, options?: ReadStreamOptions) => {
      if (streamId.startsWith('member-')) reads.push({ streamId, fromRevision: options?.fromRevision });
      return readStream(streamId, options);
    };
  });
  beforeEach(() => (reads = []));
  afterAll(async () => {
    await store.close();
    await pool.end();
  });

  const ledgerOver = (states: MemberStates) => {
    const ledger = new MemberLedger(store, states);
    return <T extends MemberCommandType>(command: MemberCommandOf<T>) => ledger.execute(new ExecuteMemberCommand(command));
  };
  const purchases = async (run: ReturnType<typeof ledgerOver>, memberId: string, count: number) => {
    for (let i = 0; i < count; i++) await run(purchase({ memberId, transactionId: `${memberId}-tx-${i}` }));
  };
  const fullFold = async (memberId: string) =>
    foldMember((await store.readStream(memberStreamId(memberId))).flatMap((e) => decodeMemberEvent(e) ?? ([] as MemberEvent[])));

  it('reads only the events after the revision it holds, and holds what a full fold gives', async () => {
    const states = new MemberStates(store);
    const run = ledgerOver(states);
    await run(enrol({ memberId: 'tail' }));
    await purchases(run, 'tail', 3);
    const held = BigInt((await store.readStream(memberStreamId('tail'))).length - 1);
    reads = [];
    await run(purchase({ memberId: 'tail', transactionId: 'tail-last' }));
    expect(reads).toEqual([{ streamId: memberStreamId('tail'), fromRevision: held }]);
    expect((await states.load(memberStreamId('tail'))).state).toStrictEqual(await fullFold('tail'));
  });

  it('folds in what another process wrote since, so a redemption spends points earned elsewhere', async () => {
    const here = ledgerOver(new MemberStates(store));
    const elsewhere = ledgerOver(new MemberStates(store));
    await here(enrol({ memberId: 'shared' }));
    await elsewhere(purchase({ memberId: 'shared', transactionId: 'shared-a', amountMinor: 10_000 }));
    const reply = await here(redeem({ memberId: 'shared', redemptionId: 'shared-r', points: 100 }));
    expect(reply).toMatchObject({ created: true, result: { type: 'RedeemPoints', pointsRedeemed: 100 } });
  });

  it('serves a view loading beside a command from the kept state, not from the start of the stream', async () => {
    const states = new MemberStates(store);
    const run = ledgerOver(states);
    await run(enrol({ memberId: 'beside' }));
    await purchases(run, 'beside', 2);
    reads = [];
    const [view] = await Promise.all([
      states.load(memberStreamId('beside')),
      run(purchase({ memberId: 'beside', transactionId: 'beside-b' })),
    ]);
    expect(reads.map((r) => r.fromRevision === undefined)).toEqual([false, false]);
    expect(view.state.enrolled).toBe(true);
    expect((await states.load(memberStreamId('beside'))).state).toStrictEqual(await fullFold('beside'));
  });

  it('keeps at most the configured number of members, the least recently used dropped first', async () => {
    const run = ledgerOver(new MemberStates(store, { cacheMembers: 2, snapshotEveryEvents: 0 }));
    for (const memberId of ['lru-a', 'lru-b', 'lru-c']) await run(enrol({ memberId }));
    reads = [];
    await run(purchase({ memberId: 'lru-c', transactionId: 'lru-c-1' }));
    await run(purchase({ memberId: 'lru-a', transactionId: 'lru-a-1' }));
    expect(reads.map((r) => [r.streamId, r.fromRevision === undefined ? 'whole stream' : 'after its revision'])).toEqual([
      [memberStreamId('lru-c'), 'after its revision'],
      [memberStreamId('lru-a'), 'whole stream'],
    ]);
  });

  describe('snapshots', () => {
    let snapshots: MemberSnapshots;
    const config = { cacheMembers: 0, snapshotEveryEvents: SNAPSHOT_EVERY_EVENTS };
    beforeAll(async () => (snapshots = await MemberSnapshots.open(pool.options.connectionString!, db)));

    it('writes one off the request path every few events, and a cold process reads only the events after it', async () => {
      const writer = new MemberStates(store, config, snapshots);
      const run = ledgerOver(writer);
      await run(enrol({ memberId: 'snap' }));
      await purchases(run, 'snap', 8);
      await writer.drain();
      const snapshot = (await snapshots.load(memberStreamId('snap')))!;
      // Revision r holds r + 1 events: the first snapshot folds at least SNAPSHOT_EVERY_EVENTS of them.
      expect(Number(snapshot.revision) + 1).toBeGreaterThanOrEqual(SNAPSHOT_EVERY_EVENTS);
      reads = [];
      const cold = new MemberStates(store, config, snapshots);
      const folded = await cold.load(memberStreamId('snap'));
      expect(reads).toEqual([{ streamId: memberStreamId('snap'), fromRevision: snapshot.revision }]);
      expect(folded.state).toStrictEqual(await fullFold('snap'));
    });

    it('answers a repeat from a cold process with the first result, read from the whole stream', async () => {
      const writer = new MemberStates(store, config, snapshots);
      const run = ledgerOver(writer);
      await run(enrol({ memberId: 'snap-again' }));
      await purchases(run, 'snap-again', 6);
      const first = await run(purchase({ memberId: 'snap-again', transactionId: 'snap-again-last' }));
      // Enough events after it that the last snapshot follows it: the repeat's events are not in the tail read.
      await purchases(run, 'snap-again', SNAPSHOT_EVERY_EVENTS);
      await writer.drain();
      reads = [];
      const repeat = await ledgerOver(new MemberStates(store, config, snapshots))(
        purchase({ memberId: 'snap-again', transactionId: 'snap-again-last' }),
      );
      expect(reads.map((r) => r.fromRevision === undefined)).toEqual([false, true]);
      expect(repeat).toEqual({ ...first, created: false });
    });

    it('ignores a snapshot whose revision the stream does not hold as it was folded, and folds from the start', async () => {
      const run = ledgerOver(new MemberStates(store, { cacheMembers: 0, snapshotEveryEvents: 0 }));
      await run(enrol({ memberId: 'restored' }));
      await purchases(run, 'restored', 2);
      const stale = await new MemberStates(store).load(memberStreamId('restored'));
      // As a database restored from a backup older than the snapshots would leave it: same revision, another event.
      await db.query(
        `insert into ${MEMBER_SNAPSHOT_SCHEMA}.member_snapshots (stream_id, revision, event_id, shape_version, state)
         values ($1, $2, 'not-this-stream', $3, $4)`,
        [memberStreamId('restored'), String(stale.revision), MEMBER_STATE_SHAPE_VERSION, encodeMemberState(initialMemberState())],
      );
      const folded = await new MemberStates(store, config, snapshots).load(memberStreamId('restored'));
      expect(folded).toMatchObject({ fromStart: true, revision: stale.revision });
      expect(folded.state).toStrictEqual(stale.state);
    });

    it('discards snapshots written under another state shape', async () => {
      await db.query(
        `insert into ${MEMBER_SNAPSHOT_SCHEMA}.member_snapshots (stream_id, revision, event_id, shape_version, state)
         values ($1, 0, 'e', 0, '{}')`,
        [memberStreamId('old-shape')],
      );
      const reopened = await MemberSnapshots.open(pool.options.connectionString!, db);
      expect(await reopened.load(memberStreamId('old-shape'))).toBeUndefined();
      expect(await db.query(`select 1 from ${MEMBER_SNAPSHOT_SCHEMA}.member_snapshots where shape_version = 0`, [])).toEqual([]);
    });
  });
});
