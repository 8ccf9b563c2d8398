import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { KEYS, startTestLedger, TestLedger } from '../support/ledger';
import { DOUBLED_EARNING, recordScenario } from './scenario';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'];
const available = existsSync(CHROMIUM);
if (!available && process.env.REQUIRE_BROWSER) throw new Error(`REQUIRE_BROWSER is set but ${CHROMIUM} is missing`);
const describeWithBrowser = available ? describe : describe.skip;
/** The figures' formats (1,200; €535.00) follow the browser's locale: pinned, so the assertions hold on any machine. */
const LOCALE = 'en-US';
const SCREENSHOTS = join(__dirname, '..', '..', 'test-output', 'dashboard');
const VIEWPORTS = [
  { name: 'simulation-phone', width: 390, height: 844 },
  { name: 'simulation-desktop', width: 1400, height: 900 },
] as const;
const PANELS = ['points', 'sources', 'tiers', 'reach'];
const OVERFLOW = '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })';
/** Whether Chart.js drew on the panel's canvas, and the canvas's size as laid out. */
const CANVAS = (chart: string) => `(() => {
  const canvas = document.querySelector('canvas[data-chart="${chart}"]');
  const box = canvas.getBoundingClientRect();
  return { charted: Boolean(Chart.getChart(canvas)), visible: canvas.checkVisibility(), widthPx: box.width, heightPx: box.height };
})()`;

// Page-side code is a string: the project compiles without the DOM library.
const RECORD_CSP_VIOLATIONS = `
  window.cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.effectiveDirective + ' ' + e.blockedURI));
`;

/** The simulation view in headless Chromium: its bars must show the API's numbers, under the dashboard's strict CSP. */
describeWithBrowser('dashboard simulation view', () => {
  let t: TestLedger;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestLedger('simulation-dashboard');
    await recordScenario(t);
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  /** [label, value] pairs of one side as Chart.js plots them on the panel's canvas. */
  const plotted = (page: Page, chart: string, side: string) =>
    page.evaluate<Array<[string, number]>>(`(() => {
      const c = Chart.getChart(document.querySelector('canvas[data-chart="${chart}"]'));
      const dataset = c.data.datasets.find((d) => d.field === '${side}');
      return c.data.labels.map((label, i) => [label, dataset.data[i]]);
    })()`);

  it('draws the candidate beside the programs in force, as POST /v1/simulations reports them', async () => {
    const page = await browser.newPage({ locale: LOCALE });
    await page.addInitScript({ content: RECORD_CSP_VIOLATIONS });
    await page.goto(`${t.ledger.url}/dashboard/simulation`);
    await page.fill('#api-key', KEYS.analyst);
    await page.fill('#from', '2025-06-01');
    await page.fill('#to', '2026-06-01');
    await page.fill('#program', JSON.stringify(DOUBLED_EARNING));
    await page.click('#simulate');
    await page.waitForSelector('body[data-loaded="true"]', { timeout: 10_000 });

    const body = { program: DOUBLED_EARNING, from: '2025-06-01T00:00:00Z', to: '2026-06-01T00:00:00Z' };
    const { current, candidate } = (await t.call('POST', '/v1/simulations', body, { key: KEYS.analyst })).body;
    const bars = (figures: Record<string, number>) => [
      ['Issued', figures.pointsIssued],
      ['Redeemed', figures.pointsRedeemed],
      ['Expired', figures.pointsExpired],
      ['Outstanding', figures.outstandingPoints],
    ];
    expect(await plotted(page, 'points', 'current')).toEqual(bars(current));
    expect(await plotted(page, 'points', 'candidate')).toEqual(bars(candidate));
    // Hand-checked in scenario.ts: 1900 issued in force, 3600 under the doubled rate.
    expect(await plotted(page, 'points', 'candidate')).toContainEqual(['Issued', 3600]);
    expect(await plotted(page, 'tiers', 'candidate')).toEqual([
      ['gold', 1],
      ['silver', 1],
    ]);
    expect(await plotted(page, 'sources', 'candidate')).toEqual([
      ['Actions (reviews)', 0],
      ['Birthday bonus', 0],
      ['Offers', 0],
      ['Purchases', 3400],
      ['Referrals', 0],
      ['Welcome bonus', 200],
    ]);
    expect(await page.isVisible('#no-refusals')).toBe(true);
    expect(await page.evaluate<string[]>('window.cspViolations')).toEqual([]);
  });

  for (const viewport of VIEWPORTS) {
    it(`draws every panel at ${viewport.width}x${viewport.height} without horizontal scrolling`, async () => {
      const page = await browser.newPage({ viewport, locale: LOCALE });
      const consoleErrors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
      page.on('pageerror', (error) => consoleErrors.push(error.message));
      await page.goto(`${t.ledger.url}/dashboard/simulation`);
      await page.fill('#api-key', KEYS.analyst);
      await page.fill('#from', '2025-06-01');
      await page.fill('#to', '2026-06-01');
      await page.fill('#program', JSON.stringify(DOUBLED_EARNING));
      await page.click('#simulate');
      await page.waitForSelector('body[data-loaded="true"]', { timeout: 10_000 });
      for (const panel of PANELS) {
        const canvas = await page.evaluate<{ charted: boolean; visible: boolean; widthPx: number; heightPx: number }>(CANVAS(panel));
        expect({ panel, charted: canvas.charted, visible: canvas.visible }).toEqual({ panel, charted: true, visible: true });
        expect(canvas.widthPx).toBeGreaterThan(200);
        expect(canvas.heightPx).toBeGreaterThan(150);
      }
      const { scrollWidth, innerWidth } = await page.evaluate<{ scrollWidth: number; innerWidth: number }>(OVERFLOW);
      expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
      await page.screenshot({ path: join(SCREENSHOTS, `${viewport.name}-${viewport.width}x${viewport.height}.png`), fullPage: true });
      expect(consoleErrors).toEqual([]);
      await page.close();
    });
  }

  it('explains in words when the key may not simulate, with the code in small print', async () => {
    const page = await browser.newPage({ locale: LOCALE });
    await page.goto(`${t.ledger.url}/dashboard/simulation`);
    await page.fill('#api-key', KEYS.pos);
    await page.fill('#program', JSON.stringify(DOUBLED_EARNING));
    await page.click('#simulate');
    await page.waitForSelector('#status.error', { timeout: 10_000 });
    expect(await page.textContent('#status .sentence')).toBe(
      'Could not simulate. This key may not read analytics. Use an analyst or admin key.',
    );
    expect(await page.textContent('#status small.code')).toBe('Code FORBIDDEN, HTTP 403');
  });

  it('names the fields the API refused, in a sentence', async () => {
    const page = await browser.newPage({ locale: LOCALE });
    await page.goto(`${t.ledger.url}/dashboard/simulation`);
    await page.fill('#api-key', KEYS.analyst);
    await page.fill('#from', '2025-06-01');
    await page.fill('#to', '2026-06-01');
    await page.fill('#program', JSON.stringify({ ...DOUBLED_EARNING, earning: { ...DOUBLED_EARNING.earning, unitMinor: 0 } }));
    await page.click('#simulate');
    await page.waitForSelector('#status.error', { timeout: 10_000 });
    expect(await page.textContent('#status .sentence')).toMatch(
      /^Could not simulate\. Some fields are not valid\. program\.earning\.unitMinor \(.+\)\.$/,
    );
    expect(await page.textContent('#status small.code')).toBe('Code VALIDATION_FAILED, HTTP 400');
  });

  it('explains a candidate that is not JSON without sending it', async () => {
    const page = await browser.newPage({ locale: LOCALE });
    await page.goto(`${t.ledger.url}/dashboard/simulation`);
    await page.fill('#api-key', KEYS.analyst);
    await page.fill('#program', '{"currency": ');
    await page.click('#simulate');
    await page.waitForSelector('#status.error', { timeout: 10_000 });
    expect(await page.textContent('#status .sentence')).toMatch(
      /^Could not simulate\. The candidate program is not valid JSON; fix the text and try again\. /,
    );
    expect(await page.textContent('#status small.code')).toBe('Code PROGRAM_NOT_JSON');
  });
});
