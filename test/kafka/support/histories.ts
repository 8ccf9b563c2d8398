import {
  CLAIM_STREAM_KINDS,
  ClaimKind,
  ClientIdClaimed,
  decideClaim,
  decideOfferExhaustion,
  decideProgram,
  decideSegmentDefinition,
  DEFAULT_SEGMENT_THRESHOLDS,
  evolveProgram,
  evolveSegmentDefinitions,
  ExperimentPolicy,
  initialProgramState,
  initialSegmentDefinitions,
  MemberEvent,
  OfferPolicy,
  ProgramEvent,
  SegmentCriterion,
  SegmentDefinitionCommand,
  SegmentDefinitionEvent,
} from '@loyalty/domain';
import {
  adjust,
  enrol,
  erase,
  historyOf,
  purchase,
  receive,
  redeem,
  refund,
  reverse,
  settle,
  transfer,
  action,
  cancelMembership,
  payMembership,
  startMembership,
  issueCoupon,
} from '../../../libs/domain/src/testing/member-commands';
import { LATER, policy, programInForce, T0 } from '../../../libs/domain/src/testing/fixtures';

/**
 * Histories written by the real decider, covering as many event types as the
 * domain can produce from commands, so the contract is checked against what
 * the ledger really writes rather than against hand-made samples.
 */
export function contractHistories(): Array<{ memberId: string; events: MemberEvent[] }> {
  const pending = { program: programInForce({ pendingDays: 14 }) };
  const m1 = historyOf(
    enrol({ memberId: 'c1' }),
    purchase({
      memberId: 'c1',
      transactionId: 'tx1',
      amountMinor: 150_000,
      items: [{ sku: 'beans', category: 'coffee', quantity: 2, unitPriceMinor: 1000 }],
    }),
    action({ memberId: 'c1', actionId: 'a1' }),
    redeem({ memberId: 'c1', redemptionId: 'r1', points: 50 }),
    reverse({ memberId: 'c1', redemptionId: 'r1' }),
    adjust({ memberId: 'c1', adjustmentId: 'adj1', points: 10 }),
    adjust({ memberId: 'c1', adjustmentId: 'adj2', points: -5 }),
    transfer({ memberId: 'c1', transferId: 'tr1', toMemberId: 'c2', points: 10 }),
    redeem({ memberId: 'c1', redemptionId: 'r2', points: 1500 }),
    refund({ memberId: 'c1', transactionId: 'tx1', refundId: 'rf1', amountMinor: 150_000 }),
    purchase({ memberId: 'c1', transactionId: 'tx2', amountMinor: 200_000 }),
  );
  const m2 = historyOf(
    enrol({ memberId: 'c2' }),
    receive({ memberId: 'c2', transferId: 'tr1', fromMemberId: 'c1', points: 10, lots: [{ lotId: 'l-c1', points: 10, expiresAt: null }] }),
    erase({ memberId: 'c2' }),
  );
  const m3 = historyOf(
    enrol({ memberId: 'c3', ...pending }),
    purchase({ memberId: 'c3', transactionId: 'tx3', amountMinor: 5000, ...pending }),
    settle('2026-02-10T00:00:00.000Z', { memberId: 'c3', ...pending }),
    settle('2027-03-01T00:00:00.000Z', { memberId: 'c3', ...pending }),
  );
  const m4 = historyOf(enrol({ memberId: 'c4', referredBy: 'c1' }), purchase({ memberId: 'c4', transactionId: 'tx4', amountMinor: 3000 }));
  const plans = {
    program: programInForce({
      plans: [{ planId: 'monthly', feeMinor: 1499, period: 'month', trialDays: 30, benefits: { multiplierBp: 20_000 } }],
    }),
  };
  const m5 = historyOf(
    enrol({ memberId: 'c5', ...plans }),
    startMembership({ memberId: 'c5', ...plans }),
    payMembership({ memberId: 'c5', occurredAt: '2026-02-01T00:00:00.000Z', ...plans }),
    cancelMembership({ memberId: 'c5', occurredAt: '2026-02-15T00:00:00.000Z', ...plans }),
    settle('2026-04-01T00:00:00.000Z', { memberId: 'c5', ...plans }),
  );
  const coupons = {
    program: programInForce({
      rewards: [
        { rewardId: 'two-off', points: 50, kind: 'amountOff', valueMinor: 200 },
        { rewardId: 'gift', points: 0, kind: 'freeProduct', sku: 'latte', redeemable: false, validDays: 7 },
      ],
    }),
  };
  const basket = [{ sku: 'latte', quantity: 1, unitPriceMinor: 1000 }];
  const m6 = historyOf(
    enrol({ memberId: 'c6', ...coupons }),
    redeem({ memberId: 'c6', redemptionId: 'cr1', points: null, rewardId: 'two-off', couponCode: 'C6C6-0000-0000-0001', ...coupons }),
    purchase({ memberId: 'c6', transactionId: 'tx6', amountMinor: 800, items: basket, couponCodes: ['C6C6-0000-0000-0001'], ...coupons }),
    redeem({ memberId: 'c6', redemptionId: 'cr2', points: null, rewardId: 'two-off', couponCode: 'C6C6-0000-0000-0002', ...coupons }),
    reverse({ memberId: 'c6', redemptionId: 'cr2', ...coupons }),
    issueCoupon({ memberId: 'c6', rewardId: 'gift', code: 'C6C6-0000-0000-0003', ...coupons }),
    settle('2026-03-01T00:00:00.000Z', { memberId: 'c6', ...coupons }),
  );
  return [
    { memberId: 'c1', events: m1 },
    { memberId: 'c2', events: m2 },
    { memberId: 'c3', events: m3 },
    { memberId: 'c4', events: m4 },
    { memberId: 'c5', events: m5 },
    { memberId: 'c6', events: m6 },
  ];
}

/** Two program versions, the second with an offer (criteria, budget) and an experiment, then the offer's budget spent. */
export function programHistory(): ProgramEvent[] {
  const first = decideProgram({ type: 'ConfigureProgram', policy: policy(), occurredAt: T0 }, initialProgramState());
  const second = decideProgram(
    { type: 'ConfigureProgram', policy: policy({ offers: [CONTRACT_OFFER], experiments: [CONTRACT_EXPERIMENT] }), occurredAt: T0 },
    first.reduce(evolveProgram, initialProgramState()),
  );
  const configured = [...first, ...second];
  const exhausted = decideOfferExhaustion(configured.reduce(evolveProgram, initialProgramState()), CONTRACT_OFFER.offerId, 60, LATER);
  return [...configured, ...exhausted];
}

/** A custom segment defined, the built-ins' thresholds changed, another segment defined and removed. */
export function segmentDefinitionHistory(): SegmentDefinitionEvent[] {
  const commands: SegmentDefinitionCommand[] = [
    { type: 'DefineSegment', name: 'coffee-lovers', description: 'bought coffee lately', criteria: COFFEE_LOVERS, occurredAt: T0 },
    { type: 'ChangeSegmentThresholds', thresholds: { ...DEFAULT_SEGMENT_THRESHOLDS, dormantDays: 200 }, occurredAt: T0 },
    {
      type: 'DefineSegment',
      name: 'big-spenders',
      description: '',
      criteria: { type: 'purchaseAmount', minMinor: 100_000 },
      occurredAt: T0,
    },
    { type: 'RemoveSegment', name: 'big-spenders', occurredAt: LATER },
  ];
  const events: SegmentDefinitionEvent[] = [];
  let state = initialSegmentDefinitions();
  for (const command of commands) {
    const decided = decideSegmentDefinition(command, state);
    state = decided.reduce(evolveSegmentDefinitions, state);
    events.push(...decided);
  }
  return events;
}

/** A claim of every kind, as the write path records them before the member's stream. */
export function claimHistories(): Array<{ kind: ClaimKind; id: string; events: ClientIdClaimed[] }> {
  return (Object.keys(CLAIM_STREAM_KINDS) as ClaimKind[]).map((kind) => {
    const id = `${kind}-contract-1`;
    return { kind, id, events: decideClaim(kind, id, 'c1', `h-${kind}`, undefined) };
  });
}

const COFFEE_LOVERS: SegmentCriterion = {
  type: 'all',
  of: [
    { type: 'bought', categories: ['coffee'], withinDays: 90 },
    { type: 'rfm', scoring: DEFAULT_SEGMENT_THRESHOLDS.rfm, minFrequency: 2 },
  ],
};

const CONTRACT_OFFER: OfferPolicy = {
  offerId: 'coffee-x2',
  startsAt: T0,
  endsAt: LATER,
  multiplierBp: 20_000,
  bonusPoints: null,
  criteria: { type: 'purchaseCount', min: 1, withinDays: 365 },
  boughtSkus: [],
  boughtCategories: ['coffee'],
  pointsBudget: 50,
};

const CONTRACT_EXPERIMENT: ExperimentPolicy = {
  experimentId: 'rate-2026',
  startsAt: T0,
  endsAt: null,
  variants: [
    { name: 'control', weightPercent: 50, pointsPerUnit: 1 },
    { name: 'double', weightPercent: 50, pointsPerUnit: 2 },
  ],
};
