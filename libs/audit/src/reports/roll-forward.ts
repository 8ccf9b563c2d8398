import { AccrualSource } from '@loyalty/domain';
import { AuditFold, AuditInvariantViolation, assertFoldBalances, sortedMembers } from '../fold/audit-fold';
import { availableOf } from '../fold/member-position';
import { addMovements, Movements, netOf, noMovements } from '../fold/movements';
import { pointsToMinor, valuationAt } from '../valuation/program-versions';
import { CouponRollForward, couponRollForward } from './coupons';
import { exact, MinorAmount, minorOf, positionOf } from './integers';

export interface RollForwardLines<T> {
  readonly opening: T;
  readonly issued: T;
  readonly redeemed: T;
  readonly expired: T;
  readonly clawedBack: T;
  readonly adjusted: T;
  /** Transfers net to zero program-wide once both sides are logged; kept as lines so the identity is exact. */
  readonly transferredIn: T;
  readonly transferredOut: T;
  readonly closing: T;
}

export interface IssuedBySource {
  readonly purchases: number;
  readonly welcome: number;
  readonly birthday: number;
  readonly referral: number;
  readonly actions: number;
  readonly offers: number;
  /** Subtotal of welcome, birthday, referral, actions and offers: do not add it to them. */
  readonly bonuses: number;
}

export interface MemberRollForward extends RollForwardLines<number> {
  readonly memberId: string;
}

export interface RollForwardReport {
  readonly from: string;
  readonly to: string;
  readonly pointValueMinor: number;
  readonly currency: string | null;
  readonly programVersion: number | null;
  readonly points: RollForwardLines<number>;
  /** Every line at the point value in force at `to`, so the identity holds in money as in points. */
  readonly minor: RollForwardLines<MinorAmount>;
  readonly revaluation: {
    /** The point value in force at `from`, and the opening balance at that value (the previous period's closing). */
    readonly openingPointValueMinor: number;
    readonly openingAtOpeningValueMinor: MinorAmount;
    /** minor.opening - openingAtOpeningValueMinor: the change in value of the points held at `from`. */
    readonly revaluationMinor: MinorAmount;
  };
  readonly issuedBySource: IssuedBySource;
  /** Coupons issued, used, expired and cancelled in the period, apart from points (docs/audit.md, "Coupons"). */
  readonly coupons: CouponRollForward;
  readonly members: number;
  readonly eventsRead: number;
  readonly eventsCounted: number;
  readonly lastPosition: string | null;
  readonly memberMovements?: readonly MemberRollForward[];
}

/**
 * The period (from, to]: opening is the balance as of `from` (events dated
 * exactly at `from` are in it), closing the balance as of `to` (events dated
 * exactly at `to` are in the period). Consecutive periods chain: one's
 * closing is the next one's opening, and both equal the liability report at
 * that instant. The fold must have been made with the window of this period.
 */
export function rollForwardReport(fold: AuditFold, from: string, to: string, options: { byMember?: boolean } = {}): RollForwardReport {
  assertFoldBalances(fold);
  const opening = noMovements();
  const period = noMovements();
  let closing = 0;
  const members = sortedMembers(fold);
  const memberMovements: MemberRollForward[] = [];
  for (const m of members) {
    addMovements(opening, m.opening);
    addMovements(period, m.period);
    const held = availableOf(m) + m.pending;
    closing += held;
    if (options.byMember) memberMovements.push({ memberId: m.memberId, ...lines(netOf(m.opening), m.period, held) });
  }
  const points = lines(exact(netOf(opening), 'opening points'), period, exact(closing, 'closing points'));
  assertRollsForward(points, 'program');

  const sources = issuedBySource(fold.issuedBySource);
  if (sources.purchases + sources.bonuses !== points.issued) {
    throw new AuditInvariantViolation(`issued by source sums to ${sources.purchases + sources.bonuses} but issued is ${points.issued}`);
  }

  const valuation = valuationAt(fold.programVersions, fold.window.asOfMs);
  const openingValuation = valuationAt(fold.programVersions, fold.window.fromMs);
  const value = valuation.pointValueMinor;
  const openingAtOpeningValue = pointsToMinor(points.opening, openingValuation.pointValueMinor);
  // As a record, so Object.entries knows every line is a number.
  const pointLines: Readonly<Record<keyof RollForwardLines<number>, number>> = points;
  const minor = Object.fromEntries(
    Object.entries(pointLines).map(([k, v]) => [k, minorOf(pointsToMinor(v, value))]),
  ) as unknown as RollForwardLines<MinorAmount>;
  return {
    from,
    to,
    pointValueMinor: value,
    currency: valuation.currency,
    programVersion: valuation.programVersion,
    points,
    minor,
    revaluation: {
      openingPointValueMinor: openingValuation.pointValueMinor,
      openingAtOpeningValueMinor: minorOf(openingAtOpeningValue),
      revaluationMinor: minorOf(pointsToMinor(points.opening, value) - openingAtOpeningValue),
    },
    issuedBySource: sources,
    coupons: couponRollForward(fold),
    members: members.length,
    eventsRead: fold.eventsRead,
    eventsCounted: fold.eventsCounted,
    lastPosition: positionOf(fold.lastPosition),
    ...(options.byMember ? { memberMovements } : {}),
  };
}

function lines(opening: number, m: Movements, closing: number): RollForwardLines<number> {
  return {
    opening,
    issued: exact(m.issued, 'issued'),
    redeemed: exact(m.redeemed, 'redeemed'),
    expired: exact(m.expired, 'expired'),
    clawedBack: exact(m.clawedBack, 'clawed back'),
    adjusted: exact(m.adjusted, 'adjusted'),
    transferredIn: exact(m.transferredIn, 'transferred in'),
    transferredOut: exact(m.transferredOut, 'transferred out'),
    closing,
  };
}

/** opening + issued - redeemed - expired - clawedBack + adjusted (+ in - out) = closing, or no report. */
export function assertRollsForward(l: RollForwardLines<number>, what: string): void {
  const rolled = l.opening + l.issued - l.redeemed - l.expired - l.clawedBack + l.adjusted + l.transferredIn - l.transferredOut;
  if (rolled !== l.closing) throw new AuditInvariantViolation(`${what}: opening and movements give ${rolled} but closing is ${l.closing}`);
}

function issuedBySource(s: Record<AccrualSource, number>): IssuedBySource {
  const bonuses = s.welcome + s.birthday + s.referral + s.action + s.offer;
  return {
    purchases: s.purchase,
    welcome: s.welcome,
    birthday: s.birthday,
    referral: s.referral,
    actions: s.action,
    offers: s.offer,
    bonuses,
  };
}
