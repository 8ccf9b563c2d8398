import { HEAD_LINKS, panelHtml, PanelSpec, scriptTags } from './page';

/**
 * The simulation view of the dashboard: a candidate program beside the
 * programs in force over a window of the log (POST /v1/simulations). Like the
 * main page it holds no data and no secret, shares its stylesheet, scripts
 * and strict CSP, and its own script is its own file.
 */

const PANELS: readonly PanelSpec[] = [
  {
    id: 'points',
    title: 'Points over the window',
    hint: 'Issued, redeemed and expired in the window, and outstanding at its end.',
    empty: 'No points moved in the window under either program.',
  },
  {
    id: 'sources',
    title: 'Points issued by source',
    hint: 'Where the issued points came from: purchases, bonuses and offers.',
    empty: 'No points were issued in the window under either program.',
  },
  { id: 'tiers', title: 'Members by tier at the end', hint: 'Where each member stands when the window closes.', empty: 'No members.' },
  {
    id: 'reach',
    title: 'Members reaching each tier',
    hint: 'Members who moved into a tier during the window (upgrade, requalification or enrolment).',
    empty: 'Nobody moved into a tier in the window.',
  },
];

export const SIMULATION_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Loyalty program dashboard: simulation</title>
${HEAD_LINKS}
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
  <section class="cards" id="cards" aria-label="Candidate beside the programs in force"></section>
  <div class="panels">
${PANELS.map(panelHtml).join('\n')}
    <section class="panel wide" id="panel-tables">
      <h2>Redemptions the candidate would refuse</h2>
      <p id="no-refusals" class="empty" hidden>The candidate would refuse none of the recorded redemptions.</p>
      <div class="table-scroll"><table id="refusals"><caption>Refused redemptions by reason</caption></table></div>
      <h2>By segment</h2>
      <div class="table-scroll"><table id="segments"><caption>Segments with members in the window</caption></table></div>
    </section>
  </div>
</main>
${scriptTags('/dashboard/simulation.js')}
</body>
</html>
`;

export const SIMULATION_CSS = String.raw`
label.program { flex-basis: 100%; }
textarea { font: .85rem ui-monospace, monospace; width: 100%; }
.note { font-size: .9rem; color: #3d4656; max-width: 60rem; }
`;
