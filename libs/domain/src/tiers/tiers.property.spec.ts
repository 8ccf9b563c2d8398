import fc from 'fast-check';
import { decideMember } from '../member/decide';
import { MemberEvent } from '../member/events';
import { ledgerProblems } from '../member/invariants';
import { availablePoints, evolveMember, foldMember, initialMemberState, MemberState } from '../member/state';
import { DomainError } from '../values/errors';
import { isAfter, toMillis } from '../values/time';
import { commandsOf, memberPlanUnderTierPolicy } from '../testing/arbitrary-history';
import { programInForce } from '../testing/fixtures';
import { QualifyingPurchase, qualifyingPurchaseAfter, qualifyingPurchaseOf, statusEndDue, statusEndsAt } from './qualification';

function qualifyingPurchasesOf(history: readonly MemberEvent[]): Map<string, QualifyingPurchase> {
  const purchases = new Map<string, QualifyingPurchase>();
  for (const event of history) {
    const id = qualifyingPurchaseOf(event);
    const after = id === undefined ? undefined : qualifyingPurchaseAfter(purchases.get(id), event);
    if (id !== undefined && after) purchases.set(id, after);
  }
  return purchases;
}

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);

describe('ledger invariants under every tier policy, with manual tier changes (fast-check)', () => {
  it('keeps the identity and the debt rule, replays to the same state, repeats change nothing, and ends statuses when they end', () => {
    fc.assert(
      fc.property(memberPlanUnderTierPolicy, (plan) => {
        let state: MemberState = initialMemberState();
        const history: MemberEvent[] = [];
        const tiers = new Set(['silver', 'gold', 'platinum']);
        for (const command of commandsOf(plan)) {
          let events: MemberEvent[];
          try {
            events = decideMember(command, state);
          } catch (error) {
            if (error instanceof DomainError) continue;
            throw error;
          }
          let running = state;
          for (const event of events) {
            if (event.type === 'TierChanged') {
              expect(tiers.has(event.data.to)).toBe(true);
              // Nothing but an admin moves a held tier before its end; a status ends at its own instant, never after asOf.
              if (event.data.reason !== 'manual' && running.tierHeldUntil !== undefined) {
                expect(event.data.reason).toBe('requalification');
                expect(event.data.occurredAt).toBe(running.tierHeldUntil);
              }
              if (event.data.reason === 'requalification' && command.type === 'SettleMember') {
                expect(event.data.occurredAt).toBe(statusEndsAt(command.program.policy, running));
                expect(isAfter(event.data.occurredAt, command.asOf)).toBe(false);
              }
            }
            running = evolveMember(running, event);
          }
          history.push(...events);
          state = events.reduce(evolveMember, state);
          expect(ledgerProblems(state)).toEqual([]);
          if (state.debt === 0) expect(availablePoints(state)).toBeGreaterThanOrEqual(0);
          expect(decideMember(command, state)).toEqual([]);
        }
        expect(foldMember(JSON.parse(JSON.stringify(history)) as MemberEvent[])).toEqual(state);
        // The read model folds purchases with qualifyingPurchaseAfter: it must count what the decision counts.
        expect(qualifyingPurchasesOf(history)).toEqual(
          new Map(
            [...state.purchases].map(([id, p]) => [
              id,
              {
                occurredAt: p.occurredAt,
                amountMinor: p.amountMinor,
                refundedMinor: p.refundedMinor,
                pointsAccrued: p.pointsAccrued,
                pointsClawedBack: p.pointsClawedBack,
              },
            ]),
          ),
        );
      }),
      { numRuns: RUNS },
    );
  });
});

/** addMonths clamps at most three days (31 March less a month is 28 February), plus the rest of that day. */
const EARLY_MATCH_MAX_MS = 4 * 86_400_000;

describe('the daily job’s index of status ends (statusEndDue)', () => {
  const instant = fc
    .integer({ min: Date.parse('2024-01-01T00:00:00Z'), max: Date.parse('2030-01-01T00:00:00Z') })
    .map((ms) => new Date(ms).toISOString());
  const tiers = [
    { name: 'silver', minSpendMinor: 0, multiplierBp: 10_000 },
    { name: 'gold', minSpendMinor: 50_000, multiplierBp: 10_000 },
  ];
  const status = fc.oneof(
    fc.record({ kind: fc.constant('review' as const), months: fc.constantFrom(1, 3, 12) }),
    fc.record({ kind: fc.constant('months' as const), months: fc.constantFrom(1, 6, 12) }),
    fc.record({ kind: fc.constant('calendarYears' as const), years: fc.constantFrom(1, 2) }),
  );

  it('matches every standing whose status end is due by asOf, and others only days early', () => {
    fc.assert(
      fc.property(
        status,
        fc.constantFrom('UTC', 'America/Los_Angeles', 'Asia/Kolkata'),
        instant,
        instant,
        fc.constantFrom('silver', 'gold'),
        (s, timeZone, anchor, asOf, tier) => {
          const policy = {
            ...programInForce().policy,
            timeZone,
            tiers,
            tierPolicy: {
              qualifyBy: 'spend' as const,
              window: { kind: 'calendarYear' as const },
              status: s,
              downgrade: 'toQualified' as const,
            },
          };
          const standing = { tier, tierQualifiedAt: anchor, tierReachedAt: anchor, tierHeldUntil: undefined };
          const end = statusEndsAt(policy, standing);
          const due = statusEndDue(policy, asOf)!;
          const matches =
            (due.qualifiedAtOrBefore !== null && !isAfter(anchor, due.qualifiedAtOrBefore)) ||
            (due.reachedAtOrBefore !== null && !isAfter(anchor, due.reachedAtOrBefore) && tier !== due.exceptTier);
          if (end !== null && !isAfter(end, asOf)) expect(matches).toBe(true);
          // A match too early is one near a month end, a few days at most: settling it changes nothing.
          if (matches && end !== null) expect(toMillis(end) - toMillis(asOf)).toBeLessThanOrEqual(EARLY_MATCH_MAX_MS);
        },
      ),
      { numRuns: RUNS * 10 },
    );
  });
});
