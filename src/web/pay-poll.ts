/**
 * The pay page's own script: asks the API for the attempt's status until it is decided, then goes to the
 * result page. Everything it needs is in data attributes, so nothing from the server is ever interpolated
 * into code. When the customer chose another method (in another tab), this attempt is closed while the
 * order is still open: the page says so and sends nobody anywhere. The countdown is the page script's.
 */
export const PAY_POLL_SCRIPT = `(function () {
  var box = document.getElementById('live');
  var d = box.dataset;
  var status = document.getElementById('live-status');
  function finish(message) { status.textContent = message; box.setAttribute('data-state', 'done'); location.assign(d.resultUrl); }
  function poll() {
    fetch(d.statusUrl, { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (p) {
        if (p && p.status === 'succeeded') return finish(d.msgDone);
        if (p && p.status === 'closed' && p.orderStatus === 'pending_payment') {
          status.textContent = d.msgSwitched;
          box.setAttribute('data-state', 'switched');
          return;
        }
        if (p && (p.status !== 'pending' || p.orderStatus !== 'pending_payment')) return finish(d.msgStopped);
        setTimeout(poll, Number(d.pollMs));
      }, function () { setTimeout(poll, Number(d.pollMs)); });
  }
  setTimeout(poll, Number(d.pollMs));
})();`;
