/**
 * The one script every page carries (its hash is in the pages' policy; nothing from the server is ever
 * interpolated into it, everything comes from data attributes):
 * - `[data-countdown]`: counts down from the server's remaining seconds (not the browser's clock, which may be
 *   wrong) and, under five minutes, marks itself low and shows the warning it names in `data-warn`.
 * - `[data-live-url]`: asks that JSON address for the status now and then; when it differs from
 *   `data-live-state`, the page's `main` is replaced in place by the server's current rendering of it. A page
 *   where nothing can change without the customer carries no such element, so nothing is asked.
 */
export const LIVE_SCRIPT = `(function () {
  var timers = [];
  function countdowns() {
    document.querySelectorAll('[data-countdown]').forEach(function (el) {
      var left = Number(el.getAttribute('data-seconds-left')), start = Date.now();
      function tick() {
        var r = Math.max(0, left - Math.floor((Date.now() - start) / 1000));
        el.textContent = Math.floor(r / 60) + ':' + String(r % 60).padStart(2, '0');
        if (r < 300 && !el.classList.contains('low')) {
          el.classList.add('low');
          var w = document.getElementById(el.getAttribute('data-warn') || '');
          if (w) w.hidden = false;
        }
      }
      tick();
      timers.push(setInterval(tick, 1000));
    });
  }
  function watch() {
    var live = document.querySelector('[data-live-url]');
    if (!live) return;
    var url = live.getAttribute('data-live-url'), state = live.getAttribute('data-live-state');
    var delay = Number(live.getAttribute('data-poll-ms')) || 3000;
    function poll() {
      fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } })
        .then(function (res) { return res.ok ? res.json() : null; })
        .then(function (j) {
          if (j && j.status + '/' + (j.orderStatus || '') !== state) return refresh();
          delay = Math.min(delay * 1.5, 30000);
          setTimeout(poll, delay);
        }, function () { setTimeout(poll, delay); });
    }
    setTimeout(poll, delay);
  }
  function refresh() {
    return fetch(location.href, { credentials: 'same-origin' })
      .then(function (res) { return res.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, 'text/html').querySelector('main');
        if (!fresh) return;
        timers.forEach(clearInterval);
        timers = [];
        document.querySelector('main').replaceWith(document.adoptNode(fresh));
        countdowns();
        watch();
      });
  }
  countdowns();
  watch();
})();`;
