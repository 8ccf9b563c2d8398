import { deterministicEventId, memberStreamId } from '@loyalty/domain';
import { EventToAppend } from '@loyalty/event-store';

/**
 * Member events shaped as the domain writes them (libs/domain member/events.ts),
 * for volume and fault tests that need many cheaply. The contract suite uses
 * the real decider instead.
 */
const AT = '2026-03-01T10:00:00.000Z';

const id = (memberId: string, key: string) => deterministicEventId(memberStreamId(memberId), key, 0);

export function enrolment(memberId: string): EventToAppend {
  return {
    eventId: id(memberId, `enrolment:${memberId}`),
    type: 'MemberEnrolled',
    data: {
      schemaVersion: 1,
      memberId,
      occurredAt: AT,
      memberType: 'individual',
      personalData: null,
      referredBy: null,
      tier: null,
      requestHash: 'h',
    },
  };
}

export function accrual(memberId: string, lotId: string, points: number): EventToAppend {
  return {
    eventId: id(memberId, `accrual:${lotId}`),
    type: 'PointsAccrued',
    data: {
      schemaVersion: 1,
      memberId,
      occurredAt: AT,
      lotId,
      points,
      source: 'action',
      reference: lotId,
      programVersion: 1,
      ruleIds: ['base'],
      pendingUntil: null,
      expiresAt: null,
    },
  };
}

export function redemption(memberId: string, redemptionId: string, points: number): EventToAppend {
  return {
    eventId: id(memberId, `redemption:${redemptionId}`),
    type: 'PointsRedeemed',
    data: {
      schemaVersion: 1,
      memberId,
      occurredAt: AT,
      redemptionId,
      points,
      rewardId: null,
      lots: [],
      programVersion: 1,
      requestHash: 'h',
    },
  };
}

/** A correction whose reason is padded to the given size: the poison tests' oversized record. */
export function paddedAdjustment(memberId: string, adjustmentId: string, reasonBytes: number): EventToAppend {
  return {
    eventId: id(memberId, `adjustment:${adjustmentId}`),
    type: 'PointsAdjusted',
    data: {
      schemaVersion: 1,
      memberId,
      occurredAt: AT,
      adjustmentId,
      points: 1,
      reason: 'x'.repeat(reasonBytes),
      actor: 'admin',
      lotId: adjustmentId,
      expiresAt: null,
      lots: [],
      requestHash: 'h',
    },
  };
}
