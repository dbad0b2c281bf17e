/*
 * Flash sales: the countdown ticks, units left follow the crowd, a refused
 * "Buy now" in a queue retries by itself. Static file (the CSP forbids inline
 * scripts); pages are correct without it (the server renders the countdown).
 *
 * - <time data-countdown-to="<unix seconds>" data-countdown-locale="ar-EG">
 *   ticks every second with the locale's digits as the server formats numbers
 *   (CLDR via Babel: Latin digits), and reloads the page when it reaches zero
 *   (the sale started or ended: the server decides the prices).
 * - [data-flash-status] polls its URL with the items it shows, every 400 ms
 *   while the tab is visible (sold out shows within a second of the last claim;
 *   the answer comes from Redis or the shared cache, never PostgreSQL), and
 *   updates the bar, the count and sold out (no reload).
 * - form[data-flash-retry] (the waiting page) submits again after its delay.
 */
(function () {
  "use strict";

  function pad(locale) {
    try {
      return new Intl.NumberFormat(locale + "-u-nu-latn", { minimumIntegerDigits: 2, useGrouping: false });
    } catch (e) {
      return new Intl.NumberFormat("en", { minimumIntegerDigits: 2, useGrouping: false });
    }
  }

  function tick(timers) {
    var now = Date.now() / 1000;
    timers.forEach(function (t) {
      var left = Math.max(0, Math.floor(t.target - now));
      var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
      var text = [h, m, s].map(function (n) { return t.format.format(n); }).join(":");
      if (t.el.textContent !== text) { t.el.textContent = text; }
      if (left === 0 && !t.done) {
        t.done = true;
        // The sale started or ended: the page as the server now renders it.
        window.setTimeout(function () { window.location.reload(); }, 1500);
      }
    });
  }

  function startCountdowns() {
    var timers = Array.prototype.map.call(document.querySelectorAll("[data-countdown-to]"), function (el) {
      return { el: el, target: parseInt(el.getAttribute("data-countdown-to"), 10),
               format: pad(el.getAttribute("data-countdown-locale") || document.documentElement.lang || "en") };
    });
    if (!timers.length) { return; }
    tick(timers);
    window.setInterval(function () { tick(timers); }, 1000);
  }

  function apply(root, items) {
    Object.keys(items).forEach(function (id) {
      var state = items[id];
      var el = root.querySelector('[data-flash-item="' + id + '"][data-state="live"]');
      if (!el || state.state !== "live") { return; }
      var bar = el.querySelector("[data-flash-bar]");
      if (bar) { bar.value = state.left; bar.textContent = String(state.left); }
      var count = el.querySelector("[data-flash-left]");
      if (count && state.left_text) { count.textContent = state.left_text; }
      var soldOut = el.querySelector("[data-flash-sold-out]");
      var buy = el.querySelector("[data-flash-buy]");
      if (soldOut) { soldOut.hidden = !state.sold_out; }
      if (buy) { buy.hidden = state.sold_out; }
    });
  }

  function startPolling() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-flash-status]"), function (root) {
      var ids = Array.prototype.map.call(root.querySelectorAll('[data-flash-item][data-state="live"]'), function (el) {
        return el.getAttribute("data-flash-item");
      });
      if (!ids.length) { return; }
      var url = root.getAttribute("data-flash-status") + "?items=" + ids.join(",");
      var busy = false;
      function poll() {
        if (busy || document.hidden) { return; }
        busy = true;
        fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (data) { if (data && data.items) { apply(root, data.items); } })
          .catch(function () {})
          .then(function () { busy = false; });
      }
      window.setInterval(poll, 400);
    });
  }

  function startRetry() {
    var form = document.querySelector("form[data-flash-retry]");
    if (!form) { return; }
    var seconds = Math.max(1, parseInt(form.getAttribute("data-flash-retry"), 10) || 2);
    window.setTimeout(function () { form.submit(); }, seconds * 1000);
  }

  function start() { startCountdowns(); startPolling(); startRetry(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
