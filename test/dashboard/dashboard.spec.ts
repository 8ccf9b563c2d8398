import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { memberStreamId } from '@loyalty/domain';
import { TestClock } from '../support/clock';
import { KEYS, PROGRAM, startTestLedger, TestLedger } from '../support/ledger';
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
const SCREENSHOTS = join(__dirname, '..', '..', 'test-output', 'dashboard');
const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1400, height: 900 },
] as const;
const CHART_PANELS = [
  'revenue',
  'refunds',
  'activity',
  'enrolments',
  'basket',
  'repeat',
  'points',
  'redemption-rate',
  'breakage',
  'liability',
  'coupons',
  'segments',
  'offers',
  'budgets',
];
const AXIS_FONT_PX_MIN = 11;
const LOAD_TIMEOUT_MS = 15_000;

const available = existsSync(CHROMIUM);
if (!available && process.env.REQUIRE_BROWSER)
  throw new Error(`REQUIRE_BROWSER is set but ${CHROMIUM} is missing: apt-get install -y chromium`);
if (!available)
  console.log(`dashboard test skipped: ${CHROMIUM} is missing (apt-get install -y chromium; set REQUIRE_BROWSER=1 to fail instead)`);
const describeWithBrowser = available ? describe : describe.skip;
/** The figures' formats (1,200; €535.00) follow the browser's locale: pinned, so the assertions hold on any machine. */
const LOCALE = 'en-US';

const clock = new TestClock();
const dayStart = (daysAgo: number) => clock.dayStart(daysAgo);
const at = (daysAgo: number) => new Date(dayStart(daysAgo).getTime() + 10 * 3_600_000).toISOString();
const date = (daysAgo: number) => dayStart(daysAgo).toISOString().slice(0, 10);
const FROM = date(14);
const TO = date(-1);

const EXPERIMENT = {
  experimentId: 'earn-rate',
  startsAt: at(20),
  variants: [
    { name: 'base', weightPercent: 50, pointsPerUnit: 1 },
    { name: 'double', weightPercent: 50, pointsPerUnit: 2 },
  ],
};
const OFFER = { offerId: 'spring-bonus', startsAt: at(20), endsAt: at(-30), bonusPoints: 30, pointsBudget: 100 };

// Page-side scripts are strings: the project compiles without the DOM library, so node code never sees browser globals.
const RECORD_CSP_VIOLATIONS = `
  window.cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.effectiveDirective + ' ' + e.blockedURI));
`;
const INJECT_INLINE_SCRIPT = `(() => {
  const script = document.createElement('script');
  script.textContent = 'window.injectedRan = true';
  document.body.appendChild(script);
  return window.injectedRan === true;
})()`;
const OVERFLOW = '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })';

interface DrawnChart {
  labels: string[];
  datasets: Array<{ field: string; label: string; data: Array<number | null> }>;
  /** The canvas as laid out, in CSS pixels. */
  widthPx: number;
  heightPx: number;
  visible: boolean;
  /** The smallest tick font of the chart's axes, in CSS pixels, as Chart.js resolves it for drawing. */
  axisFontPx: number;
}
/** What Chart.js holds for the canvas of a panel: the data it plots and how it laid the canvas out. */
const DRAWN = (chart: string) => `(() => {
  const canvas = document.querySelector('canvas[data-chart=${JSON.stringify(chart)}]');
  const c = canvas && Chart.getChart(canvas);
  if (!c) return null;
  const box = canvas.getBoundingClientRect();
  return {
    labels: c.data.labels,
    datasets: c.data.datasets.map((d) => ({ field: d.field, label: d.label, data: d.data })),
    widthPx: box.width,
    heightPx: box.height,
    visible: canvas.checkVisibility(),
    axisFontPx: Math.min(...Object.values(c.scales).map((s) => s._resolveTickFontOptions(0).size)),
  };
})()`;
/** Bars of the panel's chart that reach outside its plot area (the old charts cut the first and last in half). */
const BARS_OUTSIDE_PLOT = (chart: string) => `(() => {
  const c = Chart.getChart(document.querySelector('canvas[data-chart=${JSON.stringify(chart)}]'));
  const area = c.chartArea;
  return c.data.datasets.flatMap((d, i) => c.getDatasetMeta(i).data.map((bar) => ({ left: bar.x - bar.width / 2, right: bar.x + bar.width / 2 })))
    .filter((bar) => bar.left < area.left || bar.right > area.right).length;
})()`;
/** Left edges of the panels, to tell one column from a grid. */
const PANEL_LEFTS = `[...document.querySelectorAll('.panel')].map((p) => Math.round(p.getBoundingClientRect().left))`;

type Bucket = Record<string, number | string | null>;

/** The dashboard in headless Chromium: every panel drawn by Chart.js with the API's numbers, at phone and desktop widths, under the strict CSP. */
describeWithBrowser('dashboard', () => {
  let t: TestLedger;
  let browser: Browser;
  let position = -1;

  async function open(viewport: { width: number; height: number } = VIEWPORTS[1]) {
    const page = await browser.newPage({ viewport, locale: LOCALE });
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400) consoleErrors.push(`${response.status()} ${response.url()}`);
    });
    await page.addInitScript({ content: RECORD_CSP_VIOLATIONS });
    await page.goto(`${t.ledger.url}/dashboard`);
    const violations = () => page.evaluate<string[]>('window.cspViolations');
    return { page, consoleErrors, violations };
  }

  async function load(page: Page, key: string, from = FROM, to = TO, granularity = 'day') {
    await page.fill('#api-key', key);
    await page.fill('#from', from);
    await page.fill('#to', to);
    await page.selectOption('#granularity', granularity);
    await page.click('#load');
  }

  const drawn = (page: Page, chart: string) => page.evaluate<DrawnChart | null>(DRAWN(chart));
  const plotted = async (page: Page, chart: string) =>
    Object.fromEntries((await drawn(page, chart))!.datasets.map((d) => [d.field, d.data]));

  beforeAll(async () => {
    t = await startTestLedger('dashboard', {}, clock);
    const program = { ...PROGRAM, pointValueMinor: 2, offers: [OFFER], experiments: [EXPERIMENT] };
    expect((await t.call('PUT', '/v1/program', program)).status).toBe(201);
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
    // A second purchase on d-1's day, so the repeat purchase rate has a figure.
    await write('/v1/purchases', { transactionId: 'dt-6', memberId: 'd-1', amountMinor: 1_000, currency: 'EUR', occurredAt: at(8) });
    await write('/v1/purchases/dt-5/refunds', { refundId: 'dr-5', amountMinor: 5_000, occurredAt: at(2) });
    // On a day that issued points too, so the redemption rate has a figure.
    await write('/v1/redemptions', { redemptionId: 'dr-1', memberId: 'd-3', points: 60, occurredAt: at(4) });
    // Enrolled a year and a few days ago: the settlement job expires the welcome points within the window, so breakage has a figure.
    await write('/v1/members', {
      memberId: 'd-old',
      type: 'individual',
      occurredAt: new Date(clock.now().getTime() - 370 * 86_400_000).toISOString(),
    });
    const job = await t.call('POST', `/v1/admin/jobs/expire?minPosition=${position}`, {});
    expect(job.status).toBe(200);
    expect(job.body.expired).toBeGreaterThan(0);
    position = Math.max(position, job.body.position);
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
    await t.caughtUp(position);
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('serves a public page with no data and no key inside, and Chart.js from the installed package for a year', async () => {
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
    const library = html.match(/<script src="(\/dashboard\/vendor\/chart\.umd\.min\.js\?v=[\d.]+)"><\/script>/);
    expect(library).not.toBeNull();
    const chartJs = await fetch(`${t.ledger.url}${library![1]}`);
    expect(chartJs.status).toBe(200);
    expect(chartJs.headers.get('content-type')).toContain('text/javascript');
    expect(chartJs.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(chartJs.headers.get('content-security-policy')).toBe(policy);
    const installed = join(require.resolve('chart.js'), '..', 'chart.umd.min.js');
    expect(await chartJs.text()).toBe(readFileSync(installed, 'utf8'));
    for (const asset of ['app.js', 'common.js', 'app.css']) expect((await fetch(`${t.ledger.url}/dashboard/${asset}`)).status).toBe(200);
  });

  for (const viewport of VIEWPORTS) {
    it(`draws every panel at ${viewport.width}x${viewport.height}, readable and without horizontal scrolling`, async () => {
      const { page, consoleErrors, violations } = await open(viewport);
      await load(page, KEYS.analyst);
      await page.waitForSelector('body[data-loaded="true"]', { timeout: LOAD_TIMEOUT_MS });
      for (const name of [...CHART_PANELS, 'experiment:earn-rate']) {
        const chart = await drawn(page, name);
        expect({ name, visible: chart?.visible }).toEqual({ name, visible: true });
        expect(chart!.widthPx).toBeGreaterThan(200);
        expect(chart!.heightPx).toBeGreaterThan(150);
        expect(chart!.axisFontPx).toBeGreaterThanOrEqual(AXIS_FONT_PX_MIN);
        expect(chart!.widthPx).toBeLessThanOrEqual(viewport.width);
      }
      expect(await page.isVisible('#panel-experiments')).toBe(true);
      const { scrollWidth, innerWidth } = await page.evaluate<{ scrollWidth: number; innerWidth: number }>(OVERFLOW);
      expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
      const columns = new Set(await page.evaluate<number[]>(PANEL_LEFTS)).size;
      // Phones stack the panels; a desktop lays them out in a grid of three.
      expect(columns).toBe(viewport.width < 600 ? 1 : 3);
      await page.screenshot({ path: join(SCREENSHOTS, `${viewport.name}-${viewport.width}x${viewport.height}.png`), fullPage: true });
      expect(consoleErrors).toEqual([]);
      expect(await violations()).toEqual([]);
      await page.close();
    });
  }

  it('plots what the KPI, segment, offer, budget and experiment endpoints return', async () => {
    const analyst = { key: KEYS.analyst };
    const kpis = (await t.call('GET', `/v1/kpis?from=${FROM}&to=${TO}&granularity=day&minPosition=${position}`, undefined, analyst)).body;
    const segments = (await t.call('GET', '/v1/segments', undefined, analyst)).body;
    const offers = (await t.call('GET', '/v1/offers', undefined, analyst)).body.offers;
    const experiment = (await t.call('GET', '/v1/experiments/earn-rate/results', undefined, analyst)).body;
    const budgets = (await t.call('GET', '/v1/offers/budgets', undefined, analyst)).body.budgets;
    const { page } = await open();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await load(page, KEYS.analyst);
    await page.waitForSelector('body[data-loaded="true"]', { timeout: LOAD_TIMEOUT_MS });

    const fromApi = (...fields: string[]) => Object.fromEntries(fields.map((f) => [f, kpis.buckets.map((b: Bucket) => b[f])]));
    expect(await plotted(page, 'revenue')).toEqual(fromApi('revenueMinor'));
    expect(await plotted(page, 'refunds')).toEqual(fromApi('refundsMinor'));
    expect(await plotted(page, 'activity')).toEqual(fromApi('purchases', 'activeMembers'));
    expect(await plotted(page, 'enrolments')).toEqual(fromApi('enrolments'));
    expect(await plotted(page, 'basket')).toEqual(fromApi('averageBasketMinor'));
    expect(await plotted(page, 'repeat')).toEqual(fromApi('repeatPurchaseRate'));
    expect(await plotted(page, 'points')).toEqual(fromApi('pointsIssued', 'pointsRedeemed', 'pointsExpired'));
    expect(await plotted(page, 'redemption-rate')).toEqual(fromApi('redemptionRate'));
    expect(await plotted(page, 'breakage')).toEqual(fromApi('breakageRate'));
    expect(await plotted(page, 'liability')).toEqual(fromApi('liabilityMinor'));
    expect(await plotted(page, 'coupons')).toEqual(fromApi('couponsIssued', 'couponsUsed'));
    expect((await drawn(page, 'revenue'))!.labels).toHaveLength(kpis.buckets.length);
    expect(await plotted(page, 'segments')).toEqual({ memberCount: segments.segments.map((s: { memberCount: number }) => s.memberCount) });
    expect((await drawn(page, 'segments'))!.labels).toEqual(segments.segments.map((s: { name: string }) => s.name));
    expect(await plotted(page, 'offers')).toEqual({ pointsAwarded: [offers[0].pointsAwarded], pointsBudget: [100] });
    expect(budgets).toEqual([expect.objectContaining({ ruleKey: 'offer:spring-bonus', totalPoints: 100 })]);
    expect(await plotted(page, 'budgets')).toEqual({
      pointsReserved: [budgets[0].pointsReserved],
      pointsRemaining: [budgets[0].pointsRemaining],
    });
    expect((await drawn(page, 'budgets'))!.labels).toEqual(['Offer spring-bonus']);
    expect(await plotted(page, 'experiment:earn-rate')).toEqual({
      revenueMinor: experiment.variants.map((v: Bucket) => v.revenueMinor),
      pointsCostMinor: experiment.variants.map((v: Bucket) => v.pointsCostMinor),
    });

    // Real figures, not empty charts: 6 purchases of 25.00 .. 150.00 and one of 10.00, 50.00 refunded, welcome points expired, coupons used.
    const total = (field: string) => kpis.buckets.reduce((s: number, b: Record<string, number>) => s + b[field]!, 0);
    expect([total('revenueMinor'), total('refundsMinor'), total('couponsIssued'), total('couponsUsed')]).toEqual([53_500, 5_000, 2, 1]);
    expect(total('pointsExpired')).toBe(100);
    expect(offers[0].pointsAwarded).toBeGreaterThan(0);
    expect(experiment.variants.reduce((s: number, v: { members: number }) => s + v.members, 0)).toBeGreaterThan(0);
    const last = kpis.buckets[kpis.buckets.length - 1];
    expect(last.liabilityMinor).toBe(last.outstandingPoints * 2);
    const card = (name: string) => page.$eval(`[data-card="${name}"]`, (n) => Number(n.getAttribute('data-value')));
    expect(await card('liabilityMinor')).toBe(last.liabilityMinor);
    expect(await card('revenueMinor')).toBe(53_500);
    expect(await page.textContent('#panel-offers')).toContain('spring-bonus');
    expect(await page.$$eval('#coupon-table tbody tr', (rows) => rows.filter((r) => r.textContent?.includes('4.0 days')).length)).toBe(1);
    // Plain words, not log positions.
    expect(await page.textContent('#status')).not.toMatch(/position/i);
    expect(await page.textContent('#freshness')).toContain('Updated');
    expect(requests.every((u) => u.startsWith(t.ledger.url))).toBe(true);
    await page.close();
  });

  for (const granularity of ['day', 'month']) {
    it(`keeps every bar inside the plot area per ${granularity}, the first and the last too`, async () => {
      const { page } = await open(VIEWPORTS[0]);
      await load(page, KEYS.analyst, date(60), TO, granularity);
      await page.waitForSelector('body[data-loaded="true"]', { timeout: LOAD_TIMEOUT_MS });
      for (const chart of ['revenue', 'points', 'activity'])
        expect([chart, await page.evaluate<number>(BARS_OUTSIDE_PLOT(chart))]).toEqual([chart, 0]);
      expect((await drawn(page, 'revenue'))!.labels.length).toBe(granularity === 'day' ? 61 : 3);
      await page.close();
    });
  }

  it('says how long ago the figures were read, in words, while the page stays open', async () => {
    const page = await browser.newPage({ locale: LOCALE });
    await page.clock.install();
    await page.goto(`${t.ledger.url}/dashboard`);
    await load(page, KEYS.analyst);
    await page.waitForSelector('body[data-loaded="true"]', { timeout: LOAD_TIMEOUT_MS });
    expect(await page.textContent('#freshness')).toBe('Updated just now, all events included.');
    await page.clock.fastForward('02:10');
    expect(await page.textContent('#freshness')).toBe('Updated 2 minutes ago, all events included.');
    await page.close();
  });

  it('says how many recent events the figures leave out while the projector catches up', async () => {
    const { page } = await open();
    await page.route('**/health/ready', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({
          status: 'not-ready',
          checks: { projector: { status: 'running', position, lagEvents: 1_200, lastError: null } },
        }),
      }),
    );
    await load(page, KEYS.analyst);
    await page.waitForSelector('body[data-loaded="true"]', { timeout: LOAD_TIMEOUT_MS });
    expect(await page.textContent('#freshness')).toBe('Updated just now, 1,200 recent events not included yet (load again shortly).');
    await page.close();
  });

  it('says in its own block why an experiment has no results, and shows the rest', async () => {
    const { page } = await open();
    // As when the read models have not yet seen an experiment the program already lists.
    await page.route('**/v1/experiments/earn-rate/results', (route) =>
      route.fulfill({
        status: 404,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'EXPERIMENT_NOT_FOUND', message: 'no experiment earn-rate', details: {} } }),
      }),
    );
    await load(page, KEYS.analyst);
    await page.waitForSelector('body[data-loaded="true"]', { timeout: LOAD_TIMEOUT_MS });
    expect(await page.textContent('[data-experiment="earn-rate"] .empty')).toBe('This experiment has no results yet.');
    expect((await drawn(page, 'revenue'))?.visible).toBe(true);
    await page.close();
  });

  it('says in words when a period has nothing to show, instead of drawing empty axes', async () => {
    const { page, consoleErrors } = await open(VIEWPORTS[0]);
    await load(page, KEYS.analyst, '2020-01-01', '2020-02-01', 'week');
    await page.waitForSelector('body[data-loaded="true"]', { timeout: LOAD_TIMEOUT_MS });
    for (const name of ['revenue', 'refunds', 'points', 'breakage', 'coupons']) {
      expect(await page.isVisible(`#panel-${name} .empty`)).toBe(true);
      expect(await page.isVisible(`#panel-${name} canvas`)).toBe(false);
    }
    expect(await page.textContent('#panel-refunds .empty')).toBe('No refunds in this period.');
    // Segments and offers are not per period: still drawn.
    expect((await drawn(page, 'segments'))?.visible).toBe(true);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('refuses a script injected into the page', async () => {
    const { page, violations } = await open();
    expect(await page.evaluate<boolean>(INJECT_INLINE_SCRIPT)).toBe(false);
    expect((await violations()).some((v) => /script-src/.test(v))).toBe(true);
    await page.close();
  });

  const refusals = [
    {
      key: KEYS.pos,
      from: FROM,
      sentence: 'This key may not read analytics. Use an analyst or admin key.',
      code: 'Code FORBIDDEN, HTTP 403',
    },
    { key: 'not-a-key', from: FROM, sentence: 'The API key was not recognised.', code: 'Code UNAUTHENTICATED, HTTP 401' },
    { key: KEYS.analyst, from: TO, sentence: 'The From date must be before the To date.', code: 'Code INVALID_RANGE, HTTP 400' },
  ];
  for (const refusal of refusals) {
    it(`explains ${refusal.code.split(',')[0]} in words, with the code in small print`, async () => {
      const { page } = await open(VIEWPORTS[0]);
      await load(page, refusal.key, refusal.from);
      await page.waitForSelector('#status.error', { timeout: LOAD_TIMEOUT_MS });
      expect(await page.textContent('#status .sentence')).toContain(`Could not load the figures. ${refusal.sentence}`);
      expect(await page.textContent('#status small.code')).toBe(refusal.code);
      await page.close();
    });
  }
});
