import { Instant } from '../values/time';
import { MemberEvent } from '../member/events';
import { RecordPurchase } from '../member/commands';
import { PersistentMap } from '../member/persistent-map';
import { rulesOf } from '../member/purchases';
import { ProgramPolicy } from '../program/policy';
import { streamIdOf } from '../streams/catalogue';

/**
 * Exact rule budgets. Each budgeted rule (an earning rule with
 * cap.totalPoints, an offer with pointsBudget, a reward with a stock, whose
 * budget counts redemptions rather than points) has a budget stream of its own
 * (internal, never published). Before a purchase's member events are
 * appended, the write path reserves each budgeted award on the rule's budget
 * stream, appending at the revision it read (optimistic concurrency): two
 * purchases racing for the last points cannot both append at that revision,
 * and the loser re-reads and reserves what remains, or nothing. The sum of
 * reservations therefore never exceeds the budget, and an accrual never
 * exceeds its reservation, so awarded points never exceed the budget.
 *
 * A reservation is keyed by the transaction id: a retried purchase (after a
 * crash between the reservation and the member's append, or a lost reply)
 * finds its reservation and reuses it instead of reserving again. A crash
 * between the two appends leaves a reservation without its accrual until the
 * purchase is retried: points can be held back, never overspent.
 */
export const BUDGET_EVENT_SCHEMA_VERSION = 1;

export interface BudgetReserved {
  readonly type: 'BudgetReserved';
  readonly data: {
    readonly schemaVersion: number;
    /** The rule's key (`rule:<ruleId>`, `offer:<offerId>` or `reward:<rewardId>`). */
    readonly ruleKey: string;
    /** The purchase's transaction id, or the redemption id for reward stock. */
    readonly transactionId: string;
    readonly memberId: string;
    /** Points, or units (redemptions) for reward stock. */
    readonly points: number;
    /** The budget in force when this was reserved. */
    readonly budget: number;
    readonly occurredAt: Instant;
  };
}

export type BudgetEvent = BudgetReserved;

export interface BudgetState {
  readonly reservedPoints: number;
  readonly byTransaction: ReadonlyMap<string, number>;
}

export const budgetStreamId = (ruleKey: string): string => streamIdOf('rule-budget', ruleKey);

const NO_RESERVATIONS: BudgetState = { reservedPoints: 0, byTransaction: PersistentMap.empty() };

/**
 * `from`: a state folded earlier, so a long budget stream's new events fold
 * onto it without the rest (a budget stream gains an event per reservation);
 * the persistent map makes each step O(log n), not a copy of every reservation.
 */
export function foldBudget(events: readonly BudgetEvent[], from: BudgetState = NO_RESERVATIONS): BudgetState {
  let byTransaction = PersistentMap.of(from.byTransaction);
  let reservedPoints = from.reservedPoints;
  for (const event of events) {
    reservedPoints += event.data.points;
    byTransaction = byTransaction.set(event.data.transactionId, event.data.points);
  }
  return { reservedPoints, byTransaction };
}

export interface ReservationRequest {
  readonly ruleKey: string;
  readonly transactionId: string;
  readonly memberId: string;
  /** What the purchase would award without the budget. */
  readonly points: number;
  readonly budget: number;
  readonly occurredAt: Instant;
}

/** [] when the purchase already holds a reservation (a retry) or nothing remains. */
export function decideReservation(state: BudgetState, request: ReservationRequest): BudgetReserved[] {
  if (state.byTransaction.has(request.transactionId)) return [];
  const points = Math.min(request.points, Math.max(0, request.budget - state.reservedPoints));
  if (points <= 0) return [];
  const { ruleKey, transactionId, memberId, budget, occurredAt } = request;
  return [
    {
      type: 'BudgetReserved',
      data: { schemaVersion: BUDGET_EVENT_SCHEMA_VERSION, ruleKey, transactionId, memberId, points, budget, occurredAt },
    },
  ];
}

/** The reservations a purchase's decision needs: one per accrual of a budgeted rule, as the domain decided it without grants. */
export function reservationsFor(
  command: RecordPurchase,
  decision: readonly MemberEvent[],
  budgets: ReadonlyMap<string, number>,
): ReservationRequest[] {
  return decision.flatMap((event) => {
    if (event.type !== 'PointsAccrued' || event.data.reference !== command.transactionId) return [];
    const ruleKey = event.data.ruleIds[0];
    const budget = ruleKey === undefined ? undefined : budgets.get(ruleKey);
    if (ruleKey === undefined || budget === undefined || event.data.source !== 'offer') return [];
    const { transactionId, memberId, occurredAt } = command;
    return [{ ruleKey, transactionId, memberId, points: event.data.points, budget, occurredAt }];
  });
}

/** The total budget of every budgeted rule of a program, by rule key. */
export const ruleBudgets = (policy: ProgramPolicy): ReadonlyMap<string, number> =>
  new Map(rulesOf(policy).flatMap(({ key, rule }) => (rule.cap.totalPoints === undefined ? [] : [[key, rule.cap.totalPoints] as const])));
