import {
  availablePoints,
  commandKey,
  decideMember,
  deterministicEventId,
  DomainError,
  evolveMember,
  initialMemberState,
  MemberCommand,
  MemberEvent,
  MemberState,
  memberStreamId,
  ProgramInForce,
} from '@loyalty/domain';
import { EventToAppend } from '@loyalty/event-store';
import { between } from './random';

const DAY_MS = 86_400_000;

export interface SeedTimeline {
  readonly startMs: number;
  readonly endMs: number;
  /** The program version in force at an instant. */
  readonly programAt: (ms: number) => ProgramInForce;
}

/**
 * One member's life as commands decided by the pure domain, so every event
 * is one the ledger itself could have written: enrolment, purchases (some
 * refunded), redemptions (some reversed), actions, the odd adjustment, and a
 * monthly settlement that activates pending lots and expires old ones.
 */
export function memberHistory(memberId: string, eventsWanted: number, random: () => number, timeline: SeedTimeline): EventToAppend[] {
  const streamId = memberStreamId(memberId);
  const out: EventToAppend[] = [];
  let state: MemberState = initialMemberState();
  let atMs = timeline.startMs + between(random, 0, 90) * DAY_MS;
  // Spread the member's activity over the rest of the timeline.
  // About 1.5 events per command (a purchase writes two, an action one or two): spread them over the rest of the timeline.
  const stepMs = Math.max(60_000, Math.floor((timeline.endMs - atMs) / Math.max(1, eventsWanted / 1.5)));
  let nextSettleMs = atMs + 30 * DAY_MS;
  const purchases: Array<{ id: string; amountMinor: number }> = [];
  const redemptions: string[] = [];
  let n = 0;

  const run = (make: (base: Base) => MemberCommand) => {
    const iso = new Date(atMs).toISOString();
    const base: Base = {
      memberId,
      occurredAt: iso,
      receivedAt: iso,
      requestHash: `seed-${memberId}-${n}`,
      program: timeline.programAt(atMs),
    };
    const command = make(base);
    n += 1;
    let events: MemberEvent[];
    try {
      events = decideMember(command, state);
    } catch (error) {
      if (error instanceof DomainError) return; // a refusal writes nothing, as in the API
      throw error;
    }
    const key = commandKey(command);
    events.forEach((e, i) =>
      out.push({ eventId: deterministicEventId(streamId, key, i), type: e.type, data: e.data as unknown as Record<string, unknown> }),
    );
    state = events.reduce(evolveMember, state);
  };

  // Seeded members carry no personal data; the settlement job is told their birth date, as the vault would.
  const birthDate = `19${between(random, 50, 99)}-0${between(random, 1, 9)}-1${between(random, 0, 9)}`;
  run((b) => ({ ...b, type: 'EnrolMember', memberType: 'individual', personalData: null, referredBy: null }));
  while (out.length < eventsWanted && atMs < timeline.endMs) {
    atMs += between(random, stepMs / 2, (stepMs * 3) / 2);
    // The monthly job runs between a member's own commands, as the scheduler would.
    while (atMs >= nextSettleMs) {
      const asOf = new Date(nextSettleMs).toISOString();
      const saved = atMs;
      atMs = nextSettleMs;
      run((b) => ({ ...b, type: 'SettleMember', asOf, birthDate, requestHash: `settle-${asOf}` }));
      atMs = saved;
      nextSettleMs += 30 * DAY_MS;
    }
    const roll = random();
    const id = `${memberId}-${n}`;
    if (roll < 0.6) {
      const amountMinor = between(random, 500, 25_000);
      const coffee = random() < 0.3 ? [{ sku: 'latte', category: 'coffee', quantity: 1, unitPriceMinor: 450 }] : [];
      purchases.push({ id, amountMinor });
      run((b) => ({ ...b, type: 'RecordPurchase', transactionId: id, amountMinor, currency: 'EUR', items: coffee, storeId: 'store-1' }));
    } else if (roll < 0.8) {
      const available = availablePoints(state);
      if (available < 100) continue;
      redemptions.push(id);
      run((b) => ({
        ...b,
        type: 'RedeemPoints',
        redemptionId: id,
        points: between(random, 100, Math.min(available, 1000)),
        rewardId: null,
      }));
    } else if (roll < 0.87 && purchases.length > 0) {
      const target = purchases[between(random, Math.max(0, purchases.length - 5), purchases.length - 1)]!;
      run((b) => ({
        ...b,
        type: 'RefundPurchase',
        transactionId: target.id,
        refundId: id,
        amountMinor: Math.max(1, Math.floor(target.amountMinor / between(random, 1, 4))),
      }));
    } else if (roll < 0.89 && redemptions.length > 0) {
      run((b) => ({ ...b, type: 'ReverseRedemption', redemptionId: redemptions[redemptions.length - 1]! }));
    } else if (roll < 0.98) {
      run((b) => ({ ...b, type: 'RecordAction', actionId: id, actionType: random() < 0.5 ? 'review' : 'survey' }));
    } else {
      run((b) => ({
        ...b,
        type: 'AdjustPoints',
        adjustmentId: id,
        points: between(random, -50, 200) || 1,
        reason: 'service recovery',
        actor: 'seed',
      }));
    }
  }
  return out;
}

type Base = { memberId: string; occurredAt: string; receivedAt: string; requestHash: string; program: ProgramInForce };
