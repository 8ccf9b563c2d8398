/**
 * The member page's script: takes the member token from the fragment, reads
 * /v1/me/* with it and renders through textContent only (nothing the API
 * returns is ever parsed as HTML). Each panel carries data-* attributes
 * with the API's figures, so what is shown can be checked against the API.
 * Written without template literals because it is embedded in one.
 */
export const MEMBER_PAGE_JS = String.raw`
(function () {
  'use strict';
  var EXPIRING_WITHIN_DAYS = 30;
  var $ = function (id) { return document.getElementById(id); };
  var token = new URLSearchParams(location.hash.slice(1)).get('token') || '';
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  var currency = null;

  function status(text, isError) {
    $('status').textContent = text;
    $('status').className = isError ? 'error' : '';
  }

  function api(path, body) {
    var init = { headers: { authorization: 'Bearer ' + token } };
    if (body) {
      init.method = 'POST';
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(path, init).then(function (r) {
      return r.json().then(function (payload) {
        if (!r.ok) {
          var error = new Error((payload && payload.error && payload.error.message) || ('HTTP ' + r.status));
          error.code = payload && payload.error && payload.error.code;
          throw error;
        }
        return payload;
      });
    });
  }

  function number(n) { return new Intl.NumberFormat().format(n); }
  function points(n) { return number(n) + (n === 1 ? ' point' : ' points'); }
  function money(minor) {
    if (!currency) return number(minor);
    var format = new Intl.NumberFormat(undefined, { style: 'currency', currency: currency });
    return format.format(minor / Math.pow(10, format.resolvedOptions().maximumFractionDigits));
  }
  function day(iso) { return new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric' }); }
  function qualifying(value, qualifyBy) {
    if (qualifyBy === 'spend') return money(value);
    if (qualifyBy === 'purchases') return number(value) + (value === 1 ? ' purchase' : ' purchases');
    return points(value);
  }

  function item(list, parts, data) {
    var li = document.createElement('li');
    Object.keys(data || {}).forEach(function (k) { li.setAttribute('data-' + k, String(data[k])); });
    parts.forEach(function (part) {
      var node = part.node || document.createElement('span');
      if (part.className) node.className = part.className;
      if (part.text !== undefined) node.textContent = part.text;
      li.appendChild(node);
    });
    list.appendChild(li);
    return li;
  }
  function empty(list, text) {
    list.textContent = '';
    if (text) item(list, [{ text: text, className: 'muted' }]);
  }

  function renderBalance(balance) {
    $('available').textContent = number(balance.available);
    $('available').setAttribute('data-value', String(balance.available));
    $('pending').textContent = balance.pending > 0 ? points(balance.pending) + ' on the way' : '';
  }

  function renderTier(tier) {
    currency = tier.currency;
    $('tier-name').textContent = tier.current || 'No tier';
    $('tier-panel').setAttribute('data-next', tier.next || '');
    $('tier-panel').setAttribute('data-remaining', tier.remaining === null ? '' : String(tier.remaining));
    var done = tier.qualifyingValue || 0;
    var percent = tier.next && tier.remaining !== null ? Math.floor((100 * done) / Math.max(done + tier.remaining, 1)) : 100;
    $('tier-fill').style.width = percent + '%';
    $('tier-meter').setAttribute('aria-valuenow', String(percent));
    var text = tier.next ? qualifying(tier.remaining, tier.qualifyBy) + ' to go to ' + tier.next + '.' : 'You hold the top tier.';
    if (tier.statusUntil) text += ' Your status runs until ' + day(tier.statusUntil) + '.';
    $('tier-text').textContent = text;
  }

  function renderRewards(rewards) {
    var list = $('rewards');
    var within = rewards.filter(function (r) { return r.eligible; }).sort(function (a, b) { return a.pointsToGo - b.pointsToGo; });
    empty(list, within.length ? '' : 'No rewards for you right now.');
    within.forEach(function (r) {
      var parts = [{ text: r.rewardId, className: 'name' }, { text: points(r.points) }];
      if (r.stockRemaining !== null) parts.push({ text: 'only ' + number(r.stockRemaining) + ' left', className: 'muted' });
      if (r.affordable) {
        var button = document.createElement('button');
        button.type = 'button';
        button.textContent = 'Redeem';
        button.setAttribute('aria-label', 'Redeem ' + r.rewardId + ' for ' + points(r.points));
        button.addEventListener('click', function () { redeem(r, button); });
        parts.push({ node: button });
      } else {
        parts.push({ text: points(r.pointsToGo) + ' to go', className: 'muted' });
      }
      item(list, parts, { reward: r.rewardId, affordable: r.affordable, 'points-to-go': r.pointsToGo });
    });
  }

  function renderCoupons(coupons) {
    var list = $('coupons');
    var active = coupons.filter(function (c) { return c.status === 'active'; });
    empty(list, active.length ? '' : 'No coupons yet.');
    active.forEach(function (c) {
      item(list, [
        { text: c.code, className: 'code' },
        { text: c.rewardId, className: 'name' },
        { text: 'Valid until ' + day(c.expiresAt), className: 'muted' },
      ], { code: c.code });
    });
  }

  function renderExpiring(expiring) {
    var list = $('expiring');
    $('expiring-panel').setAttribute('data-points', String(expiring.points));
    empty(list, expiring.expiring.length ? '' : 'Nothing expires in the next ' + EXPIRING_WITHIN_DAYS + ' days.');
    expiring.expiring.forEach(function (e) {
      item(list, [{ text: points(e.points), className: 'name' }, { text: 'expire on ' + day(e.expiresAt) }], { 'expires-at': e.expiresAt, points: e.points });
    });
  }

  function randomId(prefix) {
    var bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return prefix + Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  function redeem(reward, button) {
    button.disabled = true;
    api('/v1/me/redemptions', { redemptionId: randomId('web-'), rewardId: reward.rewardId })
      .then(function (r) { status('Redeemed ' + reward.rewardId + '.'); return load(r.position); })
      .catch(function (e) { button.disabled = false; status(e.message, true); });
  }

  $('feedback-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var rating = $('feedback-rating').value;
    var body = { feedbackId: randomId('web-'), kind: $('feedback-kind').value };
    if (rating) body.rating = Number(rating);
    if ($('feedback-subject').value.trim()) body.subject = $('feedback-subject').value.trim();
    if ($('feedback-text').value.trim()) body.text = $('feedback-text').value.trim();
    $('feedback-send').disabled = true;
    api('/v1/me/feedback', body)
      .then(function (r) {
        $('feedback-form').reset();
        $('feedback-status').className = '';
        $('feedback-status').textContent = 'Thank you!' + (r.pointsAwarded > 0 ? ' You earned ' + points(r.pointsAwarded) + '.' : '');
        return load(r.position);
      })
      .catch(function (e) { $('feedback-status').className = 'error'; $('feedback-status').textContent = e.message; })
      .then(function () { $('feedback-send').disabled = false; });
  });

  // After a write, the first read waits until the read models hold it, so every panel shows it.
  function load(afterPosition) {
    return api('/v1/me' + (afterPosition === undefined ? '' : '?minPosition=' + afterPosition)).then(function (me) {
      return Promise.all([
        me,
        api('/v1/me/balance'),
        api('/v1/me/tier'),
        api('/v1/me/rewards'),
        api('/v1/me/coupons'),
        api('/v1/me/expiring?withinDays=' + EXPIRING_WITHIN_DAYS),
      ]);
    }).then(function (r) {
      renderTier(r[2]);
      renderBalance(r[1]);
      renderRewards(r[3].rewards);
      renderCoupons(r[4].coupons);
      renderExpiring(r[5]);
      $('content').hidden = false;
      if (!/^Redeemed/.test($('status').textContent)) status(r[0].name ? 'Hello, ' + r[0].name + '.' : 'Hello.');
      document.body.setAttribute('data-loaded', 'true');
    });
  }

  if (!token) {
    status('Open this page from your program’s app to see your rewards.', true);
    return;
  }
  load().catch(function (e) {
    status(e.code === 'MEMBER_TOKEN_EXPIRED' ? 'Your session has ended: open this page again from the app.' : e.message, true);
  });
})();
`;
