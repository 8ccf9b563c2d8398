import { CancelMembership, RecordMembershipPayment, StartMembership } from '../member/commands';
import { MembershipCancelled, MembershipLapsed, MembershipPaymentRecorded, MembershipStarted, MemberEvent } from '../member/events';
import { MembershipPlan } from './plans';
import { member, programInForce } from '../testing/fixtures';
import { purchase, settle } from '../testing/member-commands';
import { enrolled } from '../testing/member-events';
import { policyProblems } from '../program/program';

const RECEIVED = '2030-01-01T00:00:00.000Z';
const START = '2026-03-01T10:00:00.000Z';

const monthly: MembershipPlan = { planId: 'monthly', feeMinor: 1499, period: 'month', trialDays: 30, benefits: { multiplierBp: 20_000 } };
const annual: MembershipPlan = { planId: 'annual', feeMinor: 13_900, period: 'year', benefits: { multiplierBp: 15_000 } };
const program = programInForce({ plans: [monthly, annual] });

const base = (occurredAt: string) => ({ memberId: 'm1', occurredAt, receivedAt: RECEIVED, program });

const start = (planId: string, o: Partial<StartMembership> = {}): StartMembership => ({
  type: 'StartMembership',
  membershipId: 'ms1',
  planId,
  requestHash: `h-start-${planId}`,
  ...base(START),
  ...o,
});

const pay = (paymentId: string, occurredAt: string, amountMinor: number): RecordMembershipPayment => ({
  type: 'RecordMembershipPayment',
  membershipId: 'ms1',
  paymentId,
  amountMinor,
  requestHash: `h-${paymentId}`,
  ...base(occurredAt),
});

const cancel = (occurredAt: string): CancelMembership => ({
  type: 'CancelMembership',
  membershipId: 'ms1',
  requestHash: 'h-cancel',
  ...base(occurredAt),
});

const common = (occurredAt: string) => ({ schemaVersion: 1, memberId: 'm1', occurredAt });

const started = (plan: MembershipPlan, periodEnd: string, paidUntil: string): MembershipStarted => ({
  type: 'MembershipStarted',
  data: {
    ...common(START),
    membershipId: 'ms1',
    planId: plan.planId,
    period: plan.period,
    feeMinor: plan.feeMinor,
    multiplierBp: plan.benefits.multiplierBp ?? null,
    timeZone: 'UTC',
    status: (plan.trialDays ?? 0) > 0 ? 'trial' : 'active',
    periodEnd,
    paidUntil,
    programVersion: 1,
    requestHash: `h-start-${plan.planId}`,
  },
});

const paid = (
  paymentId: string,
  occurredAt: string,
  amountMinor: number,
  periodStart: string,
  periodEnd: string,
): MembershipPaymentRecorded => ({
  type: 'MembershipPaymentRecorded',
  data: { ...common(occurredAt), membershipId: 'ms1', paymentId, amountMinor, periodStart, periodEnd, requestHash: `h-${paymentId}` },
});

const cancelled = (occurredAt: string, benefitsUntil: string): MembershipCancelled => ({
  type: 'MembershipCancelled',
  data: { ...common(occurredAt), membershipId: 'ms1', benefitsUntil, requestHash: 'h-cancel' },
});

const lapsed = (occurredAt: string, reason: 'unpaid' | 'cancelled'): MembershipLapsed => ({
  type: 'MembershipLapsed',
  data: { ...common(occurredAt), membershipId: 'ms1', reason },
});

const TRIAL_END = '2026-03-31T10:00:00.000Z';
const MONTHLY_TRIAL = started(monthly, TRIAL_END, TRIAL_END);
const ANNUAL = started(annual, '2027-03-01T10:00:00.000Z', START);

const accruedPoints = (events: MemberEvent[]) =>
  events.flatMap((e) => (e.type === 'PointsAccrued' ? [[e.data.points, e.data.ruleIds]] : []));

describe('paid memberships', () => {
  it('a plan with a trial starts in the trial, ending trialDays later', () => {
    member.given([enrolled()]).when(start('monthly')).then([MONTHLY_TRIAL]);
  });

  it('a plan without a trial starts its first period at once', () => {
    member.given([enrolled()]).when(start('annual')).then([ANNUAL]);
  });

  it('refuses a plan the program does not have', () => {
    member.given([enrolled()]).when(start('weekly')).thenThrows('PLAN_NOT_FOUND');
  });

  it('is idempotent by membershipId: the same request does nothing, another one conflicts', () => {
    member.given([enrolled(), MONTHLY_TRIAL]).when(start('monthly')).thenNothing();
    member.given([enrolled(), MONTHLY_TRIAL]).when(start('annual')).thenThrows('IDEMPOTENCY_CONFLICT');
  });

  it('a payment during the trial pays for the month after it; the next one for the month after that', () => {
    const first = paid('p1', '2026-03-30T00:00:00.000Z', 1499, TRIAL_END, '2026-04-30T10:00:00.000Z');
    member
      .given([enrolled(), MONTHLY_TRIAL])
      .when(pay('p1', '2026-03-30T00:00:00.000Z', 1499))
      .then([first]);
    member
      .given([enrolled(), MONTHLY_TRIAL, first])
      .when(pay('p2', '2026-04-29T00:00:00.000Z', 1499))
      .then([paid('p2', '2026-04-29T00:00:00.000Z', 1499, '2026-04-30T10:00:00.000Z', '2026-05-30T10:00:00.000Z')]);
  });

  it('the first payment of a plan without a trial pays for the period already started', () => {
    member
      .given([enrolled(), ANNUAL])
      .when(pay('p1', START, 13_900))
      .then([paid('p1', START, 13_900, START, '2027-03-01T10:00:00.000Z')]);
  });

  it('refuses a payment that is not a positive integer', () => {
    member
      .given([enrolled(), ANNUAL])
      .when(pay('p1', START, 0))
      .thenThrows('INVALID_AMOUNT');
  });

  it('a cancellation keeps the benefits until the period ends, then the daily job lapses it dated at that end', () => {
    const at = '2026-03-10T00:00:00.000Z';
    member
      .given([enrolled(), MONTHLY_TRIAL])
      .when(cancel(at))
      .then([cancelled(at, TRIAL_END)]);
    member
      .given([enrolled(), MONTHLY_TRIAL, cancelled(at, TRIAL_END)])
      .when(pay('p1', '2026-03-20T00:00:00.000Z', 1499))
      .thenThrows('MEMBERSHIP_CANCELLED');
    member
      .given([enrolled(), MONTHLY_TRIAL, cancelled(at, TRIAL_END)])
      .when(settle('2026-03-20T00:00:00.000Z', { program }))
      .thenNothing();
    member
      .given([enrolled(), MONTHLY_TRIAL, cancelled(at, TRIAL_END)])
      .when(settle('2026-04-05T00:00:00.000Z', { program }))
      .then([lapsed(TRIAL_END, 'cancelled')]);
  });

  it('a period that ends unpaid lapses dated at its end, once; a later payment is refused', () => {
    const history = [enrolled(), MONTHLY_TRIAL];
    member
      .given(history)
      .when(settle('2026-06-01T00:00:00.000Z', { program }))
      .then([lapsed(TRIAL_END, 'unpaid')]);
    member
      .given([...history, lapsed(TRIAL_END, 'unpaid')])
      .when(settle('2026-07-01T00:00:00.000Z', { program }))
      .thenNothing();
    member
      .given([...history, lapsed(TRIAL_END, 'unpaid')])
      .when(pay('p1', '2026-06-02T00:00:00.000Z', 1499))
      .thenThrows('MEMBERSHIP_LAPSED');
  });

  it('the multiplier applies to purchase points only while the membership is active', () => {
    const buy = (transactionId: string, occurredAt: string) =>
      purchase({ transactionId, amountMinor: 1000, occurredAt, receivedAt: RECEIVED, program, requestHash: `h-${transactionId}` });
    const history = [enrolled(), MONTHLY_TRIAL];
    member
      .given(history)
      .when(buy('during', '2026-03-15T00:00:00.000Z'))
      .thenMatches((events) => expect(accruedPoints(events)).toEqual([[20, ['base', 'membership:monthly']]]));
    member
      .given(history)
      .when(buy('before', '2026-02-15T00:00:00.000Z'))
      .thenMatches((events) => expect(accruedPoints(events)).toEqual([[10, ['base']]]));
    member
      .given([...history, lapsed(TRIAL_END, 'unpaid')])
      .when(buy('after', '2026-04-15T00:00:00.000Z'))
      .thenMatches((events) => expect(accruedPoints(events)).toEqual([[10, ['base']]]));
  });
});

describe('membership plans in a configuration', () => {
  it('reports every problem of a plan', () => {
    const bad: MembershipPlan = { planId: 'x', feeMinor: 0, period: 'week' as 'month', trialDays: 400, benefits: { multiplierBp: -1 } };
    expect(policyProblems({ ...program.policy, plans: [bad, bad] })).toEqual([
      'planIds must be unique',
      'plan x: feeMinor must be 1-100000000',
      'plan x: period must be month or year',
      'plan x: trialDays must be 0-365',
      'plan x: benefits.multiplierBp must be 0-1000000',
      'plan x: feeMinor must be 1-100000000',
      'plan x: period must be month or year',
      'plan x: trialDays must be 0-365',
      'plan x: benefits.multiplierBp must be 0-1000000',
    ]);
    expect(policyProblems(program.policy)).toEqual([]);
  });
});
