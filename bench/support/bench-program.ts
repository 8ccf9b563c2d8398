/** The admin key every bench section's ledger process is started with, and the headers its requests carry. */
export const BENCH_ADMIN_KEY = 'bench-admin-key';
export const BENCH_HEADERS: Record<string, string> = { 'x-api-key': BENCH_ADMIN_KEY, 'content-type': 'application/json' };

/** The program the load sections configure: a point per euro, a welcome bonus, pending and expiry as most programs have them. */
export const BENCH_PROGRAM = {
  currency: 'EUR',
  pointValueMinor: 1,
  earning: { pointsPerUnit: 1, unitMinor: 100, welcomeBonus: 100 },
  pendingDays: 14,
  expiryMonths: 12,
};

/** BENCH_PROGRAM with one tier every member is in: the sections that measured with a tier keep it. */
export const BENCH_PROGRAM_WITH_TIER = {
  ...BENCH_PROGRAM,
  tiers: [{ name: 'silver', minSpendMinor: 0, multiplier: 1 }],
  rewards: [],
};
