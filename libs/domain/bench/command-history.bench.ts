import { decideMember, foldMember, initialMemberState, MemberCommand, MemberEvent, MemberState } from '../src';
import { programInForce } from '../src/testing/fixtures';

/**
 * What one command costs the domain against the length of its member's
 * history: decideMember, then the fold of its events into the state, as the
 * write path runs them on a cached state. The member buys every minute
 * (every lot active, a tier above to reach), so a redemption plans over
 * every lot and a purchase judges the tier window over every purchase. Not
 * a test: `node -r ./apps/cli/register.js libs/domain/bench/command-history.bench.ts`.
 */
const PROGRAM = programInForce({ pendingDays: 0, expiryMonths: 12 });
const START_MS = Date.parse('2026-01-01T00:00:00.000Z');
const MS_PER_PURCHASE = 60_000;
const EVENTS_PER_PURCHASE = 2;
const SIZES_EVENTS = [10, 1_000, 10_000];
const SAMPLES = Number(process.env.SAMPLES ?? 400);

const at = (i: number) => new Date(START_MS + i * MS_PER_PURCHASE).toISOString();
const common = (i: number) => ({ memberId: 'm1', occurredAt: at(i), receivedAt: at(i), requestHash: `h${i}`, program: PROGRAM });
const purchase = (i: number): MemberCommand => ({
  ...common(i),
  type: 'RecordPurchase',
  transactionId: `t${i}`,
  amountMinor: 1_234,
  currency: 'EUR',
  items: [],
  storeId: null,
});
const redemption = (i: number): MemberCommand => ({ ...common(i), type: 'RedeemPoints', redemptionId: `r${i}`, points: 5, rewardId: null });

/** Decided, then folded from the events as the store gives them back (JSON), as the write path folds them. */
function step(state: MemberState, command: MemberCommand): MemberState {
  const stored = JSON.parse(JSON.stringify(decideMember(command, state))) as MemberEvent[];
  return foldMember(stored, state);
}

function memberOf(events: number): MemberState {
  let state = step(initialMemberState(), {
    ...common(0),
    type: 'EnrolMember',
    memberType: 'individual',
    personalData: null,
    referredBy: null,
  });
  for (let i = 1; state.eventCount < events; i++) state = step(state, purchase(i));
  return state;
}

/** Median ms of one command decided and folded on `state`, each sample from the same state. */
function medianMs(state: MemberState, command: (i: number) => MemberCommand, from: number): number {
  const samples: number[] = [];
  for (let s = 0; s < SAMPLES; s++) {
    const started = process.hrtime.bigint();
    step(state, command(from + s));
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

console.log('events\tpurchase p50 ms\tredemption p50 ms');
const rows = SIZES_EVENTS.map((events) => {
  const state = memberOf(events);
  const next = Math.ceil(events / EVENTS_PER_PURCHASE) + 1;
  const row = { events: state.eventCount, purchaseMs: medianMs(state, purchase, next), redemptionMs: medianMs(state, redemption, next) };
  console.log(`${row.events}\t${row.purchaseMs.toFixed(3)}\t${row.redemptionMs.toFixed(3)}`);
  return row;
});
const [first, last] = [rows[0]!, rows[rows.length - 1]!];
console.log(
  `largest/smallest: purchase x${(last.purchaseMs / first.purchaseMs).toFixed(1)}, redemption x${(last.redemptionMs / first.redemptionMs).toFixed(1)}`,
);
