import { decideOfferExhaustion, evolveProgram, initialProgramState, requireProgram } from '../program/program';
import { member, policy, programInForce } from '../testing/fixtures';
import { enrol, purchase, redeem, settle } from '../testing/member-commands';
import { MemberCommand } from '../member/commands';
import { MemberEvent, PointsAccrued } from '../member/events';
import { OfferPolicy, offerProblems } from './offers';

const offer = (o: Partial<OfferPolicy> = {}): OfferPolicy => ({
  offerId: 'coffee-x2',
  startsAt: '2026-01-01T00:00:00.000Z',
  endsAt: '2026-03-01T00:00:00.000Z',
  multiplierBp: 20_000,
  bonusPoints: null,
  criteria: null,
  boughtSkus: [],
  boughtCategories: ['coffee'],
  pointsBudget: null,
  ...o,
});
const accruals = (events: MemberEvent[]) => events.filter((e): e is PointsAccrued => e.type === 'PointsAccrued').map((e) => e.data);

describe('targeted offers', () => {
  const program = programInForce({
    offers: [
      offer(),
      offer({
        offerId: 'vip-100',
        multiplierBp: null,
        bonusPoints: 100,
        boughtCategories: [],
        criteria: { type: 'purchaseCount', min: 2 },
      }),
    ],
  });
  const at = (day: number) => `2026-01-${String(day).padStart(2, '0')}T10:00:00.000Z`;
  let history: MemberEvent[] = [];
  const run = (command: MemberCommand) => {
    let out: MemberEvent[] = [];
    member
      .given(history)
      .when(command)
      .thenMatches((events) => (out = events));
    history = [...history, ...out];
    return out;
  };

  it('award a multiplier to members who bought the category before, and a fixed bonus to a segment, each as its own accrual', () => {
    run(enrol({ program, occurredAt: at(1) }));
    const first = run(
      purchase({
        program,
        transactionId: 't1',
        amountMinor: 1000,
        occurredAt: at(2),
        items: [{ sku: 'latte', category: 'coffee', quantity: 1, unitPriceMinor: 1000 }],
      }),
    );
    expect(accruals(first).map((a) => a.source)).toEqual(['purchase']);

    const second = run(purchase({ program, transactionId: 't2', amountMinor: 500, occurredAt: at(3) }));
    expect(accruals(second)).toEqual([
      expect.objectContaining({ source: 'purchase', points: 5 }),
      expect.objectContaining({ source: 'offer', points: 5, reference: 't2', ruleIds: ['offer:coffee-x2'], lotId: 'offer:coffee-x2:t2' }),
    ]);

    const third = run(purchase({ program, transactionId: 't3', amountMinor: 500, occurredAt: at(4) }));
    expect(accruals(third).map((a) => [a.source, a.ruleIds, a.points])).toEqual([
      ['purchase', ['base'], 5],
      ['offer', ['offer:coffee-x2'], 5],
      ['offer', ['offer:vip-100'], 100],
    ]);
    // Offer points are ordinary points: they can be spent and they settle like any lot.
    expect(run(redeem({ program, redemptionId: 'r-1', points: 200, occurredAt: at(5) }))[0]?.type).toBe('PointsRedeemed');
    run(settle('2026-02-01T00:00:00.000Z', { program }));
  });

  it('stop outside their date range', () => {
    const after = run(purchase({ program, transactionId: 't4', amountMinor: 500, occurredAt: '2026-03-01T00:00:00.000Z' }));
    expect(accruals(after).map((a) => a.source)).toEqual(['purchase']);
  });

  it('stop once their budget is recorded as exhausted, without a new program version', () => {
    const configured = evolveProgram(initialProgramState(), {
      type: 'ProgramConfigured',
      data: { schemaVersion: 1, version: 1, policy: policy({ offers: [offer({ pointsBudget: 50 })] }), occurredAt: at(1) },
    });
    expect(decideOfferExhaustion(configured, 'coffee-x2', 49, at(2))).toEqual([]);
    const [exhausted] = decideOfferExhaustion(configured, 'coffee-x2', 55, at(2));
    expect(exhausted).toMatchObject({ type: 'OfferBudgetExhausted', data: { offerId: 'coffee-x2', pointsAwarded: 55, pointsBudget: 50 } });
    const after = evolveProgram(configured, exhausted!);
    expect(after.version).toBe(1);
    expect(requireProgram(after).offers).toEqual([]);
    expect(after.policy?.offers).toHaveLength(1);
    expect(decideOfferExhaustion(after, 'coffee-x2', 60, at(3))).toEqual([]);
  });

  it('are validated with the program', () => {
    expect(offerProblems([offer({ bonusPoints: 10 }), offer({ criteria: { type: 'tier', tiers: [] } as never })])).toEqual([
      'offerIds must be unique',
      'offer coffee-x2 needs exactly one of multiplier or bonusPoints',
      expect.stringContaining('offer coffee-x2: criteria.tiers'),
    ]);
  });
});

describe('refunds of purchases that earned an offer', () => {
  it('claw back the offer bonus with the purchase points, in proportion', () => {
    const program = programInForce({ offers: [offer({ offerId: 'fixed-50', multiplierBp: null, bonusPoints: 50, boughtCategories: [] })] });
    const at = '2026-01-10T10:00:00.000Z';
    const history: MemberEvent[] = [];
    member
      .given([])
      .when(enrol({ program, occurredAt: at }))
      .thenMatches((events) => history.push(...events));
    member
      .given(history)
      .when(purchase({ program, occurredAt: at, amountMinor: 10_000 }))
      .thenMatches((events) => {
        expect(accruals(events).map((a) => [a.source, a.points])).toEqual([
          ['purchase', 100],
          ['offer', 50],
        ]);
        history.push(...events);
      });
    member
      .given(history)
      .when({
        type: 'RefundPurchase',
        transactionId: 'tx1',
        refundId: 'rf1',
        amountMinor: 10_000,
        memberId: 'm1',
        occurredAt: at,
        receivedAt: '2026-12-31T00:00:00.000Z',
        requestHash: 'h-rf1',
        program,
      })
      .thenMatches((events) => {
        const clawback = events.find((e) => e.type === 'PointsClawedBack')!;
        expect(clawback.data).toMatchObject({
          points: 150,
          debtIncurred: 0,
          lots: [
            { lotId: 'purchase:tx1', points: 100 },
            { lotId: 'offer:fixed-50:tx1', points: 50 },
          ],
        });
      });
  });
});
