import { ACCRUAL_SOURCES, AccrualSource } from '../member/events';
import { SegmentDefinition } from '../segments/builtins';
import { criteriaEvaluatorAt } from '../segments/evaluate';
import { memberFactsOf } from '../segments/member-facts';
import { availablePoints, MemberState, OwnedMemberFold, pendingOf } from '../member/state';
import { Movements } from '../lots/lot-effects';
import { Instant } from '../values/time';

/** Digits after the point in costShareOfRevenue, truncated. */
export const COST_SHARE_FRACTION_DIGITS = 6;
/** membersByTier's key for members of a program without tiers. */
export const NO_TIER = 'none';

export interface RefusalFigures {
  readonly count: number;
  readonly points: number;
  readonly byCode: Readonly<Record<string, number>>;
}

export interface SegmentFigures {
  readonly members: number;
  readonly pointsIssued: number;
  readonly pointsRedeemed: number;
  readonly revenueMinor: number;
}

/** What one side of a simulation adds up to over the window (docs/simulation.md). */
export interface Figures {
  readonly pointsIssued: number;
  readonly pointsIssuedBySource: Readonly<Record<AccrualSource, number>>;
  readonly pointsRedeemed: number;
  readonly pointsExpired: number;
  readonly outstandingPoints: number;
  readonly liabilityMinor: number;
  readonly revenueMinor: number;
  /** pointsIssued valued at pointValueMinor per unit of revenueMinor; null without revenue. */
  readonly costShareOfRevenue: string | null;
  readonly membersByTier: Readonly<Record<string, number>>;
  /** Members who moved into each tier during the window (an upgrade, a status end, an admin's change, an enrolment). */
  readonly membersReachingTier: Readonly<Record<string, number>>;
  readonly bySegment: Readonly<Record<string, SegmentFigures>>;
  /** Recorded redemptions this side refuses, by error code. */
  readonly redemptionsRefused: RefusalFigures;
  /** Every other recorded command this side refuses (a purchase in another currency, an action without a bonus), by code. */
  readonly commandsRefused: Readonly<Record<string, number>>;
}

/** One member's running totals on one side: a few numbers, whatever the length of its history. */
export interface MemberTally {
  /** The side's state now: the fold's, good until its next apply. */
  readonly state: MemberState;
  /** The side alone holds it, so a decision's events cost no copy of the member's maps. */
  readonly fold: OwnedMemberFold;
  readonly startMovements: Movements;
  readonly issuedBySource: Record<AccrualSource, number>;
  revenueMinor: number;
  readonly tiersReached: Set<string>;
}

/** A side's tally from the window's start on: it goes on with `fold`, which it alone holds from now. */
export const startTally = (fold: OwnedMemberFold): MemberTally => {
  return {
    get state() {
      return fold.state;
    },
    fold,
    startMovements: fold.state.movements,
    issuedBySource: Object.fromEntries(ACCRUAL_SOURCES.map((s) => [s, 0])) as Record<AccrualSource, number>,
    revenueMinor: 0,
    tiersReached: new Set(),
  };
};

/**
 * Which segments a member is in at `to`, judged once per member on its
 * recorded history, so that both sides' segment figures are about the same
 * members (a candidate changes points, not who bought what).
 */
export class SegmentJudge {
  private readonly matches: ReturnType<typeof criteriaEvaluatorAt>;

  constructor(
    private readonly definitions: readonly SegmentDefinition[],
    to: Instant,
  ) {
    this.matches = criteriaEvaluatorAt(to);
  }

  get names(): string[] {
    return this.definitions.map((d) => d.name);
  }

  segmentsOf(state: MemberState): string[] {
    const facts = memberFactsOf(state);
    if (!facts) return [];
    return this.definitions.filter((d) => this.matches(d.criteria, facts)).map((d) => d.name);
  }
}

/** Adds up a side: every member's tally, refusals, valued at the side's point value. */
export class FiguresBuilder {
  private readonly bySource = Object.fromEntries(ACCRUAL_SOURCES.map((s) => [s, 0])) as Record<AccrualSource, number>;
  private readonly membersByTier: Record<string, number> = {};
  private readonly reaching: Record<string, number> = {};
  private readonly segments: Record<string, { members: number; pointsIssued: number; pointsRedeemed: number; revenueMinor: number }>;
  private issued = 0;
  private redeemed = 0;
  private expired = 0;
  private outstanding = 0;
  private revenueMinor = 0;

  constructor(segmentNames: readonly string[]) {
    this.segments = Object.fromEntries(
      segmentNames.map((name) => [name, { members: 0, pointsIssued: 0, pointsRedeemed: 0, revenueMinor: 0 }]),
    );
  }

  add(tally: MemberTally, segments: readonly string[]): void {
    const { state, startMovements } = tally;
    if (!state.enrolled) return;
    const issued = state.movements.issued - startMovements.issued;
    const redeemed = state.movements.redeemed - startMovements.redeemed;
    this.issued += issued;
    this.redeemed += redeemed;
    this.expired += state.movements.expired - startMovements.expired;
    this.outstanding += availablePoints(state) + pendingOf(state);
    this.revenueMinor += tally.revenueMinor;
    for (const source of ACCRUAL_SOURCES) this.bySource[source] += tally.issuedBySource[source];
    const tier = state.tier ?? NO_TIER;
    this.membersByTier[tier] = (this.membersByTier[tier] ?? 0) + 1;
    for (const reached of tally.tiersReached) this.reaching[reached] = (this.reaching[reached] ?? 0) + 1;
    for (const name of segments) {
      const s = this.segments[name]!;
      s.members += 1;
      s.pointsIssued += issued;
      s.pointsRedeemed += redeemed;
      s.revenueMinor += tally.revenueMinor;
    }
  }

  build(pointValueMinor: number, redemptionsRefused: RefusalFigures, commandsRefused: Readonly<Record<string, number>>): Figures {
    return {
      pointsIssued: this.issued,
      pointsIssuedBySource: { ...this.bySource },
      pointsRedeemed: this.redeemed,
      pointsExpired: this.expired,
      outstandingPoints: this.outstanding,
      liabilityMinor: Number(BigInt(this.outstanding) * BigInt(pointValueMinor)),
      revenueMinor: this.revenueMinor,
      costShareOfRevenue: costShare(this.issued, pointValueMinor, this.revenueMinor),
      membersByTier: { ...this.membersByTier },
      membersReachingTier: { ...this.reaching },
      bySegment: { ...this.segments },
      redemptionsRefused,
      commandsRefused,
    };
  }
}

/** issued × pointValueMinor / revenueMinor in exact integers, truncated to COST_SHARE_FRACTION_DIGITS. */
export function costShare(pointsIssued: number, pointValueMinor: number, revenueMinor: number): string | null {
  if (revenueMinor <= 0) return null;
  const scale = 10n ** BigInt(COST_SHARE_FRACTION_DIGITS);
  const cost = BigInt(pointsIssued) * BigInt(pointValueMinor);
  const negative = cost < 0n;
  const scaled = ((negative ? -cost : cost) * scale) / BigInt(revenueMinor);
  const whole = scaled / scale;
  const fraction = (scaled % scale).toString().padStart(COST_SHARE_FRACTION_DIGITS, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}
