import { MemberState } from '../member/state';
import { Instant, toMillis } from '../values/time';
import { MemberTypeName } from './criteria';

/** A purchase as the member's events state it. */
export interface PurchaseInput {
  readonly occurredAt: Instant;
  readonly amountMinor: number;
  readonly refundedMinor: number;
  readonly storeId: string | null;
  readonly skus: readonly string[];
  readonly categories: readonly string[];
}

/** A member as its events (and, for the birth date, its sealed personal data) state it. */
export interface MemberInput {
  readonly memberType: MemberTypeName;
  readonly enrolledAt: Instant;
  /** YYYY-MM-DD. */
  readonly birthDate: string | null;
  readonly tier: string | null;
  readonly lastRedemptionAt: Instant | null;
}

/** A date in the UTC calendar, month and day from 1. */
export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** A purchase as criteria read it: the instant parsed, the amount net of refunds (integer minor units). */
export interface PurchaseFact {
  readonly atMs: number;
  readonly netMinor: number;
  readonly storeId: string | null;
  readonly skus: readonly string[];
  readonly categories: readonly string[];
}

/**
 * What a segment can know about a member, with every instant and date
 * parsed once: criteria are evaluated for every member at every fact event,
 * so they compare numbers and never parse text.
 */
export interface MemberFacts {
  readonly memberType: MemberTypeName;
  readonly enrolledAtMs: number;
  readonly enrolledOn: CalendarDate;
  readonly bornOn: CalendarDate | null;
  readonly tier: string | null;
  readonly purchases: readonly PurchaseFact[];
  readonly lastRedemptionAtMs: number | null;
}

export const calendarDateOf = (ms: number): CalendarDate => {
  const date = new Date(ms);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
};

function parseDate(text: string): CalendarDate {
  const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  return { year, month, day };
}

export function purchaseFact(p: PurchaseInput): PurchaseFact {
  return {
    atMs: toMillis(p.occurredAt),
    netMinor: p.amountMinor - p.refundedMinor,
    storeId: p.storeId,
    skus: p.skus,
    categories: p.categories,
  };
}

/** The purchases are taken as they are, not copied: a holder that changes its list changes the facts. */
export function memberFacts(m: MemberInput, purchases: readonly PurchaseFact[]): MemberFacts {
  const enrolledAtMs = toMillis(m.enrolledAt);
  return {
    memberType: m.memberType,
    enrolledAtMs,
    enrolledOn: calendarDateOf(enrolledAtMs),
    bornOn: m.birthDate === null ? null : parseDate(m.birthDate),
    tier: m.tier,
    purchases,
    lastRedemptionAtMs: m.lastRedemptionAt === null ? null : toMillis(m.lastRedemptionAt),
  };
}

/**
 * A member's segment facts from its own folded stream, so offers can target
 * segments without IO. The birth date is sealed outside the log
 * (crypto-shredding), so offers decided here cannot target age bands; the
 * segments projection, which may open it, can.
 */
export function memberFactsOf(state: MemberState): MemberFacts | undefined {
  if (!state.enrolled || state.memberType === null || state.enrolledAt === null) return undefined;
  let lastRedemptionAt: string | null = null;
  for (const r of state.redemptions.values()) {
    if (lastRedemptionAt === null || toMillis(r.occurredAt) > toMillis(lastRedemptionAt)) lastRedemptionAt = r.occurredAt;
  }
  const member = { memberType: state.memberType, enrolledAt: state.enrolledAt, birthDate: null, tier: state.tier, lastRedemptionAt };
  return memberFacts(member, [...state.purchases.values()].map(purchaseFact));
}
