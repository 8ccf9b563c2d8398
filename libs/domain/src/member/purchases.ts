import { pointsForPurchase } from '../earning/earning';
import { Lot, activeLotsInConsumptionOrder, takeFrom } from '../lots/lots';
import { ProgramPolicy, programTimeZone, TierPolicy } from '../program/policy';
import { notFound, rejected } from '../values/errors';
import { addDays, toMillis } from '../values/time';
import { RecordPurchase, RefundPurchase } from './commands';
import { accrual, base } from './decision-helpers';
import { MemberEvent } from './events';
import { foldMember, MemberState, membershipsActiveAt, PurchaseRecord } from './state';
import { effectiveTier, effectiveTierAt, tierGrantor, withMembershipBenefits } from '../memberships/benefits';
import { experimentRuleId, runningExperiment, variantOf } from '../experiments/experiments';
import { offerAsRule } from '../offers/offers';
import { earningRuleKey, KeyedRule, ruleAwards, rulePurchaseOf } from '../earning/rules';
import { memberFactsOf } from '../segments/member-facts';
import { upgradeAfterPurchase } from '../tiers/tier-changes';
import { couponsUsed } from '../coupons/use';

export function recordPurchase(command: RecordPurchase, state: MemberState): MemberEvent[] {
  const { policy } = command.program;
  if (command.currency !== policy.currency) {
    throw rejected('CURRENCY_MISMATCH', `the program runs in ${policy.currency}, not ${command.currency}`, {
      expected: policy.currency,
      received: command.currency,
    });
  }
  const memberships = membershipsActiveAt(state, command.occurredAt);
  const tierName = effectiveTier(policy.tiers, state.tier, memberships);
  const tier = policy.tiers.find((t) => t.name === tierName);
  const tierGrantedBy = tierGrantor(policy.tiers, state.tier, memberships);
  const earned = withMembershipBenefits(earnedWithExperiment(command, tier), memberships, tierGrantedBy);
  const events: MemberEvent[] = [
    {
      type: 'PurchaseRecorded',
      data: {
        ...base(command),
        transactionId: command.transactionId,
        amountMinor: command.amountMinor,
        currency: command.currency,
        items: command.items,
        storeId: command.storeId,
        ...(command.channelId !== undefined && { channelId: command.channelId }),
        requestHash: command.requestHash,
      },
    },
    ...couponsUsed(command, state),
  ];
  if (earned.points > 0) {
    events.push(
      accrual(command, `purchase:${command.transactionId}`, earned.points, 'purchase', command.transactionId, earned.ruleIds, state.tier),
    );
  }
  events.push(...ruleAccruals(command, state, earned.points));
  events.push(...referralOnFirstPurchase(command, state));
  const upgrade = upgradeAfterPurchase(command, foldMember(events, state));
  if (upgrade) events.push(upgrade);
  return events;
}

/** A running experiment replaces the earning rate by the member's variant's, and the accrual records the variant. */
function earnedWithExperiment(command: RecordPurchase, tier: TierPolicy | undefined) {
  const { earning, experiments } = command.program.policy;
  const experiment = runningExperiment(experiments, command.occurredAt);
  if (!experiment) return pointsForPurchase(earning, command.amountMinor, command.items, tier);
  const variant = variantOf(experiment, command.memberId);
  const earned = pointsForPurchase({ ...earning, pointsPerUnit: variant.pointsPerUnit }, command.amountMinor, command.items, tier);
  return { points: earned.points, ruleIds: [...earned.ruleIds, experimentRuleId(experiment.experimentId, variant.name)] };
}

/**
 * One accrual per rule earned (offers first, then earning rules, each in
 * configuration order), judged on the member's history before this purchase.
 * Rule points wait out the same return window as the purchase's.
 */
function ruleAccruals(command: RecordPurchase, state: MemberState, basePoints: number): MemberEvent[] {
  const { policy } = command.program;
  const rules = rulesOf(policy);
  // The facts walk every purchase the member made: only worth it when a rule will read them.
  if (rules.length === 0) return [];
  const facts = memberFactsOf(state);
  if (!facts) return [];
  const purchase = rulePurchaseOf(command, basePoints);
  const tier = effectiveTierAt(policy.tiers, state, command.occurredAt);
  const member = { facts, tier, awardedSince: (key: string, sinceMs: number) => awardedSince(state, key, sinceMs) };
  const awards = ruleAwards(rules, purchase, member, programTimeZone(policy), command.budgetGrants);
  return awards.map((award) => {
    const event = accrual(
      command,
      ruleLotId(award.key, command.transactionId),
      award.points,
      'offer',
      command.transactionId,
      [award.key],
      state.tier,
    );
    return {
      ...event,
      data: { ...event.data, pendingUntil: policy.pendingDays > 0 ? addDays(command.occurredAt, policy.pendingDays) : null },
    };
  });
}

/** Every earning rule of a program, the offers among them: what the budget step reads too. */
export const rulesOf = (policy: ProgramPolicy): KeyedRule[] => [
  ...(policy.offers ?? []).map(offerAsRule),
  ...(policy.earning.rules ?? []).map((rule) => ({ key: earningRuleKey(rule.ruleId), rule })),
];

const ruleLotId = (key: string, transactionId: string) => `${key}:${transactionId}`;

/** Points a rule awarded the member on purchases after `sinceMs`, as first accrued (refunds do not give cap room back). */
function awardedSince(state: MemberState, key: string, sinceMs: number): number {
  let points = 0;
  for (const p of state.purchases.values()) {
    if (toMillis(p.occurredAt) <= sinceMs) continue;
    const lotId = ruleLotId(key, p.transactionId);
    if (p.lotIds.includes(lotId)) points += state.lots.find((l) => l.lotId === lotId)?.points ?? 0;
  }
  return points;
}

/** The referee's bonus comes with the first purchase; the referrer's follows on the referrer's stream. */
function referralOnFirstPurchase(command: RecordPurchase, state: MemberState): MemberEvent[] {
  if (!state.referredBy || state.referralQualified || state.purchases.size > 0) return [];
  const events: MemberEvent[] = [
    { type: 'ReferralQualified', data: { ...base(command), referrerId: state.referredBy, transactionId: command.transactionId } },
  ];
  const refereeBonus = command.program.policy.earning.referralBonus.referee;
  if (refereeBonus > 0) {
    events.push(
      accrual(
        command,
        `referral:referee:${command.memberId}`,
        refereeBonus,
        'referral',
        state.referredBy,
        ['referral:referee'],
        state.tier,
      ),
    );
  }
  return events;
}

/**
 * Claws back points in proportion to the refunded amount, rounded down on the
 * running total so several partial refunds never claw back more than a full
 * one: clawed(total refunded) = floor(accrued * refunded / amount).
 * Pending points go first (the purchase's own lot, then other pending lots),
 * then available ones by expiry; what the member already spent becomes debt.
 */
export function refundPurchase(command: RefundPurchase, state: MemberState): MemberEvent[] {
  const purchase = state.purchases.get(command.transactionId);
  if (!purchase) throw notFound('TRANSACTION_NOT_FOUND', `no purchase ${command.transactionId}`, { transactionId: command.transactionId });
  const refundableMinor = purchase.amountMinor - purchase.refundedMinor;
  if (command.amountMinor > refundableMinor) {
    throw rejected('REFUND_EXCEEDS_PURCHASE', `only ${refundableMinor} of the purchase remains refundable`, {
      requestedMinor: command.amountMinor,
      refundableMinor,
    });
  }
  const points = clawbackFor(purchase, command.amountMinor);
  const refunded: MemberEvent = {
    type: 'PurchaseRefunded',
    data: {
      ...base(command),
      transactionId: command.transactionId,
      refundId: command.refundId,
      amountMinor: command.amountMinor,
      requestHash: command.requestHash,
    },
  };
  if (points === 0) return [refunded];
  const { taken, owed } = takeFrom(clawbackOrder(state.lots, purchase.lotIds), points);
  return [
    refunded,
    {
      type: 'PointsClawedBack',
      data: { ...base(command), transactionId: command.transactionId, refundId: command.refundId, points, lots: taken, debtIncurred: owed },
    },
  ];
}

function clawbackFor(purchase: PurchaseRecord, refundMinor: number): number {
  if (purchase.amountMinor === 0) return 0;
  const refundedAfter = BigInt(purchase.refundedMinor + refundMinor);
  const clawedAfter = Number((BigInt(purchase.pointsAccrued) * refundedAfter) / BigInt(purchase.amountMinor));
  return clawedAfter - purchase.pointsClawedBack;
}

function clawbackOrder(lots: readonly Lot[], ownLotIds: readonly string[]): Lot[] {
  const isOwn = (l: Lot) => ownLotIds.includes(l.lotId);
  const own = lots.filter((l) => isOwn(l) && l.status !== 'expired');
  const pending = lots.filter((l) => l.status === 'pending' && !isOwn(l));
  const active = activeLotsInConsumptionOrder(lots).filter((l) => !isOwn(l));
  return [...own, ...pending, ...active];
}
