/**
 * The simulation view of the dashboard: a candidate program beside the
 * programs in force over a window of the log (POST /v1/simulations). Like the
 * main page it holds no data and no secret, shares its stylesheet and its
 * strict CSP, and its script is its own file.
 */
export const SIMULATION_HTML = String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Loyalty program dashboard: simulation</title>
<link rel="stylesheet" href="/dashboard/app.css">
<link rel="stylesheet" href="/dashboard/simulation.css">
</head>
<body>
<header>
  <h1>Simulation: a candidate program on recorded history</h1>
  <p><a href="/dashboard">Back to the dashboard</a></p>
  <form id="controls" autocomplete="off">
    <label>API key <input id="api-key" type="password" placeholder="analyst key" required></label>
    <label>From (exclusive) <input id="from" type="date" required></label>
    <label>To (inclusive) <input id="to" type="date" required></label>
    <button id="load-program" type="button">Start from the program in force</button>
    <button id="simulate" type="submit">Simulate</button>
    <label class="program">Candidate program (the body of PUT /v1/program)
      <textarea id="program" rows="14" spellcheck="false" required></textarea></label>
  </form>
  <p id="status" role="status">Enter an analyst API key, a window and a candidate program, then press Simulate.</p>
  <p class="note">A replay shows what the candidate would have cost and whom it would have reached had members behaved exactly as they did. It cannot show how the candidate would have changed their behaviour: an experiment answers that.</p>
</header>
<main id="content" hidden>
  <section class="cards" id="cards"></section>
  <section class="grid">
    <figure><figcaption>Points over the window</figcaption><div id="chart-points" class="chart"></div></figure>
    <figure><figcaption>Points issued by source</figcaption><div id="chart-sources" class="chart"></div></figure>
    <figure><figcaption>Members by tier at the end</figcaption><div id="chart-tiers" class="chart"></div></figure>
    <figure><figcaption>Members reaching each tier</figcaption><div id="chart-reach" class="chart"></div></figure>
  </section>
  <section>
    <h2>Redemptions refused under the candidate</h2>
    <table id="refusals"></table>
    <h2>By segment</h2>
    <table id="segments"></table>
  </section>
</main>
<script src="/dashboard/simulation.js"></script>
</body>
</html>
`;

export const SIMULATION_CSS = String.raw`
label.program { flex-basis: 100%; }
textarea { font: .8rem ui-monospace, monospace; width: 100%; }
.note { font-size: .85rem; color: #566; max-width: 60rem; }
.card .delta { font-size: .8rem; color: #566; }
`;
