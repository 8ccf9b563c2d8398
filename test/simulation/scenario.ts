import { PROGRAM, TestLedger } from '../support/ledger';

/**
 * Two members over the window (2025-06-01, 2026-06-01], under PROGRAM (1 point
 * per EUR, welcome 100, gold from 100,000 minor units of spend at 1.5x,
 * points expire 12 months after earning). Every figure the simulation tests
 * check is worked out by hand from these writes.
 */
export const WINDOW = { from: '2025-06-01T00:00:00.000Z', to: '2026-06-01T00:00:00.000Z' };
export const PROGRAM_CONFIGURED_AT = '2025-01-01T00:00:00.000Z';

export async function recordScenario(t: TestLedger): Promise<void> {
  const now = t.clock.nowIso();
  t.clock.set(PROGRAM_CONFIGURED_AT);
  expect((await t.call('PUT', '/v1/program', PROGRAM)).status).toBe(201);
  t.clock.set(now);
  const write = async (path: string, body: object) => expect((await t.call('POST', path, body)).status).toBe(201);
  const buy = (memberId: string, transactionId: string, amountMinor: number, occurredAt: string) =>
    write('/v1/purchases', { transactionId, memberId, amountMinor, currency: 'EUR', occurredAt });
  // a: welcome 100, then 400 and 700 at silver (the second crosses 100,000 and upgrades), then 200 EUR at gold: 300.
  await write('/v1/members', { memberId: 'a', type: 'individual', occurredAt: '2025-07-01T10:00:00.000Z' });
  await buy('a', 'a-1', 40_000, '2025-08-01T10:00:00.000Z');
  await buy('a', 'a-2', 70_000, '2025-09-01T10:00:00.000Z');
  await buy('a', 'a-3', 20_000, '2025-10-02T10:00:00.000Z');
  await write('/v1/redemptions', { redemptionId: 'a-r1', memberId: 'a', points: 1400, occurredAt: '2025-11-01T12:00:00.000Z' });
  // b: welcome 100, then 300 at silver; redeems 350.
  await write('/v1/members', { memberId: 'b', type: 'individual', occurredAt: '2025-07-01T11:00:00.000Z' });
  await buy('b', 'b-1', 30_000, '2025-08-02T10:00:00.000Z');
  await write('/v1/redemptions', { redemptionId: 'b-r1', memberId: 'b', points: 350, occurredAt: '2025-12-01T12:00:00.000Z' });
}

/** As recorded: issued 100+400+700+300 (a) + 100+300 (b) = 1900; redeemed 1400+350; left 100 (a) + 50 (b). */
export const CURRENT = {
  pointsIssued: 1900,
  pointsIssuedBySource: { purchase: 1700, welcome: 200, birthday: 0, referral: 0, action: 0, offer: 0 },
  pointsRedeemed: 1750,
  pointsExpired: 0,
  outstandingPoints: 150,
  liabilityMinor: 150,
  revenueMinor: 160_000,
  // 1900 points x 1 minor unit / 160,000 minor units of revenue.
  costShareOfRevenue: '0.011875',
  membersByTier: { gold: 1, silver: 1 },
  membersReachingTier: { silver: 2, gold: 1 },
  redemptionsRefused: { count: 0, points: 0, byCode: {} },
};

export const DOUBLED_EARNING = { ...PROGRAM, earning: { ...PROGRAM.earning, pointsPerUnit: 2 } };
/** Purchases earn twice: a 800 + 1400 + 200 EUR x 2 x 1.5 = 600, b 600; welcomes unchanged: 3600 issued, 3600 - 1750 left. */
export const DOUBLED_FIGURES = {
  pointsIssued: 3600,
  pointsIssuedBySource: { purchase: 3400, welcome: 200 },
  pointsRedeemed: 1750,
  outstandingPoints: 1850,
  costShareOfRevenue: '0.022500',
  membersByTier: { gold: 1, silver: 1 },
  redemptionsRefused: { count: 0 },
};

export const LOWER_GOLD = { ...PROGRAM, tiers: [PROGRAM.tiers[0], { ...PROGRAM.tiers[1], minSpendMinor: 25_000 }] };
/**
 * Gold from 25,000: a's first purchase (400, at silver) upgrades, so 700 x 1.5 = 1050 and 300 follow;
 * b's 30,000 (300 at silver) upgrades too. Issued 100+400+1050+300 + 100+300 = 2250; left 2250 - 1750 = 500.
 */
export const LOWER_GOLD_FIGURES = {
  pointsIssued: 2250,
  pointsRedeemed: 1750,
  outstandingPoints: 500,
  membersByTier: { gold: 2 },
  membersReachingTier: { silver: 2, gold: 2 },
  redemptionsRefused: { count: 0 },
};

export const SHORT_EXPIRY = { ...PROGRAM, expiryMonths: 3 };
/**
 * Points last 3 months. a: the welcome lot (to 2025-10-01T10:00) expires before a-3, a-1's 400 (to 11-01T10:00)
 * before the redemption, which then finds 700 + 300 < 1400 and is refused; 700 and 300 expire by the end.
 * b: 100 and 300 expire before b's redemption of 350, refused. Everything issued expires: 1900.
 */
export const SHORT_EXPIRY_FIGURES = {
  pointsIssued: 1900,
  pointsRedeemed: 0,
  pointsExpired: 1900,
  outstandingPoints: 0,
  liabilityMinor: 0,
  redemptionsRefused: { count: 2, points: 1750, byCode: { INSUFFICIENT_POINTS: 2 } },
};
