import { ACCRUAL_SOURCES, AccrualSource, decodeMemberEvent, isCouponEvent, isStreamOf } from '@loyalty/domain';
import type { AuditEvent } from './log-pages';
import { ProgramVersion } from '../valuation/program-versions';
import { applyCouponEvent, CouponFold, startCouponFold } from './coupons';
import { applyMemberEvent, availableOf, LotObserver, MemberPosition, newMemberPosition } from './member-position';
import { netOf } from './movements';

/**
 * Which events count, by EVENT time (`data.occurredAt`), never by position:
 * an offline replay appended late with an early occurredAt belongs where its
 * occurredAt puts it. Events dated after `asOfMs` are read and skipped.
 * `fromMs` splits the counted events into opening (at or before `from`) and
 * period (after `from`): periods are half-open (from, to].
 * `untilPosition` bounds the read, so a figure can be reproduced while the
 * log keeps growing, and reconciliation can stop at the projector checkpoint.
 */
export interface AuditWindow {
  readonly asOfMs: number;
  readonly fromMs: number;
  readonly untilPosition: bigint | null;
}

export const asOfWindow = (asOfMs: number, untilPosition: bigint | null = null): AuditWindow => ({
  asOfMs,
  fromMs: Number.NEGATIVE_INFINITY,
  untilPosition,
});

/** Everything the fold keeps: one position per member and a handful of program-wide counters; never an event. */
export interface AuditFold {
  readonly window: AuditWindow;
  readonly members: Map<string, MemberPosition>;
  readonly programVersions: ProgramVersion[];
  /** Points issued in the period by accrual source (adjustments are not issuance). */
  readonly issuedBySource: Record<AccrualSource, number>;
  /** Coupons program-wide: the open ones and the counts of those that ended, on either side of the period start. */
  readonly coupons: CouponFold;
  /** Lots issued whose expiry is at or before asOf ("matured"), and the points that expired: the breakage sample. */
  maturedIssued: number;
  maturedExpired: number;
  eventsRead: number;
  eventsCounted: number;
  lastPosition: bigint | null;
  readonly observers: { readonly opening: LotObserver; readonly period: LotObserver };
}

export function startFold(window: AuditWindow): AuditFold {
  const issuedBySource = Object.fromEntries(ACCRUAL_SOURCES.map((s) => [s, 0])) as Record<AccrualSource, number>;
  const fold = {
    window,
    members: new Map<string, MemberPosition>(),
    programVersions: [] as ProgramVersion[],
    issuedBySource,
    coupons: startCouponFold(),
    maturedIssued: 0,
    maturedExpired: 0,
    eventsRead: 0,
    eventsCounted: 0,
    lastPosition: null as bigint | null,
  };
  return Object.assign(fold, { observers: observersOf(fold) });
}

/**
 * The reducer: one recorded event into the fold, in global order. It mutates
 * the fold it is given (a copy per event would cost more than the fold
 * itself at a million events) but reads no clock and does no IO, so the same
 * log always gives the same fold. Per-member order is the stream order, which
 * global order preserves; that is what lets a settlement event dated at a
 * lot's expiresAt, earlier than the command that wrote it, land correctly.
 */
export function foldEvent(fold: AuditFold, recorded: AuditEvent): void {
  fold.eventsRead += 1;
  fold.lastPosition = recorded.position;
  const occurredAtMs = Date.parse(String(recorded.data.occurredAt));
  if (Number.isNaN(occurredAtMs)) throw new RangeError(`event at ${recorded.position} of ${recorded.streamId} has no valid occurredAt`);

  if (isStreamOf('program', recorded.streamId)) {
    // Program versions are kept whatever their date: the valuation picks the one in force at the instant it needs.
    if (recorded.type === 'ProgramConfigured') fold.programVersions.push(programVersionOf(recorded, occurredAtMs));
    return;
  }
  if (occurredAtMs > fold.window.asOfMs) return;
  const event = decodeMemberEvent(recorded);
  if (!event) return;
  fold.eventsCounted += 1;
  const memberId = event.data.memberId;
  let position = fold.members.get(memberId);
  if (!position) {
    position = newMemberPosition(memberId);
    fold.members.set(memberId, position);
  }
  if (isCouponEvent(event)) applyCouponEvent(fold.coupons, event, occurredAtMs, fold.window.fromMs, fold.programVersions);
  const inPeriod = occurredAtMs > fold.window.fromMs;
  applyMemberEvent(
    position,
    event,
    inPeriod ? position.period : position.opening,
    inPeriod ? fold.observers.period : fold.observers.opening,
  );
}

/** Made once per fold, so the hot loop allocates nothing for the lot callbacks. */
function observersOf(fold: Omit<AuditFold, 'observers'>): AuditFold['observers'] {
  const make = (inPeriod: boolean): LotObserver => ({
    issued(points, expiresAtMs, source) {
      if (inPeriod && source in fold.issuedBySource) fold.issuedBySource[source as AccrualSource] += points;
      if (expiresAtMs <= fold.window.asOfMs) fold.maturedIssued += points;
    },
    expired(points) {
      // Expiry events are dated at the lot's expiresAt, so every counted one belongs to a matured lot.
      fold.maturedExpired += points;
    },
  });
  return { opening: make(false), period: make(true) };
}

function programVersionOf(recorded: AuditEvent, occurredAtMs: number): ProgramVersion {
  const data = recorded.data as {
    version?: unknown;
    policy?: { pointValueMinor?: unknown; currency?: string; rewards?: ReadonlyArray<{ rewardId: string; points: number }> };
  };
  return {
    version: Number(data.version),
    occurredAtMs,
    occurredAt: new Date(occurredAtMs).toISOString(),
    pointValueMinor: Number(data.policy?.pointValueMinor ?? 0),
    currency: String(data.policy?.currency ?? ''),
    rewardPoints: new Map((data.policy?.rewards ?? []).map((r) => [r.rewardId, Number(r.points)])),
  };
}

export class AuditInvariantViolation extends Error {
  constructor(message: string) {
    super(`audit invariant violated: ${message}`);
    this.name = 'AuditInvariantViolation';
  }
}

/**
 * Invariant 2 (docs/invariants.md), asserted after the fold for every member: what the
 * movements leave equals what the lots hold. It holds for any subset of a
 * member's events, so it holds for every as-of cut; a failure means the fold
 * (or the log) is wrong, and no figure is reported from it.
 */
export function assertFoldBalances(fold: AuditFold): void {
  for (const p of fold.members.values()) {
    const net = netOf(p.opening) + netOf(p.period);
    const held = availableOf(p) + p.pending;
    if (net !== held) throw new AuditInvariantViolation(`member ${p.memberId}: movements net ${net} but available + pending is ${held}`);
    if (p.debt < 0) throw new AuditInvariantViolation(`member ${p.memberId}: negative debt ${p.debt}`);
  }
}

/** Members in a stable order, so every report is byte-identical for the same log. */
export const sortedMembers = (fold: AuditFold): MemberPosition[] =>
  [...fold.members.values()].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
