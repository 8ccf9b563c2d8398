/**
 * A running points balance per member from loyalty.points events: pending and
 * available points together, minus debt from clawbacks. Delivery is at least
 * once, so every event is applied only if its event id is new.
 */
export interface PointsEvent {
  readonly eventId: string;
  readonly type: string;
  readonly data: { readonly memberId?: unknown; readonly points?: unknown };
}

/** How each type moves the balance; a type not listed here moves nothing (counted, so it can be noticed). */
const SIGN_BY_TYPE: Readonly<Record<string, 1 | -1 | 0>> = {
  PointsAccrued: 1,
  RedemptionReversed: 1,
  PointsTransferredIn: 1,
  PointsAdjusted: 1, // signed in the event itself
  PointsRedeemed: -1,
  PointsExpired: -1,
  PointsClawedBack: -1,
  PointsTransferredOut: -1,
  PointsActivated: 0, // pending -> available: same total
  DebtRepaid: 0, // lots pay the debt: same net
};

export class BalanceBook {
  private readonly balances = new Map<string, number>();
  /**
   * In memory for the example; a real service stores seen ids (or the last
   * position per member) in the same transaction as the balance it updates.
   */
  private readonly seenEventIds = new Set<string>();
  duplicates = 0;
  readonly unknownTypes = new Map<string, number>();

  /** True when the event was new and applied. */
  apply(event: PointsEvent): boolean {
    if (this.seenEventIds.has(event.eventId)) {
      this.duplicates++;
      return false;
    }
    this.seenEventIds.add(event.eventId);
    const sign = SIGN_BY_TYPE[event.type];
    if (sign === undefined) {
      this.unknownTypes.set(event.type, (this.unknownTypes.get(event.type) ?? 0) + 1);
      return true;
    }
    const { memberId, points } = event.data;
    if (typeof memberId !== 'string' || typeof points !== 'number' || !Number.isSafeInteger(points)) {
      throw new TypeError(`${event.type} ${event.eventId} lacks memberId/points: the contract was broken`);
    }
    this.balances.set(memberId, (this.balances.get(memberId) ?? 0) + sign * points);
    return true;
  }

  balanceOf(memberId: string): number {
    return this.balances.get(memberId) ?? 0;
  }

  all(): ReadonlyMap<string, number> {
    return this.balances;
  }

  get eventsApplied(): number {
    return this.seenEventIds.size;
  }
}
