import fc from 'fast-check';
import { ProgramInForce } from './commands';
import { MemberEvent } from './events';
import { member, policy } from '../testing/fixtures';
import { action, enrol, historyOf, purchase, redeem } from '../testing/member-commands';

/** Names every object inherits a member for: as categories, SKUs, action types or rewards they are names like any other. */
const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', 'isPrototypeOf'];
const name = fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.stringMatching(/^[A-Za-z0-9._:-]{1,64}$/));

/**
 * A program configured for one name, as the ledger reads it back from the log
 * (JSON), where `{"__proto__": 3}` is an own key like any other.
 */
function programFor(configured: string): ProgramInForce {
  const base = policy({ rewards: [{ rewardId: configured, points: 40 }] });
  const earning = {
    ...base.earning,
    categoryMultipliersBp: { [configured]: 30_000 },
    actionBonuses: { [configured]: 7 },
    actionCaps: { [configured]: { maxPerPeriod: 1, periodDays: 30 } },
  };
  return { version: 1, policy: JSON.parse(JSON.stringify({ ...base, earning })) as ProgramInForce['policy'] };
}

const accrued = (events: readonly MemberEvent[]) =>
  events.flatMap((e) => (e.type === 'PointsAccrued' ? [e.data.points] : [])).reduce((a, b) => a + b, 0);

describe('names are data, whatever they are called', () => {
  it('weighs a basket line by its own category only, and earns, caps and redeems by exact name', () => {
    fc.assert(
      fc.property(name, name, (configured, other) => {
        fc.pre(configured !== other);
        const program = programFor(configured);
        const line = (category: string) => ({ sku: category, category, quantity: 1, unitPriceMinor: 1000 });
        const history = historyOf(enrol({ program }), purchase({ program, amountMinor: 1000, items: [line(configured)] }));
        expect(accrued(history)).toBe(100 + 30);

        member
          .given(history)
          .when(purchase({ program, transactionId: 'tx2', amountMinor: 1000, items: [line(other)] }))
          .thenMatches((events) => expect(accrued(events)).toBe(10));

        const rewarded = historyOf(enrol({ program }), action({ program, actionType: configured }));
        expect(accrued(rewarded)).toBe(100 + 7);
        member
          .given(rewarded)
          .when(action({ program, actionId: 'a2', actionType: configured }))
          .thenMatches((events) => expect(events.map((e) => e.type)).toEqual(['ActionRecorded']));
        member
          .given(rewarded)
          .when(action({ program, actionId: 'a3', actionType: other }))
          .thenThrows('UNKNOWN_ACTION', { actionType: other });

        member
          .given(history)
          .when(redeem({ program, points: null, rewardId: configured }))
          .thenMatches((events) => expect(events).toMatchObject([{ type: 'PointsRedeemed', data: { points: 40, rewardId: configured } }]));
        member
          .given(history)
          .when(redeem({ program, points: null, rewardId: other }))
          .thenThrows('UNKNOWN_REWARD');
      }),
    );
  });
});
