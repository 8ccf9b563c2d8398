import { AppProcess, requireBuiltApp, http, startAppProcess } from '../support/app-process';
import { createTestDatabase } from '../support/postgres';

const ADMIN_KEY = 'two-processes-admin-key';
const MEMBERS = 4;
const PURCHASES_PER_MEMBER = 8;
const PURCHASE_MINOR = 1_000;
/** Points per purchase from the budgeted rule, and its total budget: far less than every purchase would earn. */
const RULE_BONUS_POINTS = 5;
const RULE_BUDGET_POINTS = 50;
/** Redemptions per member sent at once, half to each process, each for more than half of what the member holds. */
const RACING_REDEMPTIONS = 4;
/** A client retries CONCURRENCY_CONFLICT; two processes writing the same members meet it now and then. */
const CONFLICT_RETRIES_MAX = 20;
const PROGRAM = {
  currency: 'EUR',
  pointValueMinor: 1,
  earning: {
    pointsPerUnit: 1,
    unitMinor: 100,
    rules: [{ ruleId: 'launch', effect: { bonusPoints: RULE_BONUS_POINTS }, cap: { totalPoints: RULE_BUDGET_POINTS } }],
  },
  pendingDays: 0,
  expiryMonths: 0,
  rewards: [{ rewardId: 'two-off', points: 100, kind: 'amountOff', valueMinor: 200 }],
};
const BASKET = [
  { sku: 'latte', quantity: 1, unitPriceMinor: 450 },
  { sku: 'cake', quantity: 1, unitPriceMinor: 550 },
];

type Answer = Awaited<ReturnType<typeof http>>;

const memberId = (m: number) => `two-proc-${m}`;
const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

/**
 * Two API processes on one database, as the production layout runs a
 * replica per core: each keeps its own cache of member states, so every
 * guarantee that spans them rests on the store (optimistic concurrency on
 * the member stream, the global id claims, the budget stream). Both write to
 * the same members at once, and the log, the audit and the read models must
 * show every point, coupon and budget exactly once.
 */
describe('two API processes writing the same members', () => {
  let processes: AppProcess[] = [];
  let highestPosition = 0;

  beforeAll(async () => {
    requireBuiltApp();
    const env = { DATABASE_URL: await createTestDatabase('two_processes'), API_KEYS: `admin:${ADMIN_KEY}`, RATE_LIMIT_PER_SECOND: '0' };
    // One after the other: the first creates the schemas, the second finds them.
    processes = [await startAppProcess(env)];
    processes.push(await startAppProcess(env));
    expect((await call(0, 'PUT', '/v1/program', PROGRAM)).status).toBe(201);
    for (let m = 0; m < MEMBERS; m++) {
      expect((await call(m % 2, 'POST', '/v1/members', { memberId: memberId(m), type: 'individual' })).status).toBe(201);
    }
  }, 180_000);
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGTERM')));
  });

  async function call(process: number, method: string, path: string, body?: unknown): Promise<Answer> {
    for (let attempt = 1; ; attempt++) {
      const answer = await http(processes[process]!.url, method, path, body, ADMIN_KEY);
      if (answer.status !== 409 || answer.body?.error?.code !== 'CONCURRENCY_CONFLICT' || attempt === CONFLICT_RETRIES_MAX) {
        if (typeof answer.body?.position === 'number') highestPosition = Math.max(highestPosition, answer.body.position);
        return answer;
      }
    }
  }

  /** The same request to both processes at once. */
  const fromBoth = (method: string, path: string, body: unknown) => Promise.all([call(0, method, path, body), call(1, method, path, body)]);

  it('records a purchase sent to both once, and a budgeted rule never awards past its budget', async () => {
    const transactions = Array.from({ length: MEMBERS * PURCHASES_PER_MEMBER }, (_, i) => ({
      transactionId: `two-proc-tx-${i}`,
      memberId: memberId(i % MEMBERS),
      amountMinor: PURCHASE_MINOR,
      currency: 'EUR',
    }));
    const answers = await Promise.all(transactions.map((body) => fromBoth('POST', '/v1/purchases', body)));
    for (const [first, second] of answers) {
      // One process recorded it (201), the other answered the recorded result (200), whichever came first.
      expect([first.status, second.status].sort()).toEqual([200, 201]);
      expect(second.body).toEqual(first.body);
    }
    const accrued = answers.map(([first]) => first.body.pointsAccrued as number);
    const basePoints = PURCHASE_MINOR / 100;
    expect(sum(accrued)).toBe(transactions.length * basePoints + RULE_BUDGET_POINTS);
    expect(accrued.every((points) => points === basePoints || points === basePoints + RULE_BONUS_POINTS)).toBe(true);

    const budgets = await call(0, 'GET', '/v1/offers/budgets');
    expect(budgets.body.budgets).toEqual([
      expect.objectContaining({ totalPoints: RULE_BUDGET_POINTS, pointsReserved: RULE_BUDGET_POINTS, pointsRemaining: 0 }),
    ]);
  }, 120_000);

  it('lets only the redemptions the points cover through when both race for the last points', async () => {
    const audit = await call(1, 'GET', `/v1/audit/liability?byMember=true&atPosition=${highestPosition}`);
    const held = new Map<string, number>(
      audit.body.balances.map((row: { memberId: string; available: number }) => [row.memberId, row.available]),
    );
    const racing = Array.from({ length: MEMBERS }, (_, m) => {
      const available = held.get(memberId(m))!;
      const points = Math.floor(available / 2) + 1;
      return Promise.all(
        Array.from({ length: RACING_REDEMPTIONS }, (_, r) =>
          call(r % 2, 'POST', '/v1/redemptions', { redemptionId: `two-proc-rd-${m}-${r}`, memberId: memberId(m), points }),
        ),
      ).then((answers) => ({ m, available, points, answers }));
    });
    for (const { m, available, points, answers } of await Promise.all(racing)) {
      const statuses = answers.map((a) => a.status).sort();
      expect({ member: m, statuses }).toEqual({ member: m, statuses: [201, 422, 422, 422] });
      expect(answers.filter((a) => a.status === 422).every((a) => a.body.error.code === 'INSUFFICIENT_POINTS')).toBe(true);
      const balance = await call(m % 2, 'GET', `/v1/members/${memberId(m)}/balance?minPosition=${highestPosition}`);
      expect(balance.body.available).toBe(available - points);
    }
  }, 120_000);

  it('applies a coupon used from both processes at once to one purchase only', async () => {
    const issued = await call(0, 'POST', `/v1/members/${memberId(0)}/coupons`, {
      couponId: 'two-proc-coupon',
      rewardId: 'two-off',
      reason: 'two processes',
    });
    expect(issued.status).toBe(201);
    const code = issued.body.coupon.code as string;
    const purchaseWith = (process: number) =>
      call(process, 'POST', '/v1/purchases', {
        transactionId: `two-proc-coupon-tx-${process}`,
        memberId: memberId(0),
        amountMinor: 800,
        currency: 'EUR',
        items: BASKET,
        couponCodes: [code],
      });
    const answers = await Promise.all([purchaseWith(0), purchaseWith(1)]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 422]);
    expect(answers.find((a) => a.status === 201)!.body.couponsApplied).toEqual([{ code, discountMinor: 200 }]);
    expect(answers.find((a) => a.status === 422)!.body.error.code).toBe('COUPON_NOT_ACTIVE');
  }, 120_000);

  it('leaves the log, the audit and the read models in agreement', async () => {
    const audit = await call(0, 'GET', `/v1/audit/liability?byMember=true&atPosition=${highestPosition}`);
    expect(audit.status).toBe(200);
    expect(audit.body.balances).toHaveLength(MEMBERS);
    for (const row of audit.body.balances as Array<{ memberId: string; available: number }>) {
      const balance = await call(1, 'GET', `/v1/members/${row.memberId}/balance?minPosition=${highestPosition}`);
      expect({ member: row.memberId, available: balance.body.available }).toEqual({ member: row.memberId, available: row.available });
    }
    const reconciliation = await call(1, 'GET', '/v1/audit/reconciliation');
    expect(reconciliation.body.healthy).toBe(true);
  }, 120_000);
});
