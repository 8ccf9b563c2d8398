/**
 * The dashboard's script: fetches /v1/kpis and /v1/segments with the key the
 * user typed and draws hand-written SVG charts (no library, no network but
 * the API). Every plotted point carries data-series / data-label / data-value
 * with the API's integer, so what is drawn can be checked against the API.
 * Written without template literals because it is embedded in one.
 */
export const DASHBOARD_JS = String.raw`
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var COLORS = ['#2451b7', '#d9822b', '#2e8540', '#b3261e', '#7a4bb7'];
  var state = { key: '' };
  var $ = function (id) { return document.getElementById(id); };

  function isoDay(d) { return d.toISOString().slice(0, 10); }
  var today = new Date();
  $('to').value = isoDay(new Date(today.getTime() + 86400000));
  $('from').value = isoDay(new Date(today.getTime() - 29 * 86400000));

  function api(path) {
    return fetch(path, { headers: { 'x-api-key': state.key } }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) throw new Error((body && body.error && body.error.code) || ('HTTP ' + r.status));
        return body;
      });
    });
  }

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function money(minor, currency, digits) {
    var value = minor / Math.pow(10, digits);
    try { return new Intl.NumberFormat(undefined, { style: 'currency', currency: currency || 'EUR' }).format(value); }
    catch (e) { return value.toFixed(digits) + ' ' + (currency || ''); }
  }
  function fractionDigits(currency) {
    try { return new Intl.NumberFormat(undefined, { style: 'currency', currency: currency || 'EUR' }).resolvedOptions().maximumFractionDigits; }
    catch (e) { return 2; }
  }
  function pct(rate) { return rate === null ? '–' : (rate * 100).toFixed(1) + ' %'; }
  function int(n) { return Number(n).toLocaleString(); }
  function days(d) { return d === null ? '–' : d.toFixed(1); }

  /** A line (or bar) chart of several integer series over labelled buckets. */
  function chart(containerId, chartName, labels, series, kind, format) {
    var box = $(containerId);
    box.textContent = '';
    var W = 640, H = 260, L = 70, R = 12, T = 12, B = 40;
    var svg = el('svg', { viewBox: '0 0 ' + W + ' ' + H, 'data-chart': chartName, role: 'img' }, box);
    var all = [0];
    series.forEach(function (s) { s.values.forEach(function (v) { all.push(v); }); });
    var max = Math.max.apply(null, all), min = Math.min.apply(null, all);
    if (max === min) max = min + 1;
    var y = function (v) { return T + (H - T - B) * (1 - (v - min) / (max - min)); };
    var step = labels.length > 1 ? (W - L - R) / (labels.length - 1) : 0;
    var x = function (i) { return labels.length > 1 ? L + i * step : L + (W - L - R) / 2; };
    for (var g = 0; g <= 4; g++) {
      var v = min + (max - min) * g / 4;
      el('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), stroke: '#e3e6eb' }, svg);
      var t = el('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#566' }, svg);
      t.textContent = format(Math.round(v));
    }
    var every = Math.max(1, Math.ceil(labels.length / 8));
    labels.forEach(function (label, i) {
      if (i % every !== 0) return;
      var t = el('text', { x: x(i), y: H - B + 16, 'text-anchor': 'middle', 'font-size': 11, fill: '#566' }, svg);
      t.textContent = label.slice(5);
    });
    series.forEach(function (s, si) {
      var color = COLORS[si % COLORS.length];
      if (kind === 'bar') {
        var width = Math.max(2, (W - L - R) / Math.max(labels.length, 1) * 0.7 / series.length);
        s.values.forEach(function (value, i) {
          var top = y(Math.max(value, 0)), bottom = y(Math.min(value, 0));
          var bar = el('rect', { x: x(i) - width * series.length / 2 + si * width, y: top, width: width, height: Math.max(bottom - top, 1), fill: color,
            'data-series': s.name, 'data-label': labels[i], 'data-value': value }, svg);
          el('title', {}, bar).textContent = labels[i] + ': ' + format(value);
        });
      } else {
        el('polyline', { fill: 'none', stroke: color, 'stroke-width': 2,
          points: s.values.map(function (value, i) { return x(i) + ',' + y(value); }).join(' ') }, svg);
        s.values.forEach(function (value, i) {
          var dot = el('circle', { cx: x(i), cy: y(value), r: 3, fill: color, 'data-series': s.name, 'data-label': labels[i], 'data-value': value }, svg);
          el('title', {}, dot).textContent = s.title + ' ' + labels[i] + ': ' + format(value);
        });
      }
    });
    var legend = document.createElement('div');
    legend.className = 'legend';
    series.forEach(function (s, si) {
      var item = document.createElement('span');
      item.style.setProperty('--c', COLORS[si % COLORS.length]);
      item.textContent = s.title;
      legend.appendChild(item);
    });
    box.appendChild(legend);
  }

  function segmentBars(segments) {
    var box = $('chart-segments');
    box.textContent = '';
    var rowH = 22, L = 170, W = 640, H = segments.length * rowH + 10;
    var svg = el('svg', { viewBox: '0 0 ' + W + ' ' + H, 'data-chart': 'segments', role: 'img' }, box);
    var max = Math.max.apply(null, [1].concat(segments.map(function (s) { return s.memberCount; })));
    segments.forEach(function (s, i) {
      var label = el('text', { x: L - 8, y: i * rowH + 16, 'text-anchor': 'end', 'font-size': 12 }, svg);
      label.textContent = s.name;
      var bar = el('rect', { x: L, y: i * rowH + 4, height: rowH - 8, width: Math.max(1, (W - L - 60) * s.memberCount / max),
        fill: s.kind === 'custom' ? COLORS[1] : COLORS[0], 'data-series': 'memberCount', 'data-label': s.name, 'data-value': s.memberCount }, svg);
      el('title', {}, bar).textContent = s.description;
      var count = el('text', { x: L + 6 + (W - L - 60) * s.memberCount / max, y: i * rowH + 16, 'font-size': 12 }, svg);
      count.textContent = int(s.memberCount);
    });
  }

  function table(id, headers, rows) {
    var t = $(id);
    t.textContent = '';
    var head = t.insertRow();
    headers.forEach(function (h) { var th = document.createElement('th'); th.textContent = h; head.appendChild(th); });
    rows.forEach(function (r) { var tr = t.insertRow(); r.forEach(function (c) { tr.insertCell().textContent = c; }); });
  }

  function render(kpis, segments) {
    var b = kpis.buckets, cur = kpis.currency, digits = fractionDigits(cur);
    var labels = b.map(function (x) { return x.start; });
    var sum = function (f) { return b.reduce(function (s, x) { return s + x[f]; }, 0); };
    var last = b[b.length - 1] || { outstandingPoints: 0, liabilityMinor: 0 };
    var cards = [
      ['Revenue', money(sum('revenueMinor'), cur, digits), 'revenueMinor', sum('revenueMinor')],
      ['Purchases', int(sum('purchases')), 'purchases', sum('purchases')],
      ['Enrolments', int(sum('enrolments')), 'enrolments', sum('enrolments')],
      ['Points issued', int(sum('pointsIssued')), 'pointsIssued', sum('pointsIssued')],
      ['Outstanding points', int(last.outstandingPoints), 'outstandingPoints', last.outstandingPoints],
      ['Liability', money(last.liabilityMinor, cur, digits), 'liabilityMinor', last.liabilityMinor]
    ];
    var box = $('cards');
    box.textContent = '';
    cards.forEach(function (c) {
      var card = document.createElement('div');
      card.className = 'card';
      card.setAttribute('data-card', c[2]);
      card.setAttribute('data-value', String(c[3]));
      var l = document.createElement('div'); l.className = 'label'; l.textContent = c[0];
      var v = document.createElement('div'); v.className = 'value'; v.textContent = c[1];
      card.appendChild(l); card.appendChild(v); box.appendChild(card);
    });
    var series = function (field, title) { return { name: field, title: title, values: b.map(function (x) { return x[field]; }) }; };
    var moneyFormat = function (v) { return money(v, cur, digits); };
    chart('chart-revenue', 'revenue', labels, [series('revenueMinor', 'Revenue')], 'bar', moneyFormat);
    chart('chart-activity', 'activity', labels, [series('purchases', 'Purchases'), series('activeMembers', 'Active members')], 'line', int);
    chart('chart-points', 'points', labels, [series('pointsIssued', 'Issued'), series('pointsRedeemed', 'Redeemed'), series('pointsExpired', 'Expired')], 'line', int);
    chart('chart-liability', 'liability', labels, [series('liabilityMinor', 'Liability')], 'line', moneyFormat);
    chart('chart-coupons', 'coupons', labels, [series('couponsIssued', 'Issued'), series('couponsUsed', 'Used')], 'bar', int);
    table('coupon-table', ['Period', 'Issued', 'Used', 'Use rate', 'Mean days to use', 'Median days to use'],
      b.map(function (x) { return [x.start, int(x.couponsIssued), int(x.couponsUsed), pct(x.couponUseRate), days(x.meanDaysToUse), days(x.medianDaysToUse)]; }));
    segmentBars(segments.segments);
    table('kpi-table', ['Period', 'Enrolments', 'Active', 'Purchases', 'Revenue', 'Avg basket', 'Repeat rate', 'Issued', 'Redeemed', 'Expired', 'Redemption rate', 'Outstanding', 'Liability'],
      b.map(function (x) {
        return [x.start, int(x.enrolments), int(x.activeMembers), int(x.purchases), money(x.revenueMinor, cur, digits), money(x.averageBasketMinor, cur, digits),
          pct(x.repeatPurchaseRate), int(x.pointsIssued), int(x.pointsRedeemed), int(x.pointsExpired), pct(x.redemptionRate), int(x.outstandingPoints), money(x.liabilityMinor, cur, digits)];
      }));
    table('top-members', ['Member', 'Purchases', 'Spend'], kpis.topMembers.map(function (m) { return [m.memberId, int(m.purchases), money(m.spendMinor, cur, digits)]; }));
  }

  $('controls').addEventListener('submit', function (event) {
    event.preventDefault();
    state.key = $('api-key').value.trim();
    var status = $('status');
    status.className = '';
    status.textContent = 'Loading…';
    var query = '?from=' + encodeURIComponent($('from').value) + '&to=' + encodeURIComponent($('to').value) + '&granularity=' + encodeURIComponent($('granularity').value);
    Promise.all([api('/v1/kpis' + query), api('/v1/segments')]).then(function (results) {
      render(results[0], results[1]);
      $('content').hidden = false;
      status.textContent = 'Data as of log position ' + results[0].asOfPosition + '; segments evaluated as of ' + (results[1].evaluatedAsOf || 'no events yet') + '.';
      document.body.setAttribute('data-loaded', 'true');
    }).catch(function (error) {
      status.className = 'error';
      status.textContent = 'Could not load: ' + error.message;
    });
  });
})();
`;
