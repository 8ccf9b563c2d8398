import fc from 'fast-check';
import { MemberCommand } from '../member/commands';
import { decideMember } from '../member/decide';
import { MemberEvent } from '../member/events';
import { ledgerProblems } from '../member/invariants';
import { evolveMember, foldMember } from '../member/state';
import { programInForce, T0 } from '../testing/fixtures';
import { enrol, historyOf, purchase, redeem, refund, reverse, settle } from '../testing/member-commands';
import { testCouponCode } from '../testing/member-events';
import { DomainError } from '../values/errors';
import { addDays, toMillis } from '../values/time';

/** Runs enough histories to matter; fast-check prints the seed and the shrunk counterexample on failure. */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 200);
const HOUR_MS = 3_600_000;
const SKUS = ['latte', 'cake', 'beans'] as const;

const program = programInForce({
  pendingDays: 0,
  rewards: [
    { rewardId: 'two-off', points: 20, kind: 'amountOff', valueMinor: 200, validDays: 3 },
    { rewardId: 'ten-percent', points: 20, kind: 'percentOff', percent: 10, validDays: 5 },
    { rewardId: 'free-latte', points: 20, kind: 'freeProduct', sku: 'latte', validDays: 4 },
  ],
});

const line = fc.record({
  sku: fc.constantFrom(...SKUS),
  quantity: fc.integer({ min: 1, max: 3 }),
  unitPriceMinor: fc.integer({ min: 0, max: 900 }),
});
const step = fc.oneof(
  fc.record({ kind: fc.constant('redeem' as const), rewardId: fc.constantFrom('two-off', 'ten-percent', 'free-latte') }),
  fc.record({
    kind: fc.constant('buy' as const),
    items: fc.array(line, { minLength: 1, maxLength: 4 }),
    coupons: fc.array(fc.nat({ max: 3 }), { minLength: 1, maxLength: 2 }),
    paidLess: fc.nat({ max: 1500 }),
    overpay: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  }),
  fc.record({ kind: fc.constant('reverse' as const), which: fc.nat({ max: 12 }) }),
  fc.record({ kind: fc.constant('refund' as const), which: fc.nat({ max: 12 }) }),
  fc.constant({ kind: 'settle' as const }),
);
const plan = fc.array(fc.tuple(step, fc.integer({ min: 1, max: 30 })), { minLength: 1, maxLength: 30 });

type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

/** The command a step makes at `at`, given the active codes and the ids recorded so far. */
function commandOf(
  s: Step,
  i: number,
  at: string,
  issued: { active: string[]; redemptions: string[]; purchases: string[] },
): MemberCommand {
  const o = { program, occurredAt: at, receivedAt: addDays(at, 1) };
  switch (s.kind) {
    case 'redeem':
      return redeem({
        ...o,
        redemptionId: `r${i}`,
        points: null,
        rewardId: s.rewardId,
        couponCode: testCouponCode(i),
        requestHash: `h-r${i}`,
      });
    case 'buy': {
      const basket = s.items.reduce((sum, l) => sum + l.quantity * l.unitPriceMinor, 0);
      const couponCodes = [
        ...new Set(s.coupons.map((c) => issued.active[c % Math.max(1, issued.active.length)]).filter((c) => c !== undefined)),
      ];
      const amountMinor = s.overpay ? basket + 1 : Math.max(0, basket - s.paidLess);
      return purchase({ ...o, transactionId: `tx${i}`, items: s.items, couponCodes, amountMinor, requestHash: `h-tx${i}` });
    }
    case 'reverse':
      return reverse({
        ...o,
        redemptionId: issued.redemptions[s.which % Math.max(1, issued.redemptions.length)] ?? 'none',
        requestHash: `h-rev${i}`,
      });
    case 'refund':
      return refund({
        ...o,
        transactionId: issued.purchases[s.which % Math.max(1, issued.purchases.length)] ?? 'none',
        refundId: `rf${i}`,
        amountMinor: 1,
      });
    case 'settle':
      return settle(at, { program, receivedAt: addDays(at, 1), requestHash: `h-s${i}` });
  }
}

function play(steps: ReadonlyArray<readonly [Step, number]>) {
  let history = historyOf(
    enrol({ program, occurredAt: T0 }),
    purchase({ program, occurredAt: T0, transactionId: 'seed', amountMinor: 100_000, requestHash: 'h-seed' }),
  );
  let state = foldMember(history);
  const issued = { active: [] as string[], redemptions: [] as string[], purchases: [] as string[] };
  let atMs = toMillis(T0);
  steps.forEach(([s, hours], i) => {
    atMs += hours * HOUR_MS;
    issued.active = [...state.coupons.values()].filter((c) => c.status === 'active').map((c) => c.code);
    const command = commandOf(s, i, new Date(atMs).toISOString(), issued);
    let events: MemberEvent[];
    try {
      events = decideMember(command, state);
    } catch (error) {
      if (error instanceof DomainError) return;
      throw error;
    }
    for (const e of events) {
      if (e.type === 'PointsRedeemed') issued.redemptions.push(e.data.redemptionId);
      if (e.type === 'PurchaseRecorded') issued.purchases.push(e.data.transactionId);
    }
    history = [...history, ...events];
    state = events.reduce(evolveMember, state);
    expect(ledgerProblems(state)).toEqual([]);
  });
  return { state, history };
}

describe('coupons over random histories (fast-check)', () => {
  it('ends each coupon at most once, uses it only while valid, never discounts more than the basket, and replays to the same state', () => {
    fc.assert(
      fc.property(plan, (steps) => {
        const { state, history } = play(steps);
        const issuedAt = new Map<string, { at: number; expiresAt: number }>();
        const ended = new Map<string, string>();
        const discountsOf = new Map<string, number>();
        for (const e of history) {
          if (e.type === 'CouponIssued')
            issuedAt.set(e.data.code, { at: toMillis(e.data.occurredAt), expiresAt: toMillis(e.data.expiresAt) });
          if (e.type === 'CouponUsed' || e.type === 'CouponExpired' || e.type === 'CouponCancelled') {
            expect(ended.get(e.data.code)).toBeUndefined();
            ended.set(e.data.code, e.type);
            const coupon = issuedAt.get(e.data.code)!;
            if (e.type === 'CouponUsed') {
              expect(toMillis(e.data.occurredAt)).toBeLessThan(coupon.expiresAt);
              expect(toMillis(e.data.occurredAt)).toBeGreaterThanOrEqual(coupon.at);
              expect(e.data.discountMinor).toBeGreaterThanOrEqual(1);
              discountsOf.set(e.data.transactionId, (discountsOf.get(e.data.transactionId) ?? 0) + e.data.discountMinor);
            }
            if (e.type === 'CouponExpired') expect(toMillis(e.data.occurredAt)).toBe(coupon.expiresAt);
          }
        }
        for (const e of history) {
          if (e.type !== 'PurchaseRecorded' || !discountsOf.has(e.data.transactionId)) continue;
          const basket = e.data.items.reduce((sum, l) => sum + l.quantity * l.unitPriceMinor, 0);
          expect(e.data.amountMinor + discountsOf.get(e.data.transactionId)!).toBeLessThanOrEqual(basket);
        }
        for (const [code, coupon] of state.coupons) expect(coupon.status === 'active').toBe(!ended.has(code));
        expect(foldMember(JSON.parse(JSON.stringify(history)) as MemberEvent[])).toEqual(state);
      }),
      { numRuns: RUNS },
    );
  });
});
