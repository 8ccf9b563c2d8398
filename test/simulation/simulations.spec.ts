import { KEYS, PROGRAM, startTestLedger, TestLedger } from '../support/ledger';
import {
  CURRENT,
  DOUBLED_EARNING,
  DOUBLED_FIGURES,
  LOWER_GOLD,
  LOWER_GOLD_FIGURES,
  recordScenario,
  SHORT_EXPIRY,
  SHORT_EXPIRY_FIGURES,
  WINDOW,
} from './scenario';

describe('POST /v1/simulations', () => {
  let t: TestLedger;

  beforeAll(async () => {
    t = await startTestLedger('simulations');
    await recordScenario(t);
  });
  afterAll(async () => t.close());

  const simulate = (program: unknown, window: object = WINDOW, key = KEYS.analyst) =>
    t.call('POST', '/v1/simulations', { program, ...window }, { key });

  it('replays the window under the program in force exactly as recorded, candidate or not', async () => {
    const response = await simulate(PROGRAM);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ ...WINDOW, eventsRead: expect.any(Number), current: CURRENT, candidate: CURRENT });
    expect(response.body.current.bySegment.b2c).toEqual({ members: 2, pointsIssued: 1900, pointsRedeemed: 1750, revenueMinor: 160_000 });
  });

  it.each([
    ['a doubled earning rate', DOUBLED_EARNING, DOUBLED_FIGURES],
    ['a lower gold threshold', LOWER_GOLD, LOWER_GOLD_FIGURES],
    ['a shorter expiry', SHORT_EXPIRY, SHORT_EXPIRY_FIGURES],
  ])('compares %s with the program in force', async (_, candidate, figures) => {
    const response = await simulate(candidate, WINDOW, KEYS.admin);
    expect(response.status).toBe(200);
    expect(response.body.current).toMatchObject(CURRENT);
    expect(response.body.candidate).toMatchObject(figures);
  });

  it('writes nothing: the recorded balances are unchanged', async () => {
    await simulate(SHORT_EXPIRY);
    const liability = await t.call('GET', `/v1/audit/liability?asOf=${WINDOW.to}`);
    expect(liability.body.outstandingPoints).toBe(150);
  });

  it('validates the program exactly as PUT /v1/program does', async () => {
    for (const bad of [
      { ...PROGRAM, currency: 'euro' },
      { ...PROGRAM, earning: { ...PROGRAM.earning, unitMinor: 0 } },
      { ...PROGRAM, tiers: [{ name: 'silver', minSpendMinor: 10, multiplier: 1 }] },
      { ...PROGRAM, surprise: true },
    ]) {
      const put = await t.call('PUT', '/v1/program', bad);
      const simulated = await simulate(bad);
      expect(put.status).toBe(400);
      expect({ status: simulated.status, code: simulated.body.error.code }).toEqual({ status: 400, code: put.body.error.code });
    }
  });

  it('refuses a bad window with a stable code', async () => {
    const codeOf = async (window: object) => {
      const response = await simulate(PROGRAM, window);
      return [response.status, response.body.error.code];
    };
    expect(await codeOf({ from: WINDOW.to, to: WINDOW.from })).toEqual([400, 'INVALID_SIMULATION_WINDOW']);
    expect(await codeOf({ from: '2024-01-01T00:00:00Z', to: WINDOW.to })).toEqual([400, 'SIMULATION_WINDOW_TOO_LONG']);
    expect(await codeOf({ from: WINDOW.from, to: '2027-01-01T00:00:00Z' })).toEqual([400, 'SIMULATION_WINDOW_IN_FUTURE']);
    expect(await codeOf({ from: '2025-02-30T00:00:00Z', to: WINDOW.to })).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('is for admins and analysts only', async () => {
    expect((await simulate(PROGRAM, WINDOW, KEYS.pos)).status).toBe(403);
    expect((await simulate(PROGRAM, WINDOW, KEYS.auditor)).status).toBe(403);
  });
});
