import { CHART_LIBRARY_URL } from '../chart-library';

/**
 * The dashboard page. Public HTML with no data and no secret: the user types
 * an analyst (or admin) API key, kept only in the page's memory, and the
 * script reads the API with it. Assets are TypeScript strings so the build
 * (swc, ts files only) and the Docker image ship them without a copy step.
 */

export interface PanelSpec {
  readonly id: string;
  readonly title: string;
  /** One sentence on what the figure means, for someone who never read the API. */
  readonly hint: string;
  /** Shown instead of the chart when the period has nothing to plot. */
  readonly empty: string;
  readonly wide?: boolean;
  /** Extra markup under the chart (a table the script fills). */
  readonly extra?: string;
}

export function panelHtml(panel: PanelSpec): string {
  return [
    `<section class="panel${panel.wide ? ' wide' : ''}" id="panel-${panel.id}" data-panel="${panel.id}">`,
    `<h2>${panel.title}</h2>`,
    `<p class="hint">${panel.hint}</p>`,
    `<div class="chart-box"><canvas data-chart="${panel.id}" role="img" aria-label="${panel.title}"></canvas></div>`,
    `<p class="empty" hidden>${panel.empty}</p>`,
    panel.extra ?? '',
    '</section>',
  ].join('');
}

/** A bar chart in the brand blue. */
export const DASHBOARD_ICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#2451b7"/>' +
  '<path d="M3 13V8h2v5zm4 0V4h2v9zm4 0V6h2v7z" fill="#fff"/></svg>';

export const HEAD_LINKS =
  '<link rel="icon" type="image/svg+xml" href="/dashboard/favicon.svg">\n<link rel="stylesheet" href="/dashboard/app.css">';

export function scriptTags(...sources: string[]): string {
  return [CHART_LIBRARY_URL, '/dashboard/common.js', ...sources].map((src) => `<script src="${src}"></script>`).join('\n');
}

const TABLE_SCROLL = (id: string, caption: string) =>
  `<div class="table-scroll"><table id="${id}"><caption>${caption}</caption></table></div>`;

const PANELS: readonly PanelSpec[] = [
  { id: 'revenue', title: 'Revenue', hint: 'What members spent, before refunds.', empty: 'No purchases in this period.' },
  { id: 'refunds', title: 'Refunds', hint: 'Money returned to members for refunded purchases.', empty: 'No refunds in this period.' },
  {
    id: 'activity',
    title: 'Purchases and active members',
    hint: 'Active members bought or redeemed at least once in the period.',
    empty: 'No purchases or redemptions in this period.',
  },
  { id: 'enrolments', title: 'New members', hint: 'Members who joined the program.', empty: 'Nobody joined in this period.' },
  { id: 'basket', title: 'Average basket', hint: 'Revenue divided by the number of purchases.', empty: 'No purchases in this period.' },
  {
    id: 'repeat',
    title: 'Repeat purchase rate',
    hint: 'Of the members who bought, the share who bought at least twice.',
    empty: 'No member bought twice within one period.',
  },
  {
    id: 'points',
    title: 'Points issued, redeemed and expired',
    hint: 'Issued counts every source (purchases, bonuses, offers); redeemed is net of reversals.',
    empty: 'No points moved in this period.',
  },
  {
    id: 'redemption-rate',
    title: 'Redemption rate',
    hint: 'Points redeemed as a share of the points issued in the same period.',
    empty: 'No points were redeemed in this period.',
  },
  {
    id: 'breakage',
    title: 'Breakage',
    hint: 'Of the points that left the ledger, the share that expired unused.',
    empty: 'No points expired in this period, so there is no breakage.',
  },
  {
    id: 'liability',
    title: 'Liability',
    hint: 'Outstanding points valued at the point value in force, at the end of each period.',
    empty: 'No points outstanding in this period.',
  },
  {
    id: 'coupons',
    title: 'Coupons issued and used',
    hint: 'Coupons from redemptions, rules and admins, and those used at a purchase.',
    empty: 'No coupons were issued or used in this period.',
    extra: TABLE_SCROLL('coupon-table', 'Periods with coupons issued or used'),
  },
  {
    id: 'segments',
    title: 'Segment sizes',
    hint: 'Members in each segment now. Built-in segments in blue, custom ones in orange.',
    empty: 'No segment has members yet.',
    wide: true,
  },
  {
    id: 'offers',
    title: 'Offers: points awarded against budget',
    hint: 'Bonus points each targeted offer has awarded so far, beside its budget.',
    empty: 'The program has no offers, or none has awarded points yet.',
    wide: true,
    extra: TABLE_SCROLL('offer-table', 'Offers in the program'),
  },
  {
    id: 'budgets',
    title: 'Points budgets',
    hint: 'Every earning rule and offer with a points budget: what purchases have reserved of it and what remains.',
    empty: 'No earning rule or offer has a points budget.',
    wide: true,
  },
];

export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Loyalty program dashboard</title>
${HEAD_LINKS}
</head>
<body>
<header>
  <h1>Loyalty program dashboard</h1>
  <p><a href="/dashboard/simulation">Try a candidate program on recorded history</a></p>
  <form id="controls" autocomplete="off">
    <label>API key <input id="api-key" type="password" placeholder="analyst key" required></label>
    <label>From <input id="from" type="date"></label>
    <label>To (exclusive) <input id="to" type="date"></label>
    <label>Per <select id="granularity"><option value="day">day</option><option value="week">week</option><option value="month">month</option></select></label>
    <button id="load" type="submit">Load</button>
  </form>
  <p id="status" role="status">Enter an analyst API key and press Load.</p>
</header>
<main id="content" hidden>
  <p id="freshness" class="freshness"></p>
  <section class="cards" id="cards" aria-label="Totals for the period"></section>
  <div class="panels">
${PANELS.map(panelHtml).join('\n')}
    <section class="panel wide" id="panel-experiments" data-panel="experiments">
      <h2>Experiments</h2>
      <p class="hint">Each variant's revenue beside what its points cost (points issued × the current point value).</p>
      <div id="experiments"></div>
      <p class="empty" hidden>The program has no experiments.</p>
    </section>
    <section class="panel wide" id="panel-tables">
      <h2>Per period</h2>
      ${TABLE_SCROLL('kpi-table', 'Every figure per period')}
      <h2>Top members by spend</h2>
      ${TABLE_SCROLL('top-members', 'The ten members who spent most in the period')}
    </section>
  </div>
</main>
${scriptTags('/dashboard/app.js')}
</body>
</html>
`;

/** Phones first: one column; from 52rem two, from 84rem three, wide panels across. */
export const DASHBOARD_CSS = String.raw`
*, *::before, *::after { box-sizing: border-box; }
body { font-family: system-ui, sans-serif; margin: 0; color: #1d2330; background: #f5f6f8; line-height: 1.4; }
header { background: #fff; padding: 1rem; border-bottom: 1px solid #dde1e7; }
h1 { margin: 0 0 .5rem; font-size: 1.35rem; }
h2 { margin: 0 0 .25rem; font-size: 1.05rem; }
a { color: #1f4aa8; }
form { display: flex; flex-wrap: wrap; gap: .75rem; align-items: end; }
label { display: flex; flex-direction: column; font-size: .85rem; color: #3d4656; gap: .2rem; min-width: 0; }
input, select, button, textarea { font: inherit; padding: .4rem .5rem; max-width: 100%; }
button { background: #2451b7; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible { outline: 3px solid #f2b705; outline-offset: 1px; }
#status { margin: .6rem 0 0; font-size: .95rem; }
#status.error { color: #b3261e; }
#status .code { display: block; font-size: .75rem; color: #5b6372; margin-top: .15rem; }
main { padding: 1rem; max-width: 120rem; margin: 0 auto; }
.freshness { margin: 0 0 .75rem; color: #3d4656; font-size: .9rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(9.5rem, 1fr)); gap: .75rem; }
.card { background: #fff; border: 1px solid #dde1e7; border-radius: 6px; padding: .75rem; min-width: 0; }
.card .label { font-size: .85rem; color: #3d4656; }
.card .value { font-size: 1.3rem; font-weight: 600; overflow-wrap: anywhere; }
.card .delta { font-size: .85rem; color: #3d4656; }
.panels { display: grid; grid-template-columns: minmax(0, 1fr); gap: .75rem; margin-top: .75rem; }
@media (min-width: 52rem) { .panels { grid-template-columns: repeat(2, minmax(0, 1fr)); } .panel.wide { grid-column: 1 / -1; } }
@media (min-width: 84rem) { .panels { grid-template-columns: repeat(3, minmax(0, 1fr)); } }
.panel { background: #fff; border: 1px solid #dde1e7; border-radius: 6px; padding: .75rem; min-width: 0; }
.hint { margin: 0 0 .5rem; font-size: .85rem; color: #3d4656; }
.chart-box { position: relative; height: 16rem; width: 100%; }
.chart-box[hidden], .empty[hidden], .table-scroll[hidden] { display: none; }
.empty { margin: 1rem 0; padding: 1rem; background: #f5f6f8; border-radius: 4px; color: #3d4656; text-align: center; }
.experiment { margin-top: .75rem; }
.experiment h3 { margin: 0 0 .25rem; font-size: .95rem; }
.table-scroll { overflow-x: auto; max-width: 100%; margin: .5rem 0 1rem; }
table { border-collapse: collapse; background: #fff; font-size: .85rem; }
caption { text-align: left; font-size: .85rem; color: #3d4656; padding-bottom: .25rem; }
th, td { border: 1px solid #dde1e7; padding: .3rem .5rem; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
`;
