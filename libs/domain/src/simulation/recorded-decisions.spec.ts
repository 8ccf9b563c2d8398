import { decideMember } from '../member/decide';
import { MemberEvent } from '../member/events';
import { foldMember, initialMemberState } from '../member/state';
import { programInForce, T0 } from '../testing/fixtures';
import { enrol, historyOf, purchase, redeem, settle } from '../testing/member-commands';
import { testCouponCode } from '../testing/member-events';
import { addDays } from '../values/time';
import { commandOf, DecisionSplitter, RecordedDecision } from './recorded-decisions';
import { simulate } from './simulation';
import { memberStreamId, PROGRAM_STREAM_ID } from '../streams/catalogue';

const program = programInForce({
  pendingDays: 0,
  rewards: [{ rewardId: 'two-off', points: 20, kind: 'amountOff', valueMinor: 200, validDays: 3 }],
});
const o = (days: number) => ({ program, occurredAt: addDays(T0, days), receivedAt: addDays(T0, 30) });

function decisionsOf(history: readonly MemberEvent[]): RecordedDecision[] {
  const splitter = new DecisionSplitter();
  const decisions = history.flatMap((e, i) => splitter.push(e, BigInt(i + 1)) ?? []);
  return [...decisions, splitter.flush()!];
}

describe('recorded decisions with coupons', () => {
  // A coupon bought for points, another used in a purchase, the third left to expire in the daily job.
  const history = historyOf(
    enrol(o(0)),
    redeem({ ...o(1), redemptionId: 'r1', points: null, rewardId: 'two-off', couponCode: testCouponCode(1), requestHash: 'h-r1' }),
    redeem({ ...o(1), redemptionId: 'r2', points: null, rewardId: 'two-off', couponCode: testCouponCode(2), requestHash: 'h-r2' }),
    purchase({
      ...o(2),
      transactionId: 'tx1',
      amountMinor: 800,
      items: [{ sku: 'cake', quantity: 1, unitPriceMinor: 1_000 }],
      couponCodes: [testCouponCode(1)],
      requestHash: 'h-tx1',
    }),
    settle(addDays(T0, 10), { program, receivedAt: addDays(T0, 30) }),
  );

  it('splits them where the ledger appended them: the coupon with its redemption, its use with its purchase, its expiry in the job', () => {
    expect(decisionsOf(history).map((d) => [d.kind, d.events.map((e) => e.type)])).toEqual([
      ['command', ['MemberEnrolled', 'PointsAccrued']],
      ['command', ['PointsRedeemed', 'CouponIssued']],
      ['command', ['PointsRedeemed', 'CouponIssued']],
      ['command', ['PurchaseRecorded', 'CouponUsed', 'PointsAccrued']],
      ['settlement', ['CouponExpired']],
    ]);
  });

  it('decides each again into the events recorded, the same codes included', () => {
    let state = initialMemberState();
    for (const decision of decisionsOf(history)) {
      expect(decideMember(commandOf(decision, { program, birthDate: null })!, state)).toEqual(decision.events);
      state = foldMember(decision.events, state);
    }
  });
});

describe('a log with an event type newer than this code', () => {
  it('counts it, replays the member around it, and reports', () => {
    const events = historyOf(enrol(o(0)), purchase({ ...o(2), transactionId: 'tx1', amountMinor: 5_000, requestHash: 'h-tx1' }));
    const stored = [
      {
        streamId: PROGRAM_STREAM_ID,
        type: 'ProgramConfigured',
        data: { schemaVersion: 1, version: 1, policy: program.policy, occurredAt: T0 },
      },
      { streamId: memberStreamId('m1'), type: events[0]!.type, data: events[0]!.data },
      { streamId: memberStreamId('m1'), type: events[1]!.type, data: events[1]!.data },
      { streamId: memberStreamId('m1'), type: 'PointsGiftedToCharity', data: { memberId: 'm1', occurredAt: addDays(T0, 1), points: 50 } },
      ...events.slice(2).map((e) => ({ streamId: memberStreamId('m1'), type: e.type, data: e.data })),
    ].map((e, i) => ({ ...e, data: e.data as unknown as Record<string, unknown>, position: BigInt(i + 1) }));
    const report = simulate(stored, { from: addDays(T0, -1), to: addDays(T0, 20) }, program.policy);
    expect(report).toMatchObject({ eventsRead: stored.length, eventsSkipped: 1, membersReplayed: 1 });
    // Welcome 100 and 50 for the 50 EUR purchase, on both sides.
    expect([report.current.pointsIssued, report.candidate.pointsIssued]).toEqual([150, 150]);
  });
});
