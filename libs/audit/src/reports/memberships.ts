import type { AuditEvent } from '../fold/log-pages';
import { decodeMemberEvent, toMillis } from '@loyalty/domain';
import { AuditFold } from '../fold/audit-fold';
import { exact, positionOf } from './integers';

/**
 * Membership fees are revenue, not point liability. Each payment pays for its
 * period [periodStart, periodEnd) and is recognised evenly over it, to the
 * millisecond: recognised = floor(amount * elapsed / length), deferred =
 * paid - recognised, all in integer minor units, so the same log and asOf
 * always give the same figures and a fee is fully recognised at its period's end.
 */
export interface MembershipRevenueReport {
  readonly asOf: string;
  readonly deferredRevenueMinor: number;
  readonly recognisedRevenueMinor: number;
  /** Memberships whose benefits hold at asOf (started, period not yet ended). */
  readonly activeMemberships: number;
  readonly eventsRead: number;
  readonly lastPosition: string | null;
}

export interface MembershipFigures {
  readonly asOfMs: number;
  paidMinor: bigint;
  recognisedMinor: bigint;
  /** member/membership -> the latest period end known at asOf. */
  readonly periodEndMs: Map<string, number>;
}

export const startMembershipFigures = (asOfMs: number): MembershipFigures => ({
  asOfMs,
  paidMinor: 0n,
  recognisedMinor: 0n,
  periodEndMs: new Map(),
});

export function foldMembershipFigures(figures: MembershipFigures, recorded: AuditEvent): void {
  const event = decodeMemberEvent(recorded);
  if (!event || toMillis(event.data.occurredAt) > figures.asOfMs) return;
  if (event.type !== 'MembershipStarted' && event.type !== 'MembershipPaymentRecorded') return;
  const key = `${event.data.memberId}/${event.data.membershipId}`;
  const endMs = toMillis(event.data.periodEnd);
  figures.periodEndMs.set(key, Math.max(figures.periodEndMs.get(key) ?? endMs, endMs));
  if (event.type === 'MembershipPaymentRecorded') {
    const startMs = toMillis(event.data.periodStart);
    const elapsedMs = Math.min(Math.max(figures.asOfMs - startMs, 0), endMs - startMs);
    const amount = BigInt(event.data.amountMinor);
    figures.paidMinor += amount;
    figures.recognisedMinor += (amount * BigInt(elapsedMs)) / BigInt(endMs - startMs);
  }
}

export function membershipRevenueReport(fold: AuditFold, figures: MembershipFigures, asOf: string): MembershipRevenueReport {
  let active = 0;
  for (const endMs of figures.periodEndMs.values()) if (endMs > figures.asOfMs) active += 1;
  return {
    asOf,
    deferredRevenueMinor: exact(Number(figures.paidMinor - figures.recognisedMinor), 'deferred membership revenue'),
    recognisedRevenueMinor: exact(Number(figures.recognisedMinor), 'recognised membership revenue'),
    activeMemberships: active,
    eventsRead: fold.eventsRead,
    lastPosition: positionOf(fold.lastPosition),
  };
}
