import { commandKey, MemberCommand } from '../member/commands';
import type { MemberEvent } from '../member/events';
import type { ProgramPolicy } from '../program/policy';
import { invalid } from '../values/errors';
import { couponIssued, isCouponReward } from './coupons';
import type { CouponIssued } from './events';

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
