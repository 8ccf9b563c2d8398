/**
 * The simulation view's script: posts the candidate to /v1/simulations with
 * the key the user typed and draws grouped SVG bars, program in force beside
 * candidate. Every bar carries data-series (current or candidate) /
 * data-label / data-value with the API's integer, so what is drawn can be
 * checked against the API. Written without template literals because it is
 * embedded in one.
 */
export const SIMULATION_JS = String.raw`
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var SIDES = [{ name: 'current', title: 'Programs in force', color: '#2451b7' }, { name: 'candidate', title: 'Candidate', color: '#d9822b' }];
  var state = { key: '' };
  var $ = function (id) { return document.getElementById(id); };

  function isoDay(d) { return d.toISOString().slice(0, 10); }
  var today = new Date();
  $('to').value = isoDay(today);
  $('from').value = isoDay(new Date(today.getTime() - 365 * 86400000));

  function api(method, path, body) {
    var init = { method: method, headers: { 'x-api-key': state.key } };
    if (body !== undefined) { init.headers['content-type'] = 'application/json'; init.body = JSON.stringify(body); }
    return fetch(path, init).then(function (r) {
      return r.json().then(function (json) {
        if (!r.ok) {
          var error = (json && json.error) || {};
          var fields = (error.details && error.details.fields) || [];
          throw new Error((error.code || ('HTTP ' + r.status)) + (fields.length ? ': ' + fields.map(function (f) { return f.field; }).join(', ') : error.message ? ': ' + error.message : ''));
        }
        return json;
      });
    });
  }

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (parent) parent.appendChild(node);
    return node;
  }
  function int(n) { return Number(n).toLocaleString(); }

  /** Bars per category, one per side, each carrying the API's integer. */
  function grouped(containerId, chartName, categories, valueOf) {
    var box = $(containerId);
    box.textContent = '';
    var W = 640, H = 260, L = 70, R = 12, T = 12, B = 40;
    var svg = el('svg', { viewBox: '0 0 ' + W + ' ' + H, 'data-chart': chartName, role: 'img' }, box);
    var all = [0];
    categories.forEach(function (c) { SIDES.forEach(function (s) { all.push(valueOf(s.name, c)); }); });
    var max = Math.max.apply(null, all), min = Math.min.apply(null, all);
    if (max === min) max = min + 1;
    var y = function (v) { return T + (H - T - B) * (1 - (v - min) / (max - min)); };
    for (var g = 0; g <= 4; g++) {
      var v = min + (max - min) * g / 4;
      el('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), stroke: '#e3e6eb' }, svg);
      el('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#566' }, svg).textContent = int(Math.round(v));
    }
    var slot = (W - L - R) / Math.max(categories.length, 1), width = slot * 0.35;
    categories.forEach(function (c, i) {
      var centre = L + slot * (i + 0.5);
      el('text', { x: centre, y: H - B + 16, 'text-anchor': 'middle', 'font-size': 11, fill: '#566' }, svg).textContent = c;
      SIDES.forEach(function (s, si) {
        var value = valueOf(s.name, c), top = y(Math.max(value, 0)), bottom = y(Math.min(value, 0));
        var bar = el('rect', { x: centre - width + si * width, y: top, width: width, height: Math.max(bottom - top, 1), fill: s.color,
          'data-series': s.name, 'data-label': c, 'data-value': value }, svg);
        el('title', {}, bar).textContent = s.title + ', ' + c + ': ' + int(value);
      });
    });
    var legend = document.createElement('div');
    legend.className = 'legend';
    SIDES.forEach(function (s) {
      var item = document.createElement('span');
      item.style.setProperty('--c', s.color);
      item.textContent = s.title;
      legend.appendChild(item);
    });
    box.appendChild(legend);
  }

  function table(id, headers, rows) {
    var t = $(id);
    t.textContent = '';
    var head = t.insertRow();
    headers.forEach(function (h) { var th = document.createElement('th'); th.textContent = h; head.appendChild(th); });
    rows.forEach(function (r) { var tr = t.insertRow(); r.forEach(function (c) { tr.insertCell().textContent = c; }); });
  }

  function keysOf(report, field) {
    var keys = {};
    SIDES.forEach(function (s) { Object.keys(report[s.name][field]).forEach(function (k) { keys[k] = true; }); });
    return Object.keys(keys).sort();
  }

  function render(report) {
    var cur = report.current, cand = report.candidate;
    var cards = [
      ['Points issued', 'pointsIssued'], ['Points redeemed', 'pointsRedeemed'], ['Points expired', 'pointsExpired'],
      ['Outstanding points', 'outstandingPoints'], ['Liability (minor units)', 'liabilityMinor'], ['Cost share of revenue', 'costShareOfRevenue']
    ];
    var box = $('cards');
    box.textContent = '';
    cards.forEach(function (c) {
      var card = document.createElement('div');
      card.className = 'card';
      card.setAttribute('data-card', c[1]);
      card.setAttribute('data-current', String(cur[c[1]]));
      card.setAttribute('data-candidate', String(cand[c[1]]));
      var l = document.createElement('div'); l.className = 'label'; l.textContent = c[0];
      var v = document.createElement('div'); v.className = 'value';
      var d = document.createElement('div'); d.className = 'delta';
      if (typeof cur[c[1]] === 'number') {
        v.textContent = int(cand[c[1]]);
        d.textContent = 'in force: ' + int(cur[c[1]]) + ' (' + (cand[c[1]] - cur[c[1]] >= 0 ? '+' : '') + int(cand[c[1]] - cur[c[1]]) + ')';
      } else {
        v.textContent = cand[c[1]] === null ? '–' : cand[c[1]];
        d.textContent = 'in force: ' + (cur[c[1]] === null ? '–' : cur[c[1]]);
      }
      card.appendChild(l); card.appendChild(v); card.appendChild(d); box.appendChild(card);
    });
    var points = { issued: 'pointsIssued', redeemed: 'pointsRedeemed', expired: 'pointsExpired', outstanding: 'outstandingPoints' };
    grouped('chart-points', 'points', Object.keys(points), function (side, c) { return report[side][points[c]]; });
    grouped('chart-sources', 'sources', keysOf(report, 'pointsIssuedBySource'), function (side, c) { return report[side].pointsIssuedBySource[c] || 0; });
    grouped('chart-tiers', 'tiers', keysOf(report, 'membersByTier'), function (side, c) { return report[side].membersByTier[c] || 0; });
    grouped('chart-reach', 'reach', keysOf(report, 'membersReachingTier'), function (side, c) { return report[side].membersReachingTier[c] || 0; });
    var codes = Object.keys(cand.redemptionsRefused.byCode).sort();
    table('refusals', ['Code', 'Redemptions refused'], codes.map(function (code) { return [code, int(cand.redemptionsRefused.byCode[code])]; })
      .concat([['All (' + int(cand.redemptionsRefused.points) + ' points)', int(cand.redemptionsRefused.count)]]));
    table('segments', ['Segment', 'Members', 'Issued in force', 'Issued candidate', 'Redeemed in force', 'Redeemed candidate'],
      Object.keys(cur.bySegment).filter(function (name) { return cur.bySegment[name].members > 0; }).map(function (name) {
        var a = cur.bySegment[name], b = cand.bySegment[name];
        return [name, int(a.members), int(a.pointsIssued), int(b.pointsIssued), int(a.pointsRedeemed), int(b.pointsRedeemed)];
      }));
  }

  $('load-program').addEventListener('click', function () {
    state.key = $('api-key').value.trim();
    api('GET', '/v1/program').then(function (program) {
      delete program.version;
      delete program.configuredAt;
      $('program').value = JSON.stringify(program, null, 2);
      $('status').textContent = 'Loaded the program in force; edit it into the candidate.';
    }).catch(function (error) { $('status').className = 'error'; $('status').textContent = 'Could not load the program: ' + error.message; });
  });

  $('controls').addEventListener('submit', function (event) {
    event.preventDefault();
    state.key = $('api-key').value.trim();
    var status = $('status');
    status.className = '';
    var program;
    try { program = JSON.parse($('program').value); }
    catch (e) { status.className = 'error'; status.textContent = 'The candidate program is not JSON: ' + e.message; return; }
    status.textContent = 'Replaying…';
    var body = { program: program, from: $('from').value + 'T00:00:00Z', to: $('to').value + 'T00:00:00Z' };
    api('POST', '/v1/simulations', body).then(function (report) {
      render(report);
      $('content').hidden = false;
      status.textContent = 'Replayed ' + int(report.eventsRead) + ' events of ' + int(report.membersReplayed) + ' members, ' + report.from + ' to ' + report.to + '.';
      document.body.setAttribute('data-loaded', 'true');
    }).catch(function (error) {
      status.className = 'error';
      status.textContent = 'Could not simulate: ' + error.message;
    });
  });
})();
`;
