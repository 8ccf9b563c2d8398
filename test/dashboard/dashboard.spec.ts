import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Browser, chromium, Page } from 'playwright-core';
import { TestClock } from '../support/clock';
import { KEYS, PROGRAM, startTestLedger, TestLedger } from '../support/ledger';
import { memberStreamId } from '@loyalty/domain';
import { couponIssued, couponUsed, testCouponCode } from '../../libs/domain/src/testing/member-events';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const available = existsSync(CHROMIUM);
if (!available && process.env.REQUIRE_BROWSER)
  throw new Error(`REQUIRE_BROWSER is set but ${CHROMIUM} is missing: apt-get install -y chromium`);
if (!available)
  console.log(`dashboard test skipped: ${CHROMIUM} is missing (apt-get install -y chromium; set REQUIRE_BROWSER=1 to fail instead)`);
const describeWithBrowser = available ? describe : describe.skip;

const clock = new TestClock();
const dayStart = (daysAgo: number) => clock.dayStart(daysAgo);
const at = (daysAgo: number) => new Date(dayStart(daysAgo).getTime() + 10 * 3_600_000).toISOString();
const date = (daysAgo: number) => dayStart(daysAgo).toISOString().slice(0, 10);

// Page-side scripts are strings: the project compiles without the DOM library, so node code never sees browser globals.
const RECORD_CSP_VIOLATIONS = `
  window.cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.effectiveDirective + ' ' + e.blockedURI));
`;
const COMPUTED_STYLE = (selector: string, property: string) =>
  `getComputedStyle(document.querySelector(${JSON.stringify(selector)})).getPropertyValue(${JSON.stringify(property)})`;
const INJECT_INLINE_SCRIPT = `(() => {
  const script = document.createElement('script');
  script.textContent = 'window.injectedRan = true';
  document.body.appendChild(script);
  return window.injectedRan === true;
})()`;

/** The dashboard in headless Chromium: the charts must show the API's numbers, under the strict CSP. */
describeWithBrowser('dashboard', () => {
  let t: TestLedger;
  let browser: Browser;
  let position = -1;

  /** A page on the dashboard that records every CSP violation, from the console and from the DOM event. */
  async function openDashboard(): Promise<{ page: Page; violations: () => Promise<string[]> }> {
    const page = await browser.newPage();
    const logged: string[] = [];
    page.on('console', (message) => {
      if (/content security policy/i.test(message.text())) logged.push(message.text());
    });
    await page.addInitScript({ content: RECORD_CSP_VIOLATIONS });
    await page.goto(`${t.ledger.url}/dashboard`);
    const violations = async () => [...logged, ...(await page.evaluate<string[]>('window.cspViolations'))];
    return { page, violations };
  }

  beforeAll(async () => {
    t = await startTestLedger('dashboard', {}, clock);
    expect((await t.call('PUT', '/v1/program', { ...PROGRAM, pointValueMinor: 2 })).status).toBe(201);
    const write = async (path: string, body: unknown) => {
      const r = await t.call('POST', path, body);
      expect(r.status).toBe(201);
      position = Math.max(position, r.body.position);
    };
    for (let i = 0; i < 4; i++)
      await write('/v1/members', { memberId: `d-${i}`, type: i === 0 ? 'business' : 'individual', occurredAt: at(12 - i) });
    for (let i = 0; i < 6; i++) {
      await write('/v1/purchases', {
        transactionId: `dt-${i}`,
        memberId: `d-${i % 4}`,
        amountMinor: 2_500 * (i + 1),
        currency: 'EUR',
        occurredAt: at(9 - i),
      });
    }
    await write('/v1/redemptions', { redemptionId: 'dr-1', memberId: 'd-3', points: 60, occurredAt: at(1) });
    // Coupon events as the domain writes them, so the coupon panel has figures of its own: two issued, one used.
    const coupons = [
      couponIssued({ memberId: 'd-1', occurredAt: at(6), couponId: 'dc-1', code: testCouponCode(1), expiresAt: at(-20) }),
      couponIssued({ memberId: 'd-1', occurredAt: at(5), couponId: 'dc-2', code: testCouponCode(2), expiresAt: at(-20) }),
      couponUsed({ memberId: 'd-1', occurredAt: at(2), couponId: 'dc-1', code: testCouponCode(1) }),
    ];
    const appended = await t.ledger.store.append(
      memberStreamId('d-1'),
      coupons.map((e) => ({ eventId: randomUUID(), type: e.type, data: e.data as unknown as Record<string, unknown> })),
      'any',
    );
    position = Math.max(position, Number(appended.position));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  }, 50_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('serves a public page with no data and no key inside', async () => {
    const page = await fetch(`${t.ledger.url}/dashboard`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("style-src 'self'");
    const html = await page.text();
    for (const key of Object.values(KEYS)) expect(html).not.toContain(key);
    expect((await fetch(`${t.ledger.url}/dashboard/app.js`)).status).toBe(200);
  });

  it('draws KPI charts, the liability trend and segment sizes with the numbers the API returns', async () => {
    const from = date(14);
    const to = date(-1);
    const kpis = (
      await t.call('GET', `/v1/kpis?from=${from}&to=${to}&granularity=day&minPosition=${position}`, undefined, { key: KEYS.analyst })
    ).body;
    const segments = (await t.call('GET', '/v1/segments', undefined, { key: KEYS.analyst })).body;

    const { page, violations } = await openDashboard();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.fill('#api-key', KEYS.analyst);
    await page.fill('#from', from);
    await page.fill('#to', to);
    await page.selectOption('#granularity', 'day');
    await page.click('#load');
    await page.waitForSelector('body[data-loaded="true"]', { timeout: 10_000 });

    const plotted = (chart: string, series: string) =>
      page.$$eval(`[data-chart="${chart}"] [data-series="${series}"]`, (nodes) =>
        nodes.map((n) => [n.getAttribute('data-label'), Number(n.getAttribute('data-value'))]),
      );
    const fromApi = (field: string) => kpis.buckets.map((b: Record<string, unknown>) => [b.start, b[field]]);
    expect(await plotted('liability', 'liabilityMinor')).toEqual(fromApi('liabilityMinor'));
    expect(await plotted('revenue', 'revenueMinor')).toEqual(fromApi('revenueMinor'));
    expect(await plotted('points', 'pointsIssued')).toEqual(fromApi('pointsIssued'));
    expect(await plotted('activity', 'activeMembers')).toEqual(fromApi('activeMembers'));
    expect(await plotted('coupons', 'couponsIssued')).toEqual(fromApi('couponsIssued'));
    expect(await plotted('coupons', 'couponsUsed')).toEqual(fromApi('couponsUsed'));
    const total = (field: string) => kpis.buckets.reduce((s: number, b: Record<string, number>) => s + b[field]!, 0);
    expect([total('couponsIssued'), total('couponsUsed')]).toEqual([2, 1]);
    expect(await page.$$eval('#coupon-table tr', (rows) => rows.map((r) => r.textContent).filter((t) => t?.includes('4.0')))).toHaveLength(
      1,
    );
    expect(await plotted('segments', 'memberCount')).toEqual(
      segments.segments.map((s: { name: string; memberCount: number }) => [s.name, s.memberCount]),
    );

    // Real numbers, not an empty chart: 6 purchases of 25.00 .. 150.00; liability = outstanding points x 2.
    const revenue = kpis.buckets.reduce((s: number, b: { revenueMinor: number }) => s + b.revenueMinor, 0);
    expect(revenue).toBe(52_500);
    const last = kpis.buckets[kpis.buckets.length - 1];
    expect(last.liabilityMinor).toBe(last.outstandingPoints * 2);
    expect(last.outstandingPoints).toBe(400 + 525 - 60);
    const card = (name: string) => page.$eval(`[data-card="${name}"]`, (n) => Number(n.getAttribute('data-value')));
    expect(await card('liabilityMinor')).toBe(last.liabilityMinor);
    expect(await card('revenueMinor')).toBe(revenue);
    expect(await page.$eval('[data-chart="segments"]', (n) => n.textContent)).toContain('b2b');
    expect(requests.every((u) => u.startsWith(t.ledger.url))).toBe(true);
    // The stylesheet applied and the legend colours set through CSSOM held, with nothing refused.
    expect(await page.evaluate<string>(COMPUTED_STYLE('#load', 'background-color'))).toBe('rgb(36, 81, 183)');
    expect(await page.evaluate<string>(COMPUTED_STYLE('.legend span', '--c'))).toBe('#2451b7');
    expect(await violations()).toEqual([]);
  });

  it('refuses a script injected into the page', async () => {
    const { page, violations } = await openDashboard();
    expect(await page.evaluate<boolean>(INJECT_INLINE_SCRIPT)).toBe(false);
    expect((await violations()).some((v) => /script-src/.test(v))).toBe(true);
  });

  it('tells the user when the key is refused', async () => {
    const page = await browser.newPage();
    await page.goto(`${t.ledger.url}/dashboard`);
    await page.fill('#api-key', KEYS.pos);
    await page.click('#load');
    await page.waitForSelector('#status.error', { timeout: 10_000 });
    expect(await page.textContent('#status')).toContain('FORBIDDEN');
  });
});
