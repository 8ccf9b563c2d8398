import { commandKey, MemberCommand, RecordPurchase, RefundPurchase } from '../member/commands';
import { base } from '../member/decision-helpers';
import type { MemberEvent } from '../member/events';
import type { MemberState } from '../member/state';
import { effectiveTierAt } from '../memberships/benefits';
import { programTimeZone } from '../program/policy';
import { memberFactsOf } from '../segments/member-facts';
import { ruleApplies, rulePurchaseOf } from '../earning/rules';
import type { ProgramPolicy } from '../program/policy';
import { invalid } from '../values/errors';
import { couponIssued, isCouponReward } from './coupons';
import type { CouponCancelled, CouponIssued } from './events';

/** A tier's upgrade reward: a coupon of a catalogue reward for every member who reaches the tier. */
export interface TierUpgradeReward {
  readonly rewardId: string;
}

/** The first of the command's fresh codes that no coupon of the decision took yet. */
export function freshCouponCode(command: MemberCommand, decided: readonly MemberEvent[]): string {
  const taken = new Set(decided.flatMap((e) => (e.type === 'CouponIssued' ? [e.data.code] : [])));
  const code = command.freshCouponCodes?.find((c) => !taken.has(c));
  if (code === undefined) throw invalid('COUPON_CODE_MISSING', 'a coupon the program issues needs a fresh coupon code');
  return code;
}

/**
 * "A discount on the next purchase once a spending level is reached": every
 * upgrade the decision makes (after a purchase, an admin's change, a review)
 * into a tier with an upgradeReward issues a coupon of it, dated at the change.
 * Every upgrade into the tier counts, a return after a downgrade too; a downgrade never does.
 */
export function tierUpgradeCoupons(command: MemberCommand, decided: readonly MemberEvent[]): CouponIssued[] {
  const { policy } = command.program;
  const coupons: CouponIssued[] = [];
  for (const event of decided) {
    if (event.type !== 'TierChanged' || !isUpgrade(policy, event.data.from, event.data.to)) continue;
    const reward = upgradeRewardOf(policy, event.data.to);
    if (!reward) continue;
    const reference = `${commandReference(command)}:${event.data.to}`;
    coupons.push(
      couponIssued(command, reward, {
        couponId: `tier:${reference}`,
        code: freshCouponCode(command, [...decided, ...coupons]),
        origin: 'tier',
        reference,
        reason: null,
        issuedAt: event.data.occurredAt,
      }),
    );
  }
  return coupons;
}

const tierIndex = (policy: ProgramPolicy, name: string | null) => policy.tiers.findIndex((t) => t.name === name);

const isUpgrade = (policy: ProgramPolicy, from: string | null, to: string) => tierIndex(policy, to) > tierIndex(policy, from);

function upgradeRewardOf(policy: ProgramPolicy, tier: string) {
  const rewardId = policy.tiers.find((t) => t.name === tier)?.upgradeReward?.rewardId;
  return rewardId === undefined ? undefined : policy.rewards.find((r) => r.rewardId === rewardId);
}

/** What caused the change, in the command's own terms: its client id, or a settlement's asOf. */
const commandReference = (command: MemberCommand): string =>
  command.type === 'SettleMember' ? `settlement:${command.asOf}` : commandKey(command);

export function upgradeRewardProblems(policy: ProgramPolicy): string[] {
  return policy.tiers.flatMap((tier) => {
    const rewardId = tier.upgradeReward?.rewardId;
    if (rewardId === undefined) return [];
    const reward = policy.rewards.find((r) => r.rewardId === rewardId);
    return reward && isCouponReward(reward) ? [] : [`tier ${tier.name}: upgradeReward.rewardId must name a coupon reward of the catalogue`];
  });
}

/**
 * Earning rules whose effect is a coupon: one coupon of the rule's reward for
 * each purchase the rule applies to, judged like the rule's points (on the
 * member before this purchase), dated at the purchase. Its reference is the
 * purchase's transactionId.
 */
export function offerCoupons(command: RecordPurchase, state: MemberState, decided: readonly MemberEvent[]): CouponIssued[] {
  const { policy } = command.program;
  const rules = (policy.earning.rules ?? []).filter((r) => r.effect.coupon !== undefined);
  // The facts walk every purchase the member made: only worth it when a rule will read them.
  if (rules.length === 0) return [];
  const facts = memberFactsOf(state);
  if (!facts) return [];
  const purchase = rulePurchaseOf(command, 0);
  const member = { facts, tier: effectiveTierAt(policy.tiers, state, command.occurredAt), awardedSince: () => 0 };
  const coupons: CouponIssued[] = [];
  for (const rule of rules) {
    const reward = policy.rewards.find((r) => r.rewardId === rule.effect.coupon!.rewardId);
    if (!reward || !ruleApplies(rule, purchase, member, programTimeZone(policy))) continue;
    coupons.push(
      couponIssued(command, reward, {
        couponId: `offer:${rule.ruleId}:${command.transactionId}`,
        code: freshCouponCode(command, [...decided, ...coupons]),
        origin: 'offer',
        reference: command.transactionId,
        reason: null,
        issuedAt: command.occurredAt,
      }),
    );
  }
  return coupons;
}

/** A refund of the whole purchase takes back the coupons its rules gave that are still active; a used one stays used. */
export function refundCancellations(command: RefundPurchase, state: MemberState): CouponCancelled[] {
  const purchase = state.purchases.get(command.transactionId);
  if (!purchase || purchase.refundedMinor + command.amountMinor < purchase.amountMinor) return [];
  return [...state.coupons.values()]
    .filter((c) => c.origin === 'offer' && c.reference === command.transactionId && c.status === 'active')
    .map((c) => ({
      type: 'CouponCancelled',
      data: { ...base(command), couponId: c.couponId, code: c.code, reason: 'refund', reference: command.refundId },
    }));
}

/** Fresh codes a command needs at most: a birthday coupon, an upgrade coupon, and one per coupon rule. */
export const freshCouponCodesNeeded = (policy: ProgramPolicy): number =>
  2 + (policy.earning.rules ?? []).filter((r) => r.effect.coupon !== undefined).length;

export function offerCouponProblems(policy: ProgramPolicy): string[] {
  return (policy.earning.rules ?? []).flatMap((rule) => {
    const rewardId = rule.effect.coupon?.rewardId;
    if (rewardId === undefined) return [];
    const reward = policy.rewards.find((r) => r.rewardId === rewardId);
    return reward && isCouponReward(reward)
      ? []
      : [`earning rule ${rule.ruleId}: effect.coupon.rewardId must name a coupon reward of the catalogue`];
  });
}

/** Every coupon the program's rules issue with a decision, or take back: upgrades, coupon rules, a full refund. */
export function ruleCoupons(command: MemberCommand, state: MemberState, decided: readonly MemberEvent[]): MemberEvent[] {
  const events: MemberEvent[] = tierUpgradeCoupons(command, decided);
  if (command.type === 'RecordPurchase') events.push(...offerCoupons(command, state, [...decided, ...events]));
  if (command.type === 'RefundPurchase') events.push(...refundCancellations(command, state));
  return events;
}
