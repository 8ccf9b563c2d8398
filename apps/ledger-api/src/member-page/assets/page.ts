/**
 * The member page. Public HTML with no data and no secret: the operator's
 * app opens it as /member#token=<member token>; the fragment never reaches
 * a server or a log, the script moves the token into memory and drops it
 * from the address bar and history. TypeScript strings, like the
 * dashboard's, so the build ships them without a copy step.
 */
export const MEMBER_PAGE_HTML = String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Your rewards</title>
<link rel="stylesheet" href="/member/app.css">
</head>
<body>
<a class="skip" href="#content">Skip to your rewards</a>
<header>
  <h1>Your rewards</h1>
  <p id="status" role="status" aria-live="polite">Loading…</p>
</header>
<main id="content" tabindex="-1" hidden>
  <section class="panel" id="balance-panel" aria-labelledby="balance-title">
    <h2 id="balance-title">Points</h2>
    <p class="big"><span id="available" data-value="">0</span> <span class="unit">points</span></p>
    <p id="pending" class="muted"></p>
  </section>
  <section class="panel" id="tier-panel" aria-labelledby="tier-title">
    <h2 id="tier-title">Tier</h2>
    <p class="big" id="tier-name"></p>
    <div class="meter" id="tier-meter" role="progressbar" aria-labelledby="tier-text" aria-valuemin="0" aria-valuemax="100" aria-valuenow="0"><div class="fill" id="tier-fill"></div></div>
    <p id="tier-text"></p>
  </section>
  <section class="panel" id="rewards-panel" aria-labelledby="rewards-title">
    <h2 id="rewards-title">Rewards within reach</h2>
    <ul class="list" id="rewards"></ul>
  </section>
  <section class="panel" id="coupons-panel" aria-labelledby="coupons-title">
    <h2 id="coupons-title">Your coupons</h2>
    <p class="muted">Show or read the code at the till.</p>
    <ul class="list" id="coupons"></ul>
  </section>
  <section class="panel" id="expiring-panel" aria-labelledby="expiring-title">
    <h2 id="expiring-title">Points expiring soon</h2>
    <ul class="list" id="expiring"></ul>
  </section>
  <section class="panel" id="feedback-panel" aria-labelledby="feedback-title">
    <h2 id="feedback-title">Tell us what you think</h2>
    <form id="feedback-form" novalidate>
      <label for="feedback-kind">What is it</label>
      <select id="feedback-kind" name="kind"><option value="review">A review</option><option value="survey">A survey answer</option></select>
      <label for="feedback-rating">Rating</label>
      <select id="feedback-rating" name="rating"><option value="">No rating</option><option value="5">5 – excellent</option><option value="4">4 – good</option><option value="3">3 – fair</option><option value="2">2 – poor</option><option value="1">1 – bad</option></select>
      <label for="feedback-subject">About (optional)</label>
      <input id="feedback-subject" name="subject" maxlength="128" autocomplete="off">
      <label for="feedback-text">Your words (optional)</label>
      <textarea id="feedback-text" name="text" rows="4" maxlength="2000"></textarea>
      <button type="submit" id="feedback-send">Send</button>
    </form>
    <p id="feedback-status" role="status" aria-live="polite"></p>
  </section>
</main>
<script src="/member/app.js"></script>
</body>
</html>
`;

/** Mobile first: one column that never exceeds the viewport; two columns from 48rem. Colours keep at least 4.5:1 contrast (WCAG AA). */
export const MEMBER_PAGE_CSS = String.raw`
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; font-size: 1rem; line-height: 1.45; color: #1b1f29; background: #f3f4f7; overflow-wrap: anywhere; }
.skip { position: absolute; left: -100vw; }
.skip:focus { left: .5rem; top: .5rem; background: #fff; padding: .5rem; z-index: 1; }
header { background: #173f8f; color: #fff; padding: 1rem; }
h1 { margin: 0; font-size: 1.5rem; }
#status { margin: .25rem 0 0; }
#status.error { background: #fff; color: #9b1c1c; padding: .5rem; border-radius: 4px; }
main { display: grid; gap: .75rem; padding: .75rem; max-width: 72rem; margin: 0 auto; }
main:focus { outline: none; }
.panel { background: #fff; border: 1px solid #d5d9e0; border-radius: 8px; padding: 1rem; min-width: 0; }
h2 { margin: 0 0 .5rem; font-size: 1.15rem; }
.big { font-size: 2rem; font-weight: 700; margin: 0; }
.unit { font-size: 1rem; font-weight: 400; }
.muted { color: #4a5263; margin: .25rem 0; }
.meter { height: .9rem; background: #e3e7ef; border-radius: .45rem; overflow: hidden; margin: .5rem 0; }
.fill { height: 100%; width: 0; background: #1f6f43; }
.list { list-style: none; margin: 0; padding: 0; display: grid; gap: .5rem; }
.list li { border: 1px solid #e3e7ef; border-radius: 6px; padding: .6rem; display: flex; flex-wrap: wrap; gap: .25rem .75rem; align-items: center; justify-content: space-between; }
.list li .name { font-weight: 600; }
.code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 1.5rem; font-weight: 700; letter-spacing: .04em; }
@media (min-width: 30rem) { .code { font-size: 1.75rem; letter-spacing: .08em; } }
button { font: inherit; min-height: 2.75rem; padding: .5rem 1rem; border: 0; border-radius: 6px; background: #173f8f; color: #fff; cursor: pointer; }
button:disabled { background: #5d6574; cursor: default; }
form { display: grid; gap: .35rem; max-width: 40rem; }
label { font-weight: 600; margin-top: .4rem; }
input, select, textarea { font: inherit; width: 100%; max-width: 100%; padding: .55rem; border: 1px solid #7a8294; border-radius: 6px; background: #fff; color: inherit; }
form button { margin-top: .75rem; justify-self: start; }
:focus-visible { outline: 3px solid #b35c00; outline-offset: 2px; }
#feedback-status.error { color: #9b1c1c; }
@media (min-width: 48rem) {
  main { grid-template-columns: 1fr 1fr; padding: 1.5rem; gap: 1rem; }
  #feedback-panel { grid-column: 1 / -1; }
}
`;
