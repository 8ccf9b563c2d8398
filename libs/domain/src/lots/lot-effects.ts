import { activitiesOf, deadlineAfterActivity, InactivityRule } from '../expiry/expiry';
import { AccrualSource, MemberEvent } from '../member/events';
import { Instant, toMillis } from '../values/time';
import { Lot, LotConsumption, LotStatus } from './lots';

/** Signed totals by movement; the balance identity is checked against them. */
export interface Movements {
  readonly issued: number;
  readonly redeemed: number;
  readonly expired: number;
  readonly clawedBack: number;
  readonly adjusted: number;
  readonly transferredIn: number;
  readonly transferredOut: number;
}
export type MovementName = keyof Movements;

export const NO_MOVEMENTS: Movements = {
  issued: 0,
  redeemed: 0,
  expired: 0,
  clawedBack: 0,
  adjusted: 0,
  transferredIn: 0,
  transferredOut: 0,
};

/** Where a lot's points came from: an accrual's source, an admin's positive adjustment, or a transfer received. */
export type LotSource = AccrualSource | 'adjustment' | 'transfer';

/** A lot as an event issues it: full, with the status it starts in. */
export interface OpenedLot {
  readonly lotId: string;
  readonly points: number;
  readonly status: LotStatus;
  readonly pendingUntil: Instant | null;
  readonly expiresAt: Instant | null;
  readonly addedAt: Instant;
  readonly source: LotSource;
  readonly inactivity?: InactivityRule;
}

/** What an event does to one lot the member already holds. */
export type LotChange =
  | { readonly kind: 'remaining'; readonly lotId: string; readonly delta: number }
  | { readonly kind: 'status'; readonly lotId: string; readonly status: LotStatus }
  /** Points given back (a reversed redemption), dated: an expired lot that gets them is active until the next expiry run. */
  | { readonly kind: 'restore'; readonly lotId: string; readonly points: number; readonly at: Instant };

/**
 * What one member event does to the member's lots, debt and movement
 * counters, in the order it does it. Every holder of lots (the member's
 * state, the balance read model) applies these and nothing else.
 */
export type LotEffect =
  | { readonly kind: 'open'; readonly lot: OpenedLot }
  | LotChange
  | { readonly kind: 'debt'; readonly delta: number }
  | { readonly kind: 'movement'; readonly movement: MovementName; readonly delta: number };

export const isLotChange = (effect: LotEffect): effect is LotChange =>
  effect.kind === 'remaining' || effect.kind === 'status' || effect.kind === 'restore';

/** The part of a lot the changes read and write, whatever else its holder keeps with it. */
export interface LotPosition {
  readonly remaining: number;
  readonly status: LotStatus;
}

const NO_EFFECTS: readonly LotEffect[] = [];

export function lotEffects(event: MemberEvent): readonly LotEffect[] {
  switch (event.type) {
    case 'PointsAccrued': {
      const d = event.data;
      const status = d.pendingUntil === null ? 'active' : 'pending';
      return [
        {
          kind: 'open',
          lot: {
            lotId: d.lotId,
            points: d.points,
            status,
            pendingUntil: d.pendingUntil,
            expiresAt: d.expiresAt,
            addedAt: d.occurredAt,
            source: d.source,
            ...(d.inactivity && { inactivity: d.inactivity }),
          },
        },
        movement('issued', d.points),
      ];
    }
    case 'PointsActivated':
      return [{ kind: 'status', lotId: event.data.lotId, status: 'active' }];
    case 'PointsExpired': {
      const d = event.data;
      return [
        { kind: 'remaining', lotId: d.lotId, delta: -d.points },
        { kind: 'status', lotId: d.lotId, status: 'expired' },
        movement('expired', d.points),
      ];
    }
    case 'PointsRedeemed':
      return [...taken(event.data.lots), movement('redeemed', event.data.points)];
    case 'RedemptionReversed': {
      const d = event.data;
      const restored = d.lots.map((l): LotEffect => ({ kind: 'restore', lotId: l.lotId, points: l.points, at: d.occurredAt }));
      return [...restored, movement('redeemed', -d.points)];
    }
    case 'PointsClawedBack': {
      const d = event.data;
      return [...taken(d.lots), { kind: 'debt', delta: d.debtIncurred }, movement('clawedBack', d.points)];
    }
    case 'DebtRepaid':
      // Lots pay the debt off: available (lots minus debt) and every movement stay as they were.
      return [...taken(event.data.lots), { kind: 'debt', delta: -event.data.points }];
    case 'PointsAdjusted': {
      const d = event.data;
      const lots =
        d.lotId === null ? taken(d.lots) : [openActive(d.lotId, d.points, d.expiresAt, d.occurredAt, 'adjustment', d.inactivity)];
      return [...lots, movement('adjusted', d.points)];
    }
    case 'PointsTransferredOut':
      return [...taken(event.data.lots), movement('transferredOut', event.data.points)];
    case 'PointsTransferredIn': {
      const d = event.data;
      const lots = d.lots.map((l) => openActive(l.lotId, l.points, l.expiresAt, d.occurredAt, 'transfer'));
      return [...lots, movement('transferredIn', d.points)];
    }
    case 'MemberEnrolled':
    case 'PurchaseRecorded':
    case 'PurchaseRefunded':
    case 'ReferralQualified':
    case 'ActionRecorded':
    case 'MemberErased':
    case 'TierChanged':
    case 'MembershipStarted':
    case 'MembershipPaymentRecorded':
    case 'MembershipCancelled':
    case 'MembershipLapsed':
    case 'CouponIssued':
    case 'CouponUsed':
    case 'CouponExpired':
    case 'CouponCancelled':
      return NO_EFFECTS;
  }
}

/** One lot after one change: the only place remaining and status move. */
export function lotAfter(lot: LotPosition, change: LotChange): LotPosition {
  switch (change.kind) {
    case 'remaining':
      return { remaining: lot.remaining + change.delta, status: lot.status };
    case 'status':
      return { remaining: lot.remaining, status: change.status };
    case 'restore': {
      const remaining = lot.remaining + change.points;
      return { remaining, status: lot.status === 'expired' && remaining > 0 ? 'active' : lot.status };
    }
  }
}

/** A member's lots with what they owe and what has moved through them. */
export interface LotBook {
  readonly lots: readonly Lot[];
  readonly debt: number;
  readonly movements: Movements;
}

/**
 * The book after an event's effects. Changes to lots the book does not hold
 * change nothing; opened lots are numbered in issuance order.
 */
export function applyLotEffects(book: LotBook, effects: readonly LotEffect[]): LotBook {
  if (effects.length === 0) return book;
  let { debt, movements } = book;
  const opened: Lot[] = [];
  let changes: Map<string, LotChange[]> | undefined;
  for (const effect of effects) {
    switch (effect.kind) {
      case 'open':
        opened.push(lotOf(effect.lot, book.lots.length + opened.length));
        break;
      case 'debt':
        debt += effect.delta;
        break;
      case 'movement':
        movements = { ...movements, [effect.movement]: movements[effect.movement] + effect.delta };
        break;
      default:
        changes ??= new Map();
        changes.set(effect.lotId, [...(changes.get(effect.lotId) ?? []), effect]);
    }
  }
  const changed = changes === undefined ? book.lots : changedLots(book.lots, changes);
  return { lots: opened.length === 0 ? changed : [...changed, ...opened], debt, movements };
}

function changedLots(lots: readonly Lot[], changes: ReadonlyMap<string, readonly LotChange[]>): Lot[] {
  return lots.map((lot) => {
    const own = changes.get(lot.lotId);
    if (own === undefined) return lot;
    return own.reduce<Lot>(
      (l, change) => ({ ...l, ...lotAfter(l, change), addedAt: change.kind === 'restore' ? change.at : l.addedAt }),
      lot,
    );
  });
}

function lotOf(opened: OpenedLot, sequence: number): Lot {
  const { lotId, points, status, pendingUntil, expiresAt, addedAt, inactivity } = opened;
  const expiresAtMs = millisOf(expiresAt);
  return {
    lotId,
    points,
    remaining: points,
    status,
    pendingUntil,
    expiresAt,
    expiresAtMs,
    sequence,
    addedAt,
    ...(inactivity && { inactivity }),
  };
}

const millisOf = (instant: Instant | null) => (instant === null ? null : toMillis(instant));

/**
 * A member's lots after an event that counts as activity (its own effects
 * applied): the deadline of every lot with points left that was earned
 * under an inactivity rule counting it moves on. Not a lot effect, because
 * it reaches lots the event does not name. An emptied lot keeps its
 * deadline, so a holder need only keep lots with points left.
 */
export function lotsAfterActivity(lots: readonly Lot[], event: MemberEvent): readonly Lot[] {
  const activities = activitiesOf(event);
  if (activities.length === 0) return lots;
  // Copied only once a lot moves: most programs have no inactivity rule, and this runs for every purchase.
  let after: Lot[] | undefined;
  lots.forEach((lot, i) => {
    if (lot.inactivity === undefined || lot.remaining <= 0) return;
    const expiresAt = activities.reduce((at, a) => deadlineAfterActivity(at, lot.inactivity, a, event.data.occurredAt), lot.expiresAt);
    if (expiresAt === lot.expiresAt) return;
    after ??= [...lots];
    after[i] = { ...lot, expiresAt, expiresAtMs: millisOf(expiresAt) };
  });
  return after ?? lots;
}

/**
 * The book after one member event: its effects, then the activity it counts
 * as. The member's state moves its lots this way alone, so a check that needs
 * only lots, debt and movements can fold this and leave the rest of the state.
 */
export function bookAfter(book: LotBook, event: MemberEvent): LotBook {
  const applied = applyLotEffects(book, lotEffects(event));
  const lots = lotsAfterActivity(applied.lots, event);
  return { lots, debt: applied.debt, movements: applied.movements };
}

const movement = (name: MovementName, delta: number): LotEffect => ({ kind: 'movement', movement: name, delta });

const taken = (lots: readonly LotConsumption[]): LotEffect[] => lots.map((l) => ({ kind: 'remaining', lotId: l.lotId, delta: -l.points }));

const openActive = (
  lotId: string,
  points: number,
  expiresAt: Instant | null,
  addedAt: Instant,
  source: LotSource,
  inactivity?: InactivityRule,
): LotEffect => ({
  kind: 'open',
  lot: { lotId, points, status: 'active', pendingUntil: null, expiresAt, addedAt, source, ...(inactivity && { inactivity }) },
});
