/**
 * The pay page's only script: counts down to the order's close and asks the API for the attempt's
 * status until it is decided, then goes to the result page. Everything it needs is in data attributes,
 * so nothing from the server is ever interpolated into code. The countdown starts from the server's
 * remaining seconds, not the browser's clock, which may be wrong.
 */
export const PAY_POLL_SCRIPT = `(function () {
  var box = document.getElementById('live');
  var d = box.dataset, left = Number(d.secondsLeft), start = Date.now();
  var countdown = document.getElementById('countdown'), status = document.getElementById('live-status');
  function tick() {
    var r = Math.max(0, left - Math.floor((Date.now() - start) / 1000));
    countdown.textContent = Math.floor(r / 60) + ':' + String(r % 60).padStart(2, '0');
  }
  function finish(message) { status.textContent = message; box.setAttribute('data-state', 'done'); location.assign(d.resultUrl); }
  function poll() {
    fetch(d.statusUrl, { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (p) {
        if (p && p.status === 'succeeded') return finish(d.msgDone);
        if (p && (p.status !== 'pending' || p.orderStatus !== 'pending_payment')) return finish(d.msgStopped);
        setTimeout(poll, Number(d.pollMs));
      }, function () { setTimeout(poll, Number(d.pollMs)); });
  }
  tick();
  setInterval(tick, 1000);
  setTimeout(poll, Number(d.pollMs));
})();`;
