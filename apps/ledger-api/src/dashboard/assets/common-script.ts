/**
 * What the dashboard and its simulation view share, as window.LoyaltyDashboard:
 * API calls that turn the API's error codes into sentences, number and date
 * formats, and Chart.js drawn with one look (readable axis text, legends,
 * no animation so a chart is complete as soon as it is drawn). Written
 * without template literals because it is embedded in one.
 */
export const DASHBOARD_COMMON_JS = String.raw`
(function () {
  'use strict';
  var COLORS = ['#2451b7', '#d9822b', '#2e8540', '#b3261e', '#7a4bb7', '#00838f'];
  var AXIS_FONT_PX = 13;
  var FRESHNESS_REFRESH_MS = 30000;
  /** A chart sized by its rows (segments, offers) keeps room for its axis and legend even with one row. */
  var SIZED_CHART_HEIGHT_MIN_PX = 180;
  var LABEL_LINE_CHARS_MAX = 12;

  /** What each stable code means to someone reading the dashboard; the code itself stays in small print. */
  var SENTENCES = {
    UNAUTHENTICATED: 'The API key was not recognised. Check it and try again.',
    FORBIDDEN: 'This key may not read analytics. Use an analyst or admin key.',
    RATE_LIMITED: 'Too many requests just now. Wait a few seconds and try again.',
    READ_MODEL_BEHIND: 'The figures are still catching up with recent activity. Try again in a moment.',
    DATABASE_UNAVAILABLE: 'The database is not answering at the moment. Try again later.',
    INTERNAL_ERROR: 'Something went wrong on the server and nothing was changed. Try again; if it keeps happening, tell the operators.',
    INVALID_DATE: 'Pick real dates for From and To.',
    INVALID_RANGE: 'The From date must be before the To date.',
    RANGE_TOO_LARGE: 'That period has too many steps to show at once (at most 1,000). Pick a shorter period or show it per week or month.',
    INVALID_GRANULARITY: 'Choose to show the period per day, week or month.',
    PROGRAM_NOT_CONFIGURED: 'The program has not been configured yet.',
    EXPERIMENT_NOT_FOUND: 'This experiment has no results yet.',
    VALIDATION_FAILED: 'Some fields are not valid.',
    INVALID_PROGRAM: 'The candidate program is not valid.',
    INVALID_INSTANT: 'Pick real dates for the window.',
    SIMULATION_WINDOW_IN_FUTURE: 'The window may not end in the future. Pick an earlier To date.',
    MALFORMED_JSON: 'The request was not valid JSON.',
    BODY_TOO_LARGE: 'The candidate program is too large to send.',
    BODY_TOO_DEEP: 'The candidate program is nested too deeply.',
    PROGRAM_NOT_JSON: 'The candidate program is not valid JSON; fix the text and try again.',
    NETWORK: 'The ledger could not be reached. Check the connection and try again.',
    PAGE_ERROR: 'The page could not show the figures. Reload it and try again.'
  };

  function ApiProblem(code, status, message, details) {
    this.code = code;
    this.status = status;
    this.message = message || '';
    this.details = details || {};
  }

  /** The problems the API listed (invalid fields, program problems), in words. */
  function particulars(problem) {
    var fields = problem.details.fields || [];
    if (fields.length) return fields.map(function (f) { return f.field + (f.problems ? ' (' + f.problems.join('; ') + ')' : ''); }).join(', ');
    var problems = problem.details.problems || [];
    if (problems.length) return problems.map(function (p) { return typeof p === 'string' ? p : (p.path ? p.path + ': ' : '') + (p.message || JSON.stringify(p)); }).join('; ');
    return '';
  }

  function sentence(problem) {
    var known = SENTENCES[problem.code];
    var extra = particulars(problem);
    if (known) return extra ? known + ' ' + extra + '.' : known;
    return 'The ledger refused the request' + (problem.message ? ': ' + problem.message : '.');
  }

  function api(key, method, path, body) {
    var init = { method: method, headers: { 'x-api-key': key } };
    if (body !== undefined) { init.headers['content-type'] = 'application/json'; init.body = JSON.stringify(body); }
    return fetch(path, init).catch(function () { throw new ApiProblem('NETWORK', 0); }).then(function (r) {
      return r.json().catch(function () { return null; }).then(function (json) {
        if (r.ok) return json;
        var error = (json && json.error) || {};
        throw new ApiProblem(error.code || 'HTTP_' + r.status, r.status, error.message, error.details);
      });
    });
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** A sentence first, then the code in small print for whoever reports it. */
  function showProblem(status, lead, problem) {
    clear(status);
    status.className = 'error';
    var known = problem instanceof ApiProblem ? problem : new ApiProblem('PAGE_ERROR', 0, problem && problem.message);
    status.appendChild(element('span', 'sentence', lead + ' ' + sentence(known)));
    status.appendChild(element('small', 'code', 'Code ' + known.code + (known.status ? ', HTTP ' + known.status : '')));
  }

  function showInfo(status, text) {
    clear(status);
    status.className = '';
    status.textContent = text;
  }

  function currencyFormat(currency) {
    try { return new Intl.NumberFormat(undefined, { style: 'currency', currency: currency || 'EUR' }); }
    catch (e) { return new Intl.NumberFormat(undefined, { style: 'currency', currency: 'EUR' }); }
  }
  function moneyFormatter(currency) {
    var format = currencyFormat(currency);
    var digits = format.resolvedOptions().maximumFractionDigits;
    return function (minor) { return minor === null ? '–' : format.format(minor / Math.pow(10, digits)); };
  }
  function int(n) { return n === null || n === undefined ? '–' : Number(n).toLocaleString(); }
  function pct(rate) { return rate === null || rate === undefined ? '–' : (rate * 100).toFixed(1) + ' %'; }
  function days(d) { return d === null || d === undefined ? '–' : d.toFixed(1) + ' days'; }

  var UTC = 'UTC';
  function utcDate(day) { return new Date(day + 'T00:00:00Z'); }
  /** Short axis labels per bucket, the full date in the tooltip. */
  function bucketLabel(start, granularity) {
    var d = utcDate(start);
    if (granularity === 'month') return d.toLocaleDateString(undefined, { month: 'short', year: 'numeric', timeZone: UTC });
    var day = d.toLocaleDateString(undefined, { day: 'numeric', month: 'short', timeZone: UTC });
    return granularity === 'week' ? 'Wk ' + day : day;
  }
  function bucketTitle(start, granularity) {
    var d = utcDate(start);
    if (granularity === 'month') return d.toLocaleDateString(undefined, { month: 'long', year: 'numeric', timeZone: UTC });
    var full = d.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'long', year: 'numeric', timeZone: UTC });
    return granularity === 'week' ? 'Week from ' + full : full;
  }
  function instant(iso) {
    return new Date(iso).toLocaleString(undefined, { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: UTC }) + ' UTC';
  }

  function ago(ms) {
    var minutes = Math.floor(ms / 60000);
    if (minutes < 1) return 'just now';
    if (minutes === 1) return 'a minute ago';
    if (minutes < 60) return minutes + ' minutes ago';
    var hours = Math.floor(minutes / 60);
    return hours === 1 ? 'an hour ago' : hours + ' hours ago';
  }

  /**
   * Whether the figures include every recorded event: the projector's lag
   * after the read, and whether it moved on while the figures were read.
   */
  function coverage(asOfPosition) {
    return fetch('/health/ready').then(function (r) { return r.json(); }).then(function (health) {
      var projector = health && health.checks && health.checks.projector;
      if (!projector || typeof projector !== 'object' || projector.lagEvents === null) return '';
      if (projector.lagEvents > 0) return ', ' + int(projector.lagEvents) + ' recent events not included yet (load again shortly)';
      return projector.position === asOfPosition ? ', all events included' : ', newer events arrived while loading (load again to include them)';
    }).catch(function () { return ''; });
  }

  /** "Updated 2 minutes ago, all events included", kept current while the page stays open. */
  function freshness(node, asOfPosition) {
    var loadedAtMs = Date.now();
    if (node.timer) clearInterval(node.timer);
    return coverage(asOfPosition).then(function (included) {
      var update = function () { node.textContent = 'Updated ' + ago(Date.now() - loadedAtMs) + included + '.'; };
      update();
      node.timer = setInterval(update, FRESHNESS_REFRESH_MS);
    });
  }

  if (window.Chart) {
    Chart.defaults.font.size = AXIS_FONT_PX;
    Chart.defaults.font.family = 'system-ui, sans-serif';
    Chart.defaults.color = '#3d4656';
    Chart.defaults.animation = false;
    Chart.defaults.responsive = true;
    Chart.defaults.maintainAspectRatio = false;
    Chart.defaults.plugins.legend.position = 'bottom';
    Chart.defaults.plugins.legend.labels.boxWidth = 14;
  }

  /** Lines of whole words, so a few named categories all show their names instead of being skipped for room. */
  function wrap(label) {
    return String(label).split(' ').reduce(function (lines, word) {
      var last = lines[lines.length - 1];
      if (last && (last + ' ' + word).length <= LABEL_LINE_CHARS_MAX) lines[lines.length - 1] = last + ' ' + word;
      else lines.push(word);
      return lines;
    }, []);
  }

  function isBlank(values) { return values.every(function (v) { return v === null || v === 0; }); }

  /**
   * One chart in a panel: series share the value axis (format: its tick and
   * tooltip text); the panel shows its empty message instead when every
   * series is zero or absent. Each dataset keeps the API field it plots.
   * everyLabel: a few named categories, each labelled (wrapped), none skipped.
   * stacked: the series are parts of one whole per category.
   */
  function drawChart(panel, spec) {
    var canvas = panel.querySelector('canvas');
    var box = panel.querySelector('.chart-box');
    var empty = panel.querySelector('.empty');
    var previous = Chart.getChart(canvas);
    if (previous) previous.destroy();
    var blank = spec.labels.length === 0 || spec.series.every(function (s) { return isBlank(s.data); });
    box.hidden = blank;
    empty.hidden = !blank;
    if (blank) return null;
    if (spec.heightPx) box.style.height = Math.max(spec.heightPx, SIZED_CHART_HEIGHT_MIN_PX) + 'px';
    var horizontal = spec.horizontal === true;
    var valueAxis = { beginAtZero: true, ticks: { callback: function (v) { return spec.format(v); }, maxTicksLimit: 6 }, grid: { color: '#e3e6eb' } };
    if (spec.integers !== false) valueAxis.ticks.precision = 0;
    var categoryAxis = { ticks: { autoSkip: !spec.everyLabel, autoSkipPadding: 12, maxRotation: 0 }, grid: { display: false } };
    if (spec.stacked) { valueAxis.stacked = true; categoryAxis.stacked = true; }
    if (spec.everyLabel && !horizontal) categoryAxis.ticks.callback = function (value) { return wrap(this.getLabelForValue(value)); };
    return new Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (s, i) {
          var color = s.color || COLORS[i % COLORS.length];
          return { label: s.label, field: s.field, data: s.data, backgroundColor: color, borderColor: color, borderWidth: spec.type === 'line' ? 2 : 0,
            borderDash: s.dash, pointRadius: spec.type === 'line' ? 3 : 0, pointStyle: s.pointStyle || 'circle', spanGaps: false, maxBarThickness: 48 };
        })
      },
      options: {
        indexAxis: horizontal ? 'y' : 'x',
        interaction: { mode: 'index', intersect: false, axis: horizontal ? 'y' : 'x' },
        layout: { padding: { top: 4, right: 8 } },
        plugins: {
          tooltip: { callbacks: {
            title: function (items) { return items.length ? (spec.titles || spec.labels)[items[0].dataIndex] : ''; },
            label: function (item) { return item.dataset.label + ': ' + spec.format(item.raw); }
          } }
        },
        scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis }
      }
    });
  }

  function table(node, headers, rows) {
    clear(node);
    var head = node.createTHead().insertRow();
    headers.forEach(function (h) { head.appendChild(element('th', '', h)); });
    var body = node.createTBody();
    rows.forEach(function (r) { var tr = body.insertRow(); r.forEach(function (c) { tr.insertCell().textContent = c; }); });
  }

  function card(box, name, label, text, attributes) {
    var node = element('div', 'card');
    node.setAttribute('data-card', name);
    Object.keys(attributes).forEach(function (k) { node.setAttribute(k, String(attributes[k])); });
    node.appendChild(element('div', 'label', label));
    node.appendChild(element('div', 'value', text));
    box.appendChild(node);
    return node;
  }

  function isoDay(d) { return d.toISOString().slice(0, 10); }

  window.LoyaltyDashboard = {
    COLORS: COLORS, api: api, showProblem: showProblem, showInfo: showInfo, sentence: sentence, ApiProblem: ApiProblem,
    moneyFormatter: moneyFormatter, int: int, pct: pct, days: days, bucketLabel: bucketLabel, bucketTitle: bucketTitle, instant: instant,
    freshness: freshness, drawChart: drawChart, table: table, card: card, clear: clear, element: element, isoDay: isoDay
  };
})();
`;
