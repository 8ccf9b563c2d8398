/**
 * The dashboard's script: reads /v1/kpis, /v1/segments, /v1/offers, its
 * budgets, the program's experiments and their results with the key the user typed, and
 * draws them with Chart.js (served by the dashboard, no network but its own
 * origin). Each chart's datasets keep the API field and integers they plot,
 * so what is drawn can be checked against the API. Written without template
 * literals because it is embedded in one.
 */
export const DASHBOARD_JS = String.raw`
(function () {
  'use strict';
  var D = window.LoyaltyDashboard;
  var state = { key: '' };
  var $ = function (id) { return document.getElementById(id); };
  var panel = function (id) { return $('panel-' + id); };

  var today = new Date();
  $('to').value = D.isoDay(new Date(today.getTime() + 86400000));
  $('from').value = D.isoDay(new Date(today.getTime() - 29 * 86400000));

  function sum(buckets, field) { return buckets.reduce(function (s, b) { return s + b[field]; }, 0); }

  function renderCards(kpis, money) {
    var b = kpis.buckets;
    var last = b[b.length - 1] || { outstandingPoints: 0, liabilityMinor: 0 };
    var box = $('cards');
    D.clear(box);
    [
      ['revenueMinor', 'Revenue', money(sum(b, 'revenueMinor')), sum(b, 'revenueMinor')],
      ['purchases', 'Purchases', D.int(sum(b, 'purchases')), sum(b, 'purchases')],
      ['enrolments', 'New members', D.int(sum(b, 'enrolments')), sum(b, 'enrolments')],
      ['pointsIssued', 'Points issued', D.int(sum(b, 'pointsIssued')), sum(b, 'pointsIssued')],
      ['outstandingPoints', 'Points outstanding at the end', D.int(last.outstandingPoints), last.outstandingPoints],
      ['liabilityMinor', 'Liability at the end', money(last.liabilityMinor), last.liabilityMinor]
    ].forEach(function (c) { D.card(box, c[0], c[1], c[2], { 'data-value': c[3] }); });
  }

  function renderKpis(kpis, granularity) {
    var b = kpis.buckets;
    var money = D.moneyFormatter(kpis.currency);
    var labels = b.map(function (x) { return D.bucketLabel(x.start, granularity); });
    var titles = b.map(function (x) { return D.bucketTitle(x.start, granularity); });
    var series = function (field, label, extra) {
      var s = { field: field, label: label, data: b.map(function (x) { return x[field]; }) };
      Object.keys(extra || {}).forEach(function (k) { s[k] = extra[k]; });
      return s;
    };
    var draw = function (id, type, list, format, integers) {
      D.drawChart(panel(id), { type: type, labels: labels, titles: titles, series: list, format: format, integers: integers });
    };
    renderCards(kpis, money);
    draw('revenue', 'bar', [series('revenueMinor', 'Revenue')], money);
    draw('refunds', 'bar', [series('refundsMinor', 'Refunds', { color: D.COLORS[3] })], money);
    draw('activity', 'bar', [series('purchases', 'Purchases'), series('activeMembers', 'Active members')], D.int);
    draw('enrolments', 'bar', [series('enrolments', 'New members', { color: D.COLORS[2] })], D.int);
    draw('basket', 'line', [series('averageBasketMinor', 'Average basket')], money);
    draw('repeat', 'line', [series('repeatPurchaseRate', 'Repeat purchase rate', { color: D.COLORS[4] })], D.pct, false);
    draw('points', 'bar', [series('pointsIssued', 'Issued'), series('pointsRedeemed', 'Redeemed'), series('pointsExpired', 'Expired', { color: D.COLORS[3] })], D.int);
    draw('redemption-rate', 'line', [series('redemptionRate', 'Redemption rate')], D.pct, false);
    draw('breakage', 'line', [series('breakageRate', 'Breakage rate', { color: D.COLORS[3] })], D.pct, false);
    draw('liability', 'line', [series('liabilityMinor', 'Liability', { color: D.COLORS[1] })], money);
    draw('coupons', 'bar', [series('couponsIssued', 'Issued'), series('couponsUsed', 'Used', { color: D.COLORS[2] })], D.int);
    var couponRows = [];
    b.forEach(function (x, i) {
      if (x.couponsIssued > 0 || x.couponsUsed > 0) couponRows.push([titles[i], D.int(x.couponsIssued), D.int(x.couponsUsed), D.pct(x.couponUseRate), D.days(x.meanDaysToUse), D.days(x.medianDaysToUse)]);
    });
    D.table($('coupon-table'), ['Period', 'Issued', 'Used', 'Use rate', 'Mean time to use', 'Median time to use'], couponRows);
    $('coupon-table').parentNode.hidden = couponRows.length === 0;
    D.table($('kpi-table'), ['Period', 'New members', 'Active members', 'Purchases', 'Revenue', 'Refunds', 'Average basket', 'Repeat purchase rate',
      'Points issued', 'Points redeemed', 'Points expired', 'Redemption rate', 'Breakage', 'Points outstanding', 'Liability'],
      b.map(function (x, i) {
        return [titles[i], D.int(x.enrolments), D.int(x.activeMembers), D.int(x.purchases), money(x.revenueMinor), money(x.refundsMinor), money(x.averageBasketMinor),
          D.pct(x.repeatPurchaseRate), D.int(x.pointsIssued), D.int(x.pointsRedeemed), D.int(x.pointsExpired), D.pct(x.redemptionRate), D.pct(x.breakageRate),
          D.int(x.outstandingPoints), money(x.liabilityMinor)];
      }));
    D.table($('top-members'), ['Member', 'Purchases', 'Spend'], kpis.topMembers.map(function (m) { return [m.memberId, D.int(m.purchases), money(m.spendMinor)]; }));
  }

  var SEGMENT_ROW_PX = 28;
  var AXIS_AND_LEGEND_PX = 70;

  function renderSegments(segments) {
    var list = segments.segments;
    var kindColor = function (s) { return s.kind === 'custom' ? D.COLORS[1] : D.COLORS[0]; };
    var chart = D.drawChart(panel('segments'), {
      type: 'bar', horizontal: true, heightPx: list.length * SEGMENT_ROW_PX + AXIS_AND_LEGEND_PX, everyLabel: true,
      labels: list.map(function (s) { return s.name; }),
      titles: list.map(function (s) { return s.name + ': ' + s.description; }),
      series: [{ field: 'memberCount', label: 'Members', data: list.map(function (s) { return s.memberCount; }) }],
      format: D.int
    });
    if (chart) { chart.data.datasets[0].backgroundColor = list.map(kindColor); chart.update(); }
  }

  function offerTerms(o) {
    if (o.bonusPoints !== null) return D.int(o.bonusPoints) + ' bonus points';
    return '× ' + o.multiplier + ' points';
  }
  function offerStatus(o) {
    if (o.exhausted) return 'Budget used up';
    return o.pointsBudget === null ? 'No budget limit' : D.int(o.pointsBudget - o.pointsAwarded) + ' points left';
  }

  function renderOffers(offers) {
    var list = offers.offers;
    D.drawChart(panel('offers'), {
      type: 'bar', horizontal: true, heightPx: list.length * SEGMENT_ROW_PX * 2 + AXIS_AND_LEGEND_PX, everyLabel: true,
      labels: list.map(function (o) { return o.offerId; }),
      series: [
        { field: 'pointsAwarded', label: 'Points awarded', data: list.map(function (o) { return o.pointsAwarded; }) },
        { field: 'pointsBudget', label: 'Budget', color: '#9aa3b2', data: list.map(function (o) { return o.pointsBudget; }) }
      ],
      format: D.int
    });
    $('offer-table').parentNode.hidden = list.length === 0;
    D.table($('offer-table'), ['Offer', 'Runs', 'Gives', 'Awards', 'Members', 'Points awarded', 'Budget', 'Status'], list.map(function (o) {
      return [o.offerId, D.instant(o.startsAt) + ' to ' + D.instant(o.endsAt), offerTerms(o), D.int(o.awards), D.int(o.members), D.int(o.pointsAwarded),
        o.pointsBudget === null ? 'none' : D.int(o.pointsBudget), offerStatus(o)];
    }));
  }

  /** Rule keys are 'rule:<ruleId>' or 'offer:<offerId>'. */
  function budgetName(ruleKey) {
    var colon = ruleKey.indexOf(':');
    var kind = ruleKey.slice(0, colon);
    return (kind === 'offer' ? 'Offer ' : kind === 'rule' ? 'Rule ' : kind + ' ') + ruleKey.slice(colon + 1);
  }

  function renderBudgets(budgets) {
    var list = budgets.budgets;
    D.drawChart(panel('budgets'), {
      type: 'bar', horizontal: true, stacked: true, everyLabel: true, heightPx: list.length * SEGMENT_ROW_PX + AXIS_AND_LEGEND_PX,
      labels: list.map(function (b) { return budgetName(b.ruleKey); }),
      series: [
        { field: 'pointsReserved', label: 'Reserved', data: list.map(function (b) { return b.pointsReserved; }) },
        { field: 'pointsRemaining', label: 'Remaining', color: '#9aa3b2', data: list.map(function (b) { return b.pointsRemaining; }) }
      ],
      format: D.int
    });
  }

  function experimentBlock(results) {
    var block = D.element('div', 'experiment');
    block.setAttribute('data-experiment', results.experimentId);
    block.appendChild(D.element('h3', '', results.experimentId + ' (from ' + D.instant(results.startsAt) + (results.endsAt ? ' to ' + D.instant(results.endsAt) : ', still running') + ')'));
    var box = D.element('div', 'chart-box');
    var canvas = document.createElement('canvas');
    canvas.setAttribute('data-chart', 'experiment:' + results.experimentId);
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', 'Revenue and points cost per variant of ' + results.experimentId);
    box.appendChild(canvas);
    block.appendChild(box);
    block.appendChild(D.element('p', 'empty', 'No member has taken part yet.'));
    var scroll = D.element('div', 'table-scroll');
    var table = document.createElement('table');
    scroll.appendChild(table);
    block.appendChild(scroll);
    return { block: block, table: table };
  }

  /** One experiment whose results could not be read says why in its own block; the others still show. */
  function renderUnreadExperiment(container, unread) {
    var block = D.element('div', 'experiment');
    block.setAttribute('data-experiment', unread.experimentId);
    block.appendChild(D.element('h3', '', unread.experimentId));
    block.appendChild(D.element('p', 'empty', D.sentence(unread.problem)));
    container.appendChild(block);
  }

  function renderExperiment(container, results, money) {
    if (results.problem) return renderUnreadExperiment(container, results);
    var parts = experimentBlock(results);
    container.appendChild(parts.block);
    var v = results.variants;
    D.drawChart(parts.block, {
      type: 'bar', labels: v.map(function (x) { return x.variant + ' (' + x.weightPercent + '\u00a0%)'; }), format: money, everyLabel: true,
      series: [
        { field: 'revenueMinor', label: 'Revenue', data: v.map(function (x) { return x.revenueMinor; }) },
        { field: 'pointsCostMinor', label: 'Points cost', data: v.map(function (x) { return x.pointsCostMinor; }) }
      ]
    });
    D.table(parts.table, ['Variant', 'Points per unit', 'Members', 'Buyers', 'Purchases', 'Spend per member', 'Repeat purchase rate', 'Points issued',
      'Points redeemed', 'Redemption rate', 'Points cost per revenue'], v.map(function (x) {
      return [x.variant, D.int(x.pointsPerUnit), D.int(x.members), D.int(x.buyers), D.int(x.purchases), money(x.spendPerMemberMinor), D.pct(x.repeatPurchaseRate),
        D.int(x.pointsIssued), D.int(x.pointsRedeemed), D.pct(x.redemptionRate), D.pct(x.pointsCostPerRevenue)];
    }));
  }

  /** The program lists the experiments; each has its own results. No program yet means no experiments, not an error. */
  function loadExperiments() {
    return D.api(state.key, 'GET', '/v1/program').catch(function (problem) {
      if (problem.code === 'PROGRAM_NOT_CONFIGURED') return { experiments: [] };
      throw problem;
    }).then(function (program) {
      var ids = (program.experiments || []).map(function (e) { return e.experimentId; });
      return Promise.all(ids.map(function (id) {
        return D.api(state.key, 'GET', '/v1/experiments/' + encodeURIComponent(id) + '/results').catch(function (problem) {
          if (!(problem instanceof D.ApiProblem) || problem.status !== 404) throw problem;
          return { experimentId: id, problem: problem };
        });
      }))
        .then(function (results) { return { currency: program.currency, results: results }; });
    });
  }

  function renderExperiments(experiments) {
    var container = $('experiments');
    D.clear(container);
    panel('experiments').querySelector(':scope > .empty').hidden = experiments.results.length > 0;
    var money = D.moneyFormatter(experiments.currency);
    experiments.results.forEach(function (r) { renderExperiment(container, r, money); });
  }

  function segmentsNote(segments) {
    return segments.evaluatedAsOf ? ' Segments as of ' + D.instant(segments.evaluatedAsOf) + ', the time of the latest event.' : '';
  }

  $('controls').addEventListener('submit', function (event) {
    event.preventDefault();
    state.key = $('api-key').value.trim();
    var granularity = $('granularity').value;
    var status = $('status');
    D.showInfo(status, 'Loading…');
    document.body.removeAttribute('data-loaded');
    var query = '?from=' + encodeURIComponent($('from').value) + '&to=' + encodeURIComponent($('to').value) + '&granularity=' + encodeURIComponent(granularity);
    Promise.all([D.api(state.key, 'GET', '/v1/kpis' + query), D.api(state.key, 'GET', '/v1/segments'), D.api(state.key, 'GET', '/v1/offers'), loadExperiments(),
      D.api(state.key, 'GET', '/v1/offers/budgets')])
      .then(function (results) {
        $('content').hidden = false;
        renderKpis(results[0], granularity);
        renderSegments(results[1]);
        renderOffers(results[2]);
        renderExperiments(results[3]);
        renderBudgets(results[4]);
        D.showInfo(status, 'Showing ' + D.bucketTitle(results[0].from, 'day') + ' up to, not including, ' + D.bucketTitle(results[0].to, 'day') + ', per ' + granularity + '.' + segmentsNote(results[1]));
        return D.freshness($('freshness'), results[0].asOfPosition);
      }).then(function () {
        document.body.setAttribute('data-loaded', 'true');
      }).catch(function (problem) {
        D.showProblem(status, 'Could not load the figures.', problem);
      });
  });
})();
`;
