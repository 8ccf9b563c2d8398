import { MemberEvent, PointsAccrued, PurchaseRecorded } from '../member/events';
import { historyOf, enrol, purchase } from '../testing/member-commands';
import { programInForce } from '../testing/fixtures';
import { EarningRule } from './rules';

const base = programInForce();
const rule = (o: Pick<EarningRule, 'ruleId' | 'when'>): EarningRule => ({ effect: { bonusPoints: 5 }, cap: {}, ...o });
const program = programInForce({
  earning: {
    ...base.policy.earning,
    rules: [
      rule({ ruleId: 'app-only', when: { channels: ['app'] } }),
      rule({ ruleId: 'not-marketplace', when: { excludeChannels: ['marketplace'] } }),
    ],
  },
});
const ruleIdsOf = (events: readonly MemberEvent[]) =>
  events.filter((e): e is PointsAccrued => e.type === 'PointsAccrued' && e.data.source === 'offer').map((e) => e.data.ruleIds[0]);
const bought = (transactionId: string, channelId?: string) =>
  historyOf(enrol({ program }), purchase({ program, transactionId, ...(channelId !== undefined && { channelId }) }));

describe('earning rules on channel ids', () => {
  it('include the channels named, exclude those excluded; a purchase without a channel matches only exclusions', () => {
    expect(ruleIdsOf(bought('app', 'app'))).toEqual(['rule:app-only', 'rule:not-marketplace']);
    expect(ruleIdsOf(bought('web', 'web'))).toEqual(['rule:not-marketplace']);
    expect(ruleIdsOf(bought('marketplace', 'marketplace'))).toEqual([]);
    expect(ruleIdsOf(bought('none'))).toEqual(['rule:not-marketplace']);
  });

  it('records the channel on the purchase, and nothing when none was given', () => {
    const recorded = (events: MemberEvent[]) => events.find((e): e is PurchaseRecorded => e.type === 'PurchaseRecorded')!.data;
    expect(recorded(bought('app', 'app')).channelId).toBe('app');
    expect('channelId' in recorded(bought('none'))).toBe(false);
  });
});
