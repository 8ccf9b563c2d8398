/**
 * The dashboard page. Public HTML with no data and no secret: the user types
 * an analyst (or admin) API key, kept only in the page's memory, and the
 * script reads the API with it. Assets are TypeScript strings so the build
 * (swc, ts files only) and the Docker image ship them without a copy step.
 */
export const DASHBOARD_HTML = String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Loyalty program dashboard</title>
<link rel="stylesheet" href="/dashboard/app.css">
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
  <section class="cards" id="cards"></section>
  <section class="grid">
    <figure><figcaption>Revenue</figcaption><div id="chart-revenue" class="chart"></div></figure>
    <figure><figcaption>Purchases and active members</figcaption><div id="chart-activity" class="chart"></div></figure>
    <figure><figcaption>Points issued, redeemed and expired</figcaption><div id="chart-points" class="chart"></div></figure>
    <figure><figcaption>Liability (outstanding points × point value)</figcaption><div id="chart-liability" class="chart"></div></figure>
    <figure><figcaption>Coupons issued and used</figcaption><div id="chart-coupons" class="chart"></div><table id="coupon-table"></table></figure>
    <figure class="wide"><figcaption>Segment sizes</figcaption><div id="chart-segments" class="chart"></div></figure>
  </section>
  <section>
    <h2>Per period</h2>
    <table id="kpi-table"></table>
    <h2>Top members by spend</h2>
    <table id="top-members"></table>
  </section>
</main>
<script src="/dashboard/app.js"></script>
</body>
</html>
`;

export const DASHBOARD_CSS = String.raw`
body { font-family: system-ui, sans-serif; margin: 0; color: #1d2330; background: #f5f6f8; }
header { background: #fff; padding: 1rem 1.5rem; border-bottom: 1px solid #dde1e7; }
h1 { margin: 0 0 .75rem; font-size: 1.4rem; }
form { display: flex; flex-wrap: wrap; gap: .75rem; align-items: end; }
label { display: flex; flex-direction: column; font-size: .8rem; color: #566; gap: .2rem; }
input, select, button { font: inherit; padding: .35rem .5rem; }
button { background: #2451b7; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
#status { margin: .6rem 0 0; font-size: .9rem; }
#status.error { color: #b3261e; }
main { padding: 1rem 1.5rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); gap: .75rem; }
.card { background: #fff; border: 1px solid #dde1e7; border-radius: 6px; padding: .75rem; }
.card .label { font-size: .8rem; color: #566; }
.card .value { font-size: 1.3rem; font-weight: 600; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(26rem, 1fr)); gap: .75rem; margin-top: .75rem; }
figure { margin: 0; background: #fff; border: 1px solid #dde1e7; border-radius: 6px; padding: .75rem; }
figure.wide { grid-column: 1 / -1; }
figcaption { font-weight: 600; margin-bottom: .5rem; }
.chart svg { width: 100%; height: auto; }
.legend { font-size: .8rem; display: flex; gap: 1rem; }
.legend span::before { content: ''; display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; background: var(--c); vertical-align: middle; }
table { border-collapse: collapse; background: #fff; font-size: .85rem; margin-bottom: 1rem; }
th, td { border: 1px solid #dde1e7; padding: .3rem .5rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
`;
