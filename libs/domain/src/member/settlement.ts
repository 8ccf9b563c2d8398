import { activationDueAt, expiryDate, expiryDueAt, isDueForExpiry, Lot } from '../lots/lots';
import { bookAfter, LotBook } from '../lots/lot-effects';
import { rejected } from '../values/errors';
import { Instant, isAfter, toMillis } from '../values/time';
import { birthdayBonusAt, birthdayYearOf } from './birthday-year';
import { SettleMember } from './commands';
import { accrual, base } from './decision-helpers';
import { awardsBirthdayBonus } from './due';
import { statusEnds } from '../tiers/tier-changes';
import { MemberEvent } from './events';
import { foldMember, MemberState } from './state';
import { membershipLapses } from '../memberships/decisions';
import { couponExpiries } from '../coupons/decisions';
import { birthdayRewardOf, tierBirthdayReward } from '../coupons/birthday';

interface DueTransition {
  readonly atMs: number;
  readonly order: number;
  readonly event: (command: SettleMember, lot: Lot) => MemberEvent;
}

/**
 * The daily job for one member, up to asOf: activate lots whose return window
 * passed, expire what is left of lots past expiry (each event dated at the
 * lot's own instant, in time order), award the birthday bonus for the year,
 * and end tier statuses that ended (tier policy). Running it twice changes nothing.
 */
export function settle(command: SettleMember, state: MemberState): MemberEvent[] {
  if (isAfter(command.asOf, command.receivedAt)) {
    throw rejected('AS_OF_IN_FUTURE', 'asOf may not be in the future', { asOf: command.asOf });
  }
  const transitions = lotTransitions(command, state);
  const events: MemberEvent[] = [...transitions.events];
  // Activations and expiries move the lot book alone, and the transitions already folded it: no second fold.
  const afterLots: MemberState = { ...state, ...transitions.book, eventCount: state.eventCount + events.length };
  const birthday = birthdayBonus(command, afterLots);
  if (birthday) events.push(birthday);
  events.push(...couponExpiries(command, birthday ? foldMember([birthday], afterLots) : afterLots));
  events.push(...statusEnds(command, afterLots));
  events.push(...membershipLapses(command, afterLots));
  return events;
}

function lotTransitions(command: SettleMember, state: MemberState): { events: MemberEvent[]; book: LotBook } {
  // Every lot is looked at on every run: asOf and each instant are parsed once, not at each comparison.
  const asOfMs = toMillis(command.asOf);
  const dueBy = (dueAt: Instant | null) => dueAt !== null && toMillis(dueAt) <= asOfMs;
  const due: Array<{ lot: Lot } & DueTransition> = [];
  for (const lot of state.lots) {
    if (dueBy(activationDueAt(lot))) due.push({ lot, atMs: toMillis(lot.pendingUntil!), order: 0, event: activation });
    if (dueBy(expiryDueAt(lot))) due.push({ lot, atMs: toMillis(expiryDate(lot)), order: 1, event: expiry });
  }
  due.sort((a, b) => a.atMs - b.atMs || a.order - b.order || a.lot.sequence - b.lot.sequence);
  const events: MemberEvent[] = [];
  // Only the lots move between transitions: the rest of the state is not folded.
  let book: LotBook = state;
  for (const transition of due) {
    const lot = book.lots.find((l) => l.lotId === transition.lot.lotId)!;
    if (transition.order === 1 && !isDueForExpiry(lot, command.asOf)) continue;
    const event = transition.event(command, lot);
    events.push(event);
    book = bookAfter(book, event);
  }
  return { events, book };
}

const activation = (command: SettleMember, lot: Lot): MemberEvent => ({
  type: 'PointsActivated',
  data: { ...base(command, lot.pendingUntil!), lotId: lot.lotId, points: lot.remaining },
});

const expiry = (command: SettleMember, lot: Lot): MemberEvent => ({
  type: 'PointsExpired',
  data: { ...base(command, expiryDate(lot)), lotId: lot.lotId, points: lot.remaining },
});

/** Once per member per calendar year, on or after the birthday (29 February counts on 28 February in other years). */
function birthdayBonus(command: SettleMember, state: MemberState): MemberEvent | undefined {
  const { policy } = command.program;
  if (!awardsBirthdayBonus(policy) || !command.birthDate) return undefined;
  const year = birthdayYearOf(command.asOf);
  if (state.birthdayYears.has(year)) return undefined;
  const at = birthdayBonusAt(year, command.birthDate, state.enrolledAt);
  if (isAfter(at, command.asOf)) return undefined;
  const tierReward = birthdayRewardOf(policy, state.tier);
  if (tierReward) return tierBirthdayReward(command, state, tierReward, year, at);
  if (policy.earning.birthdayBonus <= 0) return undefined;
  return accrual(
    { ...command, occurredAt: at },
    `birthday:${year}`,
    policy.earning.birthdayBonus,
    'birthday',
    `birthday:${year}`,
    ['birthday'],
    state.tier,
  );
}
