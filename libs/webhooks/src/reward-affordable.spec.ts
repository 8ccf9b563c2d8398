import { MemberEvent, memberStreamId, PROGRAM_STREAM_ID } from '@loyalty/domain';
import type { EventStore, RecordedEvent } from '@loyalty/event-store';
import { policy } from '../../domain/src/testing/fixtures';
import { enrolled, purchaseAccrued, redeemed, welcomeAccrued } from '../../domain/src/testing/member-events';
import { NotificationMessage } from './messages';
import { RewardAffordableDeriver, rewardsReached } from './reward-affordable';

const REWARDS = [
  { rewardId: 'coffee', points: 150 },
  { rewardId: 'cake', points: 300 },
];

/** The log as the deriver reads it: the program stream, then m1's events in order. */
function log(events: readonly MemberEvent[]): { store: EventStore; recorded: RecordedEvent[]; reads: { member: number } } {
  const program: RecordedEvent = {
    streamId: PROGRAM_STREAM_ID,
    revision: 0n,
    position: 0n,
    eventId: 'program-1',
    type: 'ProgramConfigured',
    data: { schemaVersion: 1, version: 1, policy: policy({ rewards: REWARDS }), occurredAt: '2026-01-01T00:00:00.000Z' },
    metadata: {},
  };
  const recorded = events.map((event, i): RecordedEvent => ({
    streamId: memberStreamId('m1'),
    revision: BigInt(i),
    position: BigInt(i + 1),
    eventId: `e${i}`,
    type: event.type,
    data: event.data as unknown as Record<string, unknown>,
    metadata: {},
  }));
  const reads = { member: 0 };
  const readStream = (streamId: string) => {
    if (streamId !== PROGRAM_STREAM_ID) reads.member += 1;
    return Promise.resolve(streamId === PROGRAM_STREAM_ID ? [program] : recorded);
  };
  return { store: { readStream } as unknown as EventStore, recorded, reads };
}

describe('RewardAffordable', () => {
  it('is a reward crossed upwards, not one merely held or crossed downwards', () => {
    expect(rewardsReached(100, 200, REWARDS).map((r) => r.rewardId)).toEqual(['coffee']);
    expect(rewardsReached(100, 300, REWARDS).map((r) => r.rewardId)).toEqual(['coffee', 'cake']);
    expect(rewardsReached(200, 250, REWARDS)).toEqual([]);
    expect(rewardsReached(300, 100, REWARDS)).toEqual([]);
  });

  it('comes once per crossing, from the state before the batch, whatever the batch boundaries', async () => {
    const { store, recorded } = log([
      enrolled(),
      welcomeAccrued(), // 100
      purchaseAccrued('tx1', 100), // 200: coffee
      redeemed({ points: 150 }), // 50
      purchaseAccrued('tx2', 250), // 300: coffee again, and cake
    ]);
    const crossings = async (batches: RecordedEvent[][]) => {
      const deriver = new RewardAffordableDeriver(store);
      const found: string[] = [];
      for (const batch of batches)
        for (const m of await deriver.derive(batch)) found.push(JSON.parse(m.body).data.rewardId + '@' + String(m.position));
      return found;
    };
    const expected = ['coffee@3', 'coffee@5', 'cake@5'];
    expect(await crossings([recorded])).toEqual(expected);
    expect(await crossings(recorded.map((e) => [e]))).toEqual(expected);
    expect(await crossings([recorded.slice(0, 3), recorded.slice(3)])).toEqual(expected);
  });

  it('keys each notification by its occasion, so deriving it again yields the same message', async () => {
    const { store, recorded } = log([enrolled(), welcomeAccrued(), purchaseAccrued('tx1', 100)]);
    const once = await new RewardAffordableDeriver(store).derive(recorded);
    const again = await new RewardAffordableDeriver(store).derive(recorded.slice(2));
    expect(again).toEqual(once);
    expect(once).toHaveLength(1);
  });

  it('folds a member once across its consecutive batches, and again from the log for a batch it did not see coming', async () => {
    const { store, recorded, reads } = log([enrolled(), welcomeAccrued(), purchaseAccrued('tx1', 100), redeemed({ points: 150 })]);
    const deriver = new RewardAffordableDeriver(store);
    const first: NotificationMessage[] = [];
    for (const event of recorded) first.push(...(await deriver.derive([event])));
    expect(reads.member).toBe(0);
    // A rolled-back batch is retried from its start: the kept state is past it, so the deriver folds the log up to there.
    const retried = await deriver.derive(recorded.slice(2));
    expect(reads.member).toBe(1);
    expect(retried).toEqual(first);
    expect(first).toHaveLength(1);
  });

  it('derives the same notifications when it keeps fewer members than it sees', async () => {
    const { store, recorded, reads } = log([enrolled(), welcomeAccrued(), purchaseAccrued('tx1', 100), purchaseAccrued('tx2', 200)]);
    const other = recorded.map((e) => ({ ...e, streamId: memberStreamId('m2'), eventId: `${e.eventId}-m2` }));
    const interleaved = recorded.flatMap((e, i) => [[e], [other[i]!]]);
    const derived = async (deriver: RewardAffordableDeriver) => {
      const found: string[] = [];
      for (const batch of interleaved) for (const m of await deriver.derive(batch)) found.push(m.id);
      return found;
    };
    const roomy = await derived(new RewardAffordableDeriver(store));
    const readsWhenRoomy = reads.member;
    expect(await derived(new RewardAffordableDeriver(store, 1))).toEqual(roomy);
    expect(readsWhenRoomy).toBe(0);
    expect(reads.member).toBeGreaterThan(0);
    expect(roomy).toHaveLength(4);
  });
});
