import { programInForce } from '../testing/fixtures';
import { enrol, historyOf, purchase } from '../testing/member-commands';
import { decideMember } from './decide';
import { LedgerInvariantViolation } from './invariants';
import { foldMember, initialMemberState } from './state';
import { upgradeIsOpen } from '../tiers/qualification';

describe('the invariant check a decision makes', () => {
  it('still finds a lot id the decision issues again, though it looks for reissues among the lots it opened only', () => {
    const state = foldMember(historyOf(enrol(), purchase({ transactionId: 'tx1' })));
    // A state that forgot the purchase's command key, as a bug in evolve would: the decider then opens purchase:tx1 again.
    const forgetful = { ...state, processed: initialMemberState().processed };
    expect(() => decideMember(purchase({ transactionId: 'tx1' }), forgetful)).toThrow(
      new LedgerInvariantViolation('a lot id was issued twice'),
    );
    expect(decideMember(purchase({ transactionId: 'tx2' }), state).length).toBeGreaterThan(0);
  });
});

describe('upgradeIsOpen', () => {
  const { policy } = programInForce();
  const standing = { tierQualifiedAt: null, tierReachedAt: null, tierHeldUntil: undefined };

  it('is open below the top tier and for a tier the program no longer has, closed at the top and under a manual tier', () => {
    expect([
      upgradeIsOpen(policy, { ...standing, tier: 'silver' }),
      upgradeIsOpen(policy, { ...standing, tier: 'retired' }),
      upgradeIsOpen(policy, { ...standing, tier: 'gold' }),
      upgradeIsOpen(policy, { ...standing, tier: 'silver', tierHeldUntil: null }),
    ]).toEqual([true, true, false, false]);
  });
});
