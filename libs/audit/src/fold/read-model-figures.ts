import {
  CouponEvent,
  CouponStatus,
  decodeMemberEvent,
  isCouponEvent,
  decodeProgramEvent,
  ExperimentPolicy,
  isExperimentRunning,
  MemberEvent,
  offerRuleId,
  ProgramConfigured,
  variantOf,
} from '@loyalty/domain';
import type { AuditEvent } from './log-pages';
import { utcDay } from '@loyalty/read-models';
import { addMovement, Movements, noMovements } from './movements';

/** Money and points of a stretch of events (a day, an experiment variant): the movements plus purchases and refunds. */
export interface MoneyAndPoints {
  readonly movements: Movements;
  revenueMinor: number;
  refundsMinor: number;
}

/** Coupons per UTC day: issued on it, used on it, and the milliseconds from issue to use of those used on it. */
export interface CouponDay {
  issued: number;
  used: number;
  msToUse: number;
}

/** A coupon as its events leave it, the last one deciding (as the read models follow them, with no time bound). */
export interface LoggedCoupon {
  readonly memberId: string;
  readonly issuedAtMs: number;
  /** The face value the event carries (amountOff), else 0: what read_models.coupons holds as value_minor. */
  readonly valueMinor: number;
  status: CouponStatus;
}

export interface LoggedPurchase {
  readonly amountMinor: number;
  refundedMinor: number;
}

/**
 * What the log says every money- or points-carrying read model should hold,
 * beyond the member positions of the audit fold: per UTC day, per member,
 * per purchase, per experiment variant, per offer, per program version.
 * Memory follows days, members, purchases and experiment participants; no
 * event is kept.
 */
export interface ReadModelFigures {
  readonly days: Map<string, MoneyAndPoints>;
  /** Points of the lots each member was given (accruals, positive adjustments, transfers in), spent or not. */
  readonly lotPointsByMember: Map<string, number>;
  readonly revenueMinorByMember: Map<string, number>;
  /** Keyed `memberId/transactionId` (client ids never contain a slash). */
  readonly purchases: Map<string, LoggedPurchase>;
  /** Keyed `experimentId/variant`. */
  readonly variants: Map<string, MoneyAndPoints>;
  /** Points awarded per offer: its budget spend. */
  readonly offerPoints: Map<string, number>;
  /** Point value per ProgramConfigured position. */
  readonly pointValues: Map<string, number>;
  /** Every experiment configured so far (the latest definition), and the variant each member joined with. */
  readonly experiments: Map<string, ExperimentPolicy>;
  readonly joined: Map<string, string>;
  /** Offer rule ids (the domain's `offerRuleId`) of every offer configured so far. */
  readonly offerByRuleId: Map<string, string>;
  /** Keyed `memberId/code`. */
  readonly coupons: Map<string, LoggedCoupon>;
  readonly couponDays: Map<string, CouponDay>;
}

export const startReadModelFigures = (): ReadModelFigures => ({
  days: new Map(),
  lotPointsByMember: new Map(),
  revenueMinorByMember: new Map(),
  purchases: new Map(),
  variants: new Map(),
  offerPoints: new Map(),
  pointValues: new Map(),
  experiments: new Map(),
  joined: new Map(),
  offerByRuleId: new Map(),
  coupons: new Map(),
  couponDays: new Map(),
});

export const purchaseKey = (memberId: string, transactionId: string) => `${memberId}/${transactionId}`;
export const variantKey = (experimentId: string, variant: string) => `${experimentId}/${variant}`;

/**
 * The reducer, in global order and with no time bound: the read models are
 * projected by position. Figures come from the event payloads; which UTC day
 * an event counts on is the KPI read model's own definition, imported.
 */
export function foldReadModelFigures(figures: ReadModelFigures, recorded: AuditEvent): void {
  const program = decodeProgramEvent(recorded);
  if (program?.type === 'ProgramConfigured') configure(figures, recorded.position, program);
  const event = decodeMemberEvent(recorded);
  if (!event) return;
  addMoneyAndPoints(entry(figures.days, utcDay(event.data.occurredAt), newMoneyAndPoints), event);
  for (const experiment of figures.experiments.values()) {
    if (isExperimentRunning(experiment, event.data.occurredAt)) addMoneyAndPoints(variantOfMember(figures, experiment, event), event);
  }
  if (isCouponEvent(event)) return void foldCoupon(figures, event);
  const memberId = event.data.memberId;
  switch (event.type) {
    case 'PurchaseRecorded':
      add(figures.revenueMinorByMember, memberId, event.data.amountMinor);
      // A purchase is one per member and transaction id: a repeated record of it is the same purchase.
      entry(figures.purchases, purchaseKey(memberId, event.data.transactionId), () => ({
        amountMinor: event.data.amountMinor,
        refundedMinor: 0,
      }));
      return;
    case 'PurchaseRefunded': {
      const purchase = figures.purchases.get(purchaseKey(memberId, event.data.transactionId));
      if (purchase) purchase.refundedMinor += event.data.amountMinor;
      return;
    }
    case 'PointsAccrued':
      add(figures.lotPointsByMember, memberId, event.data.points);
      if (event.data.source === 'offer') awardOffers(figures, event.data.ruleIds, event.data.points);
      return;
    case 'PointsAdjusted':
      if (event.data.lotId !== null) add(figures.lotPointsByMember, memberId, event.data.points);
      return;
    case 'PointsTransferredIn':
      for (const lot of event.data.lots) add(figures.lotPointsByMember, memberId, lot.points);
      return;
    default:
      return;
  }
}

const STATUS_AFTER: Record<Exclude<CouponEvent['type'], 'CouponIssued'>, CouponStatus> = {
  CouponUsed: 'used',
  CouponExpired: 'expired',
  CouponCancelled: 'cancelled',
};

function foldCoupon(figures: ReadModelFigures, event: CouponEvent): void {
  const d = event.data;
  const key = `${d.memberId}/${d.code}`;
  const occurredAtMs = Date.parse(d.occurredAt);
  const day = entry(figures.couponDays, utcDay(d.occurredAt), () => ({ issued: 0, used: 0, msToUse: 0 }));
  if (event.type === 'CouponIssued') {
    figures.coupons.set(key, { memberId: d.memberId, issuedAtMs: occurredAtMs, valueMinor: event.data.valueMinor ?? 0, status: 'active' });
    day.issued += 1;
    return;
  }
  const coupon = figures.coupons.get(key);
  if (!coupon) return;
  coupon.status = STATUS_AFTER[event.type];
  if (event.type === 'CouponUsed') {
    day.used += 1;
    day.msToUse += occurredAtMs - coupon.issuedAtMs;
  }
}

const newMoneyAndPoints = (): MoneyAndPoints => ({ movements: noMovements(), revenueMinor: 0, refundsMinor: 0 });

function addMoneyAndPoints(into: MoneyAndPoints, event: MemberEvent): void {
  addMovement(into.movements, event);
  if (event.type === 'PurchaseRecorded') into.revenueMinor += event.data.amountMinor;
  else if (event.type === 'PurchaseRefunded') into.refundsMinor += event.data.amountMinor;
}

function configure(figures: ReadModelFigures, position: bigint, { data: { policy } }: ProgramConfigured): void {
  figures.pointValues.set(position.toString(), policy.pointValueMinor);
  for (const experiment of policy.experiments ?? []) figures.experiments.set(experiment.experimentId, experiment);
  for (const offer of policy.offers ?? []) figures.offerByRuleId.set(offerRuleId(offer.offerId), offer.offerId);
}

/** A member is in the variant the domain's hash gave it when it joined, with its first event inside the window. */
function variantOfMember(figures: ReadModelFigures, experiment: ExperimentPolicy, event: MemberEvent): MoneyAndPoints {
  const participant = `${experiment.experimentId}/${event.data.memberId}`;
  let variant = figures.joined.get(participant);
  if (variant === undefined) {
    variant = variantOf(experiment, event.data.memberId).name;
    figures.joined.set(participant, variant);
  }
  return entry(figures.variants, variantKey(experiment.experimentId, variant), newMoneyAndPoints);
}

function awardOffers(figures: ReadModelFigures, ruleIds: readonly string[], points: number): void {
  for (const ruleId of ruleIds) {
    const offerId = figures.offerByRuleId.get(ruleId);
    if (offerId !== undefined) add(figures.offerPoints, offerId, points);
  }
}

function entry<V>(map: Map<string, V>, key: string, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

const add = (map: Map<string, number>, key: string, amount: number) => map.set(key, (map.get(key) ?? 0) + amount);
