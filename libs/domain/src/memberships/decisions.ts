import { invalid, notFound, rejected } from '../values/errors';
import { isAfter } from '../values/time';
import { CancelMembership, RecordMembershipPayment, SettleMember, StartMembership } from '../member/commands';
import { base } from '../member/decision-helpers';
import { MemberEvent } from '../member/events';
import { MembershipRecord, MemberState } from '../member/state';
import { programTimeZone } from '../program/policy';
import { findPlan, periodEndAfter, trialEndAfter } from './plans';

/** A plan with a trial starts in it; without one, the first period starts at once and its fee is reported as the first payment. */
export function startMembership(command: StartMembership, state: MemberState): MemberEvent[] {
  const plan = findPlan(command.program.policy.plans, command.planId);
  if (!plan) throw rejected('PLAN_NOT_FOUND', `the program has no plan ${command.planId}`, { planId: command.planId });
  if (state.memberships.has(command.membershipId)) {
    throw rejected('MEMBERSHIP_ID_CONFLICT', `membership ${command.membershipId} already exists`);
  }
  const trial = (plan.trialDays ?? 0) > 0;
  const timeZone = programTimeZone(command.program.policy);
  const paidUntil = trial ? trialEndAfter(plan, command.occurredAt) : command.occurredAt;
  return [
    {
      type: 'MembershipStarted',
      data: {
        ...base(command),
        membershipId: command.membershipId,
        planId: plan.planId,
        period: plan.period,
        feeMinor: plan.feeMinor,
        multiplierBp: plan.benefits.multiplierBp ?? null,
        ...(plan.benefits.tier !== undefined && { tier: plan.benefits.tier }),
        timeZone,
        status: trial ? 'trial' : 'active',
        periodEnd: trial ? paidUntil : periodEndAfter(plan, command.occurredAt, timeZone),
        paidUntil,
        programVersion: command.program.version,
        requestHash: command.requestHash,
      },
    },
  ];
}

/** Each payment pays for the period after the last one paid (the first: after the trial, or from the start). */
export function recordMembershipPayment(command: RecordMembershipPayment, state: MemberState): MemberEvent[] {
  if (!Number.isSafeInteger(command.amountMinor) || command.amountMinor < 1) {
    throw invalid('INVALID_AMOUNT', 'amountMinor must be a positive integer');
  }
  const membership = requireOpen(state, command.membershipId, command);
  const periodStart = membership.paidUntil;
  const periodEnd = periodEndAfter(membership, periodStart, membership.timeZone);
  return [
    {
      type: 'MembershipPaymentRecorded',
      data: {
        ...base(command),
        membershipId: membership.membershipId,
        paymentId: command.paymentId,
        amountMinor: command.amountMinor,
        periodStart,
        periodEnd,
        requestHash: command.requestHash,
      },
    },
  ];
}

export function cancelMembership(command: CancelMembership, state: MemberState): MemberEvent[] {
  const membership = requireOpen(state, command.membershipId, command);
  return [
    {
      type: 'MembershipCancelled',
      data: {
        ...base(command),
        membershipId: membership.membershipId,
        benefitsUntil: membership.periodEnd,
        requestHash: command.requestHash,
      },
    },
  ];
}

/** The daily job: each membership whose period ended by asOf lapses, dated at the period's end. */
export function membershipLapses(command: SettleMember, state: MemberState): MemberEvent[] {
  return [...state.memberships.values()]
    .filter((m) => !m.lapsed && !isAfter(m.periodEnd, command.asOf))
    .map((m) => ({
      type: 'MembershipLapsed',
      data: { ...base(command, m.periodEnd), membershipId: m.membershipId, reason: m.cancelled ? 'cancelled' : 'unpaid' },
    }));
}

function requireOpen(state: MemberState, membershipId: string, command: RecordMembershipPayment | CancelMembership): MembershipRecord {
  const membership = state.memberships.get(membershipId);
  if (!membership) throw notFound('MEMBERSHIP_NOT_FOUND', `no membership ${membershipId}`, { membershipId });
  if (membership.lapsed || !isAfter(membership.periodEnd, command.occurredAt)) {
    throw rejected('MEMBERSHIP_LAPSED', `membership ${membershipId} has lapsed`, { membershipId, periodEnd: membership.periodEnd });
  }
  if (membership.cancelled) throw rejected('MEMBERSHIP_CANCELLED', `membership ${membershipId} is cancelled`, { membershipId });
  return membership;
}
