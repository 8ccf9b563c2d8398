import { ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { CLIENT_ID_PATTERN } from './validation';

/**
 * Response schemas of the OpenAPI document, one per answer shape, written
 * from what the handlers return. Objects stay open (no
 * additionalProperties: false): the contract lets answers grow fields.
 */
type Schema = SchemaObject | ReferenceObject;

const CLIENT_ID_LENGTH_MAX = 128;
export const clientIdSchema = (example: string): SchemaObject => ({
  type: 'string',
  pattern: CLIENT_ID_PATTERN.source,
  minLength: 1,
  maxLength: CLIENT_ID_LENGTH_MAX,
  example,
});

const int = (description?: string, example?: number): SchemaObject => ({
  type: 'integer',
  ...(description === undefined ? {} : { description }),
  ...(example === undefined ? {} : { example }),
});
const str = (example?: string): SchemaObject => ({ type: 'string', ...(example === undefined ? {} : { example }) });
const bool = (): SchemaObject => ({ type: 'boolean' });
const num = (description?: string): SchemaObject => ({ type: 'number', ...(description === undefined ? {} : { description }) });
const instant = (example = '2026-11-23T10:00:00.000Z'): SchemaObject => ({ type: 'string', format: 'date-time', example });
const nullable = (schema: SchemaObject): SchemaObject => ({ ...schema, nullable: true });
const anyObject = (description?: string): SchemaObject => ({
  type: 'object',
  additionalProperties: true,
  ...(description === undefined ? {} : { description }),
});
const listOf = (items: Schema): SchemaObject => ({ type: 'array', items });

/** An object whose every property is present unless named in `optional`. */
function obj(properties: Record<string, Schema>, optional: readonly string[] = []): SchemaObject {
  return { type: 'object', properties, required: Object.keys(properties).filter((name) => !optional.includes(name)) };
}

const position = int('the log position of the write; pass it as minPosition to read your own write', 1042);
const asOfPosition = int('the log position the read models reflect (-1 before the first event)', 1042);
const memberId = str('m-1001');
const points = (example = 250) => int('points', example);
const minor = (example = 4250) => int('integer minor units of the program currency', example);
const cursor = nullable(str());

const couponSchema = obj(
  {
    code: str('7K3M-Q9XA-2HZD-W4RT'),
    rewardId: str('free-coffee'),
    kind: { type: 'string', enum: ['amountOff', 'percentOff', 'freeProduct'] },
    valueMinor: nullable(minor(500)),
    percent: nullable(int(undefined, 10)),
    sku: nullable(str()),
    expiresAt: instant(),
  },
  ['valueMinor', 'percent', 'sku'],
);

const webhookSchema = obj({
  webhookId: str('crm'),
  url: str('https://hooks.example.com/loyalty'),
  eventTypes: listOf(str('PointsAccrued')),
  createdAt: instant(),
  updatedAt: instant(),
});

export const Responses = {
  enrolment: obj({ memberId, position }),
  profile: obj(
    {
      memberId,
      type: { type: 'string', enum: ['individual', 'business'] },
      name: nullable(str('Ada')),
      email: nullable(str('ada@example.com')),
      birthDate: nullable(str('1990-05-17')),
      referredBy: nullable(str()),
      tier: nullable(str('silver')),
      tierProgress: nullable(anyObject('qualifyingValue, nextTier, remainingToNext, statusUntil; null without tiers')),
      enrolledAt: instant(),
      segments: listOf(str('active')),
      preferences: anyObject(),
      memberships: listOf(anyObject()),
      benefits: anyObject(),
      asOfPosition,
    },
    ['preferences', 'memberships', 'benefits', 'tierProgress'],
  ),
  balance: obj({
    memberId,
    available: points(),
    pending: points(0),
    lifetimeEarned: points(),
    redeemed: points(0),
    expired: points(0),
    clawedBack: points(0),
    adjusted: int('points, signed', 0),
    transferredIn: points(0),
    transferredOut: points(0),
    debt: points(0),
    tier: nullable(str('silver')),
    asOfPosition,
  }),
  ledger: obj({
    memberId,
    entries: listOf(
      obj(
        {
          entryId: str(),
          type: str('PointsAccrued'),
          points: int('points, signed', 47),
          occurredAt: instant(),
          reference: nullable(str('tx-0001')),
          detail: nullable(anyObject()),
        },
        ['detail'],
      ),
    ),
    nextCursor: cursor,
    asOfPosition,
  }),
  action: obj({ actionId: str('a-1'), type: str('review'), pointsAwarded: points(50), capReached: bool(), position }),
  adjustment: obj({ adjustmentId: str('adj-1'), points: int('points, signed', -20), actor: str('admin:1a2b3c4d'), position }),
  transfer: obj({ transferId: str('tr-1'), fromMemberId: memberId, toMemberId: str('m-1002'), points: points(100), position }),
  erasure: obj({ memberId, erased: { type: 'boolean', enum: [true] }, position }),
  tierChange: obj({
    changeId: str('tc-1'),
    memberId,
    from: nullable(str('silver')),
    tier: str('gold'),
    until: nullable(instant()),
    position,
  }),
  membershipStart: obj({
    membershipId: str('ms-1'),
    memberId,
    status: { type: 'string', enum: ['trial', 'active'] },
    currentPeriodEnd: instant(),
    position,
  }),
  membershipPayment: obj({
    membershipId: str('ms-1'),
    paymentId: str('pay-1'),
    amountMinor: minor(999),
    currentPeriodEnd: instant(),
    position,
  }),
  membershipCancellation: obj({ membershipId: str('ms-1'), benefitsUntil: instant(), position }),
  purchase: obj(
    {
      transactionId: str('tx-0001'),
      pointsAccrued: points(47),
      pendingUntil: nullable(instant()),
      position,
      couponsApplied: listOf(obj({ code: str('7K3M-Q9XA-2HZD-W4RT'), discountMinor: minor(500) })),
    },
    ['couponsApplied'],
  ),
  redemption: obj({ redemptionId: str('rd-0001'), pointsRedeemed: points(), position, coupon: couponSchema }, ['coupon']),
  refund: obj({
    refundId: str('rf-0001'),
    transactionId: str('tx-0001'),
    pointsClawedBack: points(10),
    debtIncurred: points(0),
    position,
  }),
  reversal: obj({ redemptionId: str('rd-0001'), pointsRestored: points(), position }),
  program: obj({ version: int('the program version', 1), configuredAt: instant(), currency: str('EUR'), pointValueMinor: minor(1) }, [
    'configuredAt',
  ]),
  programVersion: obj({ version: int('the program version', 1), position }),
  segments: obj({
    segments: listOf(
      obj({ name: str('active'), kind: str('builtin'), description: str(), definition: nullable(anyObject()), memberCount: int() }),
    ),
    thresholds: nullable(anyObject()),
    evaluatedAsOf: nullable(instant()),
    asOfPosition,
  }),
  segmentMembers: obj({
    segment: str('active'),
    members: listOf(obj({ memberId, enteredAt: instant() })),
    nextCursor: cursor,
    evaluatedAsOf: nullable(instant()),
    asOfPosition,
  }),
  segmentWrite: obj({ name: str('big-spenders'), position }, ['name']),
  kpis: {
    ...anyObject('per bucket: enrolments, activeMembers, purchases, revenueMinor, pointsIssued, ... (docs/analytics.md)'),
    required: ['asOfPosition'],
    properties: { asOfPosition },
  },
  experimentResults: obj({
    experimentId: str('exp-1'),
    startsAt: instant(),
    endsAt: nullable(instant()),
    pointValueMinor: minor(1),
    variants: listOf(
      obj({
        variant: str('control'),
        weightPercent: int(undefined, 50),
        pointsPerUnit: int(undefined, 1),
        members: int(),
        buyers: int(),
        purchases: int(),
        revenueMinor: minor(),
        spendPerMemberMinor: minor(),
        repeatPurchaseRate: nullable(num('a ratio; null without buyers')),
        pointsIssued: points(),
        pointsRedeemed: points(),
        redemptionRate: nullable(num('a ratio; null without points issued')),
        pointsCostMinor: minor(),
        pointsCostPerRevenue: nullable(num('a ratio; null without revenue')),
      }),
    ),
    asOfPosition,
  }),
  offers: obj({
    offers: listOf(
      obj({
        offerId: str('double-points'),
        startsAt: instant(),
        endsAt: instant(),
        multiplier: nullable(num()),
        bonusPoints: nullable(points()),
        pointsBudget: nullable(points()),
        pointsAwarded: points(),
        awards: int(),
        members: int(),
        overspentPoints: points(0),
        exhausted: bool(),
      }),
    ),
  }),
  offerBudgets: obj({ budgets: listOf(anyObject()) }),
  auditReport: {
    ...anyObject('the report computed from the event log (docs/audit.md); integer points and minor units'),
    properties: {
      eventsRead: int('events read from the log'),
      lastPosition: nullable({
        type: 'string',
        pattern: '^\\d{1,20}$',
        description: 'the last log position read (digits; null before the first event); atPosition reproduces the report',
      }),
    },
  },
  couponIssued: obj({ couponId: str('cp-1'), memberId, coupon: couponSchema, position }),
  memberCoupons: obj({ memberId, coupons: listOf(anyObject()), asOfPosition }),
  coupon: obj(
    {
      code: str('7K3M-Q9XA-2HZD-W4RT'),
      memberId,
      rewardId: str('free-coffee'),
      kind: str('amountOff'),
      valueMinor: minor(500),
      percent: int(),
      sku: str(),
      status: { type: 'string', enum: ['active', 'used', 'expired', 'cancelled'] },
      expiresAt: instant(),
      usedBy: str('tx-0001'),
      asOfPosition,
    },
    ['valueMinor', 'percent', 'sku', 'usedBy'],
  ),
  live: obj({ status: { type: 'string', enum: ['live'] } }),
  ready: obj({
    status: { type: 'string', enum: ['ready', 'not-ready'] },
    checks: anyObject('eventStore, readDatabase, projector, relays, webhooks'),
  }),
  settlement: obj({
    asOf: instant(),
    membersChecked: int(),
    membersChanged: int(),
    activated: int('lots activated'),
    expired: int('lots expired'),
    birthdayBonuses: int(),
    tierChanges: int(),
    debtRepayments: int(),
    couponsExpired: int(),
    position: int('the highest position written by the run; -1 when it wrote nothing', -1),
  }),
  parkedStreams: obj({
    parkedStreams: listOf(
      obj({
        consumer: str('ledger'),
        streamId: str('member-m-1001'),
        firstPosition: str('1042'),
        eventType: str('PointsAccrued'),
        projection: str(),
        error: str(),
        parkedAt: instant(),
        retriedAt: nullable(instant()),
        events: int(),
      }),
    ),
  }),
  retryOutcome: obj({ status: { type: 'string', enum: ['released', 'still-parked'] }, events: int(), error: str() }, ['error']),
  webhook: webhookSchema,
  webhooks: obj({ webhooks: listOf(webhookSchema) }),
  deliveries: obj({ webhookId: str('crm'), deliveries: listOf(anyObject()), next: nullable(str('1234')) }),
  replay: obj({ webhookId: str('crm'), replayed: int('deliveries queued again') }),
  session: obj({ token: str('eyJhbGciOiJIUzI1NiJ9.e30.signature'), expiresAt: instant() }),
  meTier: obj({
    memberId,
    current: nullable(str('silver')),
    qualifyBy: nullable(str('spend')),
    currency: nullable(str('EUR')),
    next: nullable(str('gold')),
    qualifyingValue: nullable(int()),
    remaining: nullable(int()),
    statusUntil: nullable(instant()),
  }),
  meRewards: obj({ memberId, rewards: listOf(anyObject('eligible, affordable, pointsToGo, ...')) }),
  meOffers: obj({
    memberId,
    offers: listOf(
      obj({ offerId: str(), startsAt: instant(), endsAt: instant(), multiplier: nullable(num()), bonusPoints: nullable(points()) }),
    ),
  }),
  meCoupons: obj({ memberId, coupons: listOf(anyObject()) }),
  meExpiring: obj({ memberId, withinDays: int(undefined, 30), until: instant(), points: points(), expiring: listOf(anyObject()) }),
  feedback: obj({ feedbackId: str('fb-1'), kind: str('review'), pointsAwarded: points(50), capReached: bool(), position }),
  simulation: {
    ...obj({ from: instant(), to: instant(), eventsRead: int(), current: anyObject('Figures'), candidate: anyObject('Figures') }),
  },
} satisfies Record<string, SchemaObject>;
