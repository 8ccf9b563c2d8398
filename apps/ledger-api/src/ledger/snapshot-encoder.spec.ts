import { monitorEventLoopDelay } from 'node:perf_hooks';
import fc from 'fast-check';
import {
  decideMember,
  DomainError,
  encodeMemberState,
  evolveMember,
  foldMember,
  initialMemberState,
  MemberEvent,
  MemberState,
} from '@loyalty/domain';
import {
  commandsOf,
  memberPlan,
  memberPlanUnderExpiry,
  memberPlanWithCoupons,
} from '../../../../libs/domain/src/testing/arbitrary-history';
import { enrolled, purchaseAccrued, purchaseRecorded } from '../../../../libs/domain/src/testing/member-events';
import { WorkerStateEncoder } from './snapshot-encoder';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 50);
/** A long history, as a member buying daily for decades leaves it: its state encodes to megabytes. */
const LONG_HISTORY_PURCHASES = 5_000;
const MINUTE_MS = 60_000;
const NS_PER_MS = 1e6;
const SETTLE_MS = 10;
const STALL_ROUNDS = 3;

function stateOf(plan: Parameters<typeof commandsOf>[0]): MemberState {
  let state = initialMemberState();
  for (const command of commandsOf(plan)) {
    try {
      state = decideMember(command, state).reduce(evolveMember, state);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  }
  return state;
}

function longHistoryState(): MemberState {
  const start = Date.parse('2020-01-01T00:00:00.000Z');
  const events: MemberEvent[] = [enrolled({ occurredAt: new Date(start).toISOString() })];
  for (let i = 0; i < LONG_HISTORY_PURCHASES; i++) {
    const occurredAt = new Date(start + i * MINUTE_MS).toISOString();
    events.push(purchaseRecorded({ transactionId: `t${i}`, occurredAt }), purchaseAccrued(`t${i}`, 10, { occurredAt }));
  }
  return foldMember(events);
}

/** The longest the event loop stood still while `work` ran, in ms. */
async function longestStallMs(work: () => Promise<unknown>): Promise<number> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  await work();
  // The histogram records a stall when the loop turns again, so it turns once more before the reading.
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  delay.disable();
  return delay.max / NS_PER_MS;
}

describe('WorkerStateEncoder', () => {
  const encoder = new WorkerStateEncoder();

  it('writes exactly the text the codec writes on the calling thread', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(memberPlan, memberPlanWithCoupons, memberPlanUnderExpiry), async (plan) => {
        const state = stateOf(plan);
        expect(await encoder.encode(state)).toBe(encodeMemberState(state));
      }),
      { numRuns: RUNS },
    );
  });

  it("fails a state the codec refuses with the codec's reason", async () => {
    await expect(encoder.encode({ ...initialMemberState(), debt: Number.NaN })).rejects.toThrow(/number NaN/);
    await expect(encoder.encode({ ...initialMemberState(), enrolledAt: new Date(0) as never })).rejects.toThrow(/cannot keep/);
  });

  it('keeps the event loop turning while a long history encodes', async () => {
    const state = longHistoryState();
    expect(await encoder.encode(state)).toBe(encodeMemberState(state));
    const inPlaceMs: number[] = [];
    const offThreadMs: number[] = [];
    for (let round = 0; round < STALL_ROUNDS; round++) {
      inPlaceMs.push(await longestStallMs(() => Promise.resolve(encodeMemberState(state))));
      offThreadMs.push(await longestStallMs(() => encoder.encode(state)));
    }
    // The least of each: a loaded machine only ever adds stalls of its own.
    expect(Math.min(...offThreadMs)).toBeLessThan(Math.min(...inPlaceMs) / 2);
  });
});
