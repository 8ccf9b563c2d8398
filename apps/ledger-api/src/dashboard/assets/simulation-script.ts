/**
 * The simulation view's script: posts the candidate to /v1/simulations with
 * the key the user typed and draws grouped bars with Chart.js, programs in
 * force beside the candidate. Each chart's datasets keep the side they plot
 * (field: current or candidate) and the API's integers, so what is drawn can
 * be checked against the API. Written without template literals because it
 * is embedded in one.
 */
export const SIMULATION_JS = String.raw`
(function () {
  'use strict';
  var D = window.LoyaltyDashboard;
  var SIDES = [{ name: 'current', title: 'Programs in force', color: D.COLORS[0] }, { name: 'candidate', title: 'Candidate', color: D.COLORS[1] }];
  var SOURCES = { purchase: 'Purchases', welcome: 'Welcome bonus', birthday: 'Birthday bonus', referral: 'Referrals', action: 'Actions (reviews)', offer: 'Offers' };
  var REFUSALS = { INSUFFICIENT_POINTS: 'Not enough points', UNKNOWN_REWARD: 'Reward not in the candidate', MEMBER_ERASED: 'Member erased' };
  var UPRIGHT_CATEGORIES_MAX = 4;
  var BAR_ROW_PX = 22;
  var AXIS_AND_LEGEND_PX = 70;
  var state = { key: '' };
  var $ = function (id) { return document.getElementById(id); };

  var today = new Date();
  $('to').value = D.isoDay(today);
  $('from').value = D.isoDay(new Date(today.getTime() - 365 * 86400000));

  function keysOf(report, field) {
    var keys = {};
    SIDES.forEach(function (s) { Object.keys(report[s.name][field]).forEach(function (k) { keys[k] = true; }); });
    return Object.keys(keys).sort();
  }

  /** Bars per category, one per side; many categories lie down, so a phone has room for their names. */
  function grouped(id, categories, labelOf, valueOf) {
    var horizontal = categories.length > UPRIGHT_CATEGORIES_MAX;
    D.drawChart($('panel-' + id), {
      type: 'bar', labels: categories.map(labelOf), format: D.int, everyLabel: true,
      horizontal: horizontal, heightPx: horizontal ? categories.length * SIDES.length * BAR_ROW_PX + AXIS_AND_LEGEND_PX : undefined,
      series: SIDES.map(function (s) { return { field: s.name, label: s.title, color: s.color, data: categories.map(function (c) { return valueOf(s.name, c); }) }; })
    });
  }

  function share(decimal) { return decimal === null ? '–' : (Number(decimal) * 100).toFixed(2) + ' %'; }
  function signed(n, format) { return (n >= 0 ? '+' : '−') + format(Math.abs(n)); }

  function renderCards(report, money) {
    var cur = report.current, cand = report.candidate;
    var box = $('cards');
    D.clear(box);
    [
      ['pointsIssued', 'Points issued', D.int], ['pointsRedeemed', 'Points redeemed', D.int], ['pointsExpired', 'Points expired', D.int],
      ['outstandingPoints', 'Points outstanding at the end', D.int], ['liabilityMinor', 'Liability at the end', money],
      ['costShareOfRevenue', 'Points cost as a share of revenue', share]
    ].forEach(function (c) {
      var field = c[0], format = c[2];
      var node = D.card(box, field, c[1], format(cand[field]), { 'data-current': cur[field], 'data-candidate': cand[field] });
      var change = typeof cur[field] === 'number' ? ' (' + signed(cand[field] - cur[field], format) + ')' : '';
      node.appendChild(D.element('div', 'delta', 'In force: ' + format(cur[field]) + change));
    });
  }

  function render(report, money) {
    var cur = report.current, cand = report.candidate;
    renderCards(report, money);
    var points = [['pointsIssued', 'Issued'], ['pointsRedeemed', 'Redeemed'], ['pointsExpired', 'Expired'], ['outstandingPoints', 'Outstanding']];
    grouped('points', points, function (p) { return p[1]; }, function (side, p) { return report[side][p[0]]; });
    grouped('sources', keysOf(report, 'pointsIssuedBySource'), function (k) { return SOURCES[k] || k; }, function (side, k) { return report[side].pointsIssuedBySource[k] || 0; });
    grouped('tiers', keysOf(report, 'membersByTier'), String, function (side, k) { return report[side].membersByTier[k] || 0; });
    grouped('reach', keysOf(report, 'membersReachingTier'), String, function (side, k) { return report[side].membersReachingTier[k] || 0; });
    var refused = cand.redemptionsRefused;
    var codes = Object.keys(refused.byCode).sort();
    $('no-refusals').hidden = refused.count > 0;
    $('refusals').parentNode.hidden = refused.count === 0;
    D.table($('refusals'), ['Reason', 'Redemptions refused'], codes.map(function (code) { return [(REFUSALS[code] || code) + ' (' + code + ')', D.int(refused.byCode[code])]; })
      .concat([['All, ' + D.int(refused.points) + ' points', D.int(refused.count)]]));
    D.table($('segments'), ['Segment', 'Members', 'Points issued in force', 'Points issued, candidate', 'Points redeemed in force', 'Points redeemed, candidate'],
      Object.keys(cur.bySegment).filter(function (name) { return cur.bySegment[name].members > 0; }).map(function (name) {
        var a = cur.bySegment[name], b = cand.bySegment[name];
        return [name, D.int(a.members), D.int(a.pointsIssued), D.int(b.pointsIssued), D.int(a.pointsRedeemed), D.int(b.pointsRedeemed)];
      }));
  }

  $('load-program').addEventListener('click', function () {
    state.key = $('api-key').value.trim();
    D.api(state.key, 'GET', '/v1/program').then(function (program) {
      delete program.version;
      delete program.configuredAt;
      $('program').value = JSON.stringify(program, null, 2);
      D.showInfo($('status'), 'Loaded the program in force; edit it into the candidate.');
    }).catch(function (problem) { D.showProblem($('status'), 'Could not load the program.', problem); });
  });

  $('controls').addEventListener('submit', function (event) {
    event.preventDefault();
    state.key = $('api-key').value.trim();
    var status = $('status');
    var program;
    try { program = JSON.parse($('program').value); }
    catch (e) { D.showProblem(status, 'Could not simulate.', new D.ApiProblem('PROGRAM_NOT_JSON', 0, '', { problems: [e.message] })); return; }
    D.showInfo(status, 'Replaying the recorded history…');
    document.body.removeAttribute('data-loaded');
    var body = { program: program, from: $('from').value + 'T00:00:00Z', to: $('to').value + 'T00:00:00Z' };
    D.api(state.key, 'POST', '/v1/simulations', body).then(function (report) {
      $('content').hidden = false;
      render(report, D.moneyFormatter(program.currency));
      D.showInfo(status, 'Replayed ' + D.int(report.eventsRead) + ' events of ' + D.int(report.membersReplayed) + ' members, after ' + D.instant(report.from) + ' up to ' + D.instant(report.to) + '.');
      document.body.setAttribute('data-loaded', 'true');
    }).catch(function (problem) {
      D.showProblem(status, 'Could not simulate.', problem);
    });
  });
})();
`;
