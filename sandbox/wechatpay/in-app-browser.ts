import { Hono } from 'hono';
import { TEST_USERS } from './apps.ts';
import { esc } from './cashier.ts';

/**
 * The simulated WeChat in-app browser (issue 15): opens the shop's page in a window of its own (the shop's
 * pages refuse to be framed) and, as WeChat does, gives that page `WeixinJSBridge` and fires
 * `WeixinJSBridgeReady`. `getBrandWCPayRequest` sends the parameters to the sandbox's JSAPI client check
 * (clients.ts), which verifies paySign; a wrong one answers `get_brand_wcpay_request:fail`, a good one shows a
 * pay sheet over the page with Pay and Cancel. The shop decides JSAPI by its User-Agent (MicroMessenger): open
 * this page with such a User-Agent (a browser's device emulation, or Playwright's `userAgent`).
 */
export function inAppBrowserRoutes() {
  const app = new Hono();
  app.get('/in-app', (c) => {
    const url = c.req.query('url') ?? '/';
    const options = TEST_USERS.map((u) => `<option value="${u}">${u}</option>`).join('');
    return c.html(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>WeChat in-app browser · SANDBOX</title>
<style>body{font-family:system-ui,sans-serif;margin:0;background:#ededed}.bar{background:#07c160;color:#fff;padding:.6rem;font-weight:700}
main{padding:1rem;max-width:32rem}input,select,button{font-size:1rem;padding:.4rem;margin:.2rem 0}input{width:100%}</style></head>
<body><div class="bar" role="note">SANDBOX · simulated WeChat in-app browser</div><main>
<label>WeChat user <select id="user">${options}</select></label>
<label>Page <input id="url" value="${esc(url)}"></label>
<button id="open" type="button">Open in WeChat</button>
<p id="log" role="status"></p></main>
<script>${BRIDGE_SCRIPT}</script></body></html>`);
  });
  return app;
}

/** Runs in the simulated browser's own page; every call into the shop's window is same-origin. */
const BRIDGE_SCRIPT = `(function () {
  var win = null;
  var log = document.getElementById('log');
  function post(step, params) {
    return fetch('client/jsapi/' + step, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ params: params, user: document.getElementById('user').value }) })
      .then(function (r) { return r.json(); });
  }
  function sheet(w, info, done) {
    var d = w.document;
    var box = d.createElement('div');
    box.setAttribute('data-wechat-sheet', '');
    box.setAttribute('style', 'position:fixed;left:0;right:0;bottom:0;background:#fff;border-top:2px solid #07c160;padding:1rem;z-index:99999;font-family:system-ui,sans-serif;color:#111');
    var title = d.createElement('p');
    title.textContent = 'WeChat Pay (sandbox) · ' + info.description + ' · ' + info.amount;
    var pay = d.createElement('button');
    pay.textContent = 'Pay ' + info.amount;
    pay.setAttribute('data-wechat-pay', '');
    var cancel = d.createElement('button');
    cancel.textContent = 'Cancel';
    cancel.setAttribute('data-wechat-cancel', '');
    box.appendChild(title); box.appendChild(pay); box.appendChild(cancel);
    d.body.appendChild(box);
    pay.addEventListener('click', function () { box.remove(); done('pay'); });
    cancel.addEventListener('click', function () { box.remove(); done('cancel'); });
  }
  function bridgeFor(w) {
    return {
      invoke: function (name, params, cb) {
        var reply = function (res) { log.textContent = name + ': ' + res.err_msg; if (typeof cb === 'function') cb(res); };
        if (name !== 'getBrandWCPayRequest') return reply({ err_msg: name + ':fail unsupported in the sandbox' });
        post('check', params).then(function (r) {
          if (r.result !== 'checked') return reply({ err_msg: r.result, err_desc: r.desc });
          sheet(w, r, function (choice) {
            post(choice, params).then(function (p) { reply({ err_msg: p.result, err_desc: p.desc }); });
          });
        }, function () { reply({ err_msg: 'get_brand_wcpay_request:fail', err_desc: 'network' }); });
      },
      on: function () {},
      call: function () {},
    };
  }
  function inject() {
    if (!win || win.closed) return;
    try {
      var d = win.document;
      if (d.URL === 'about:blank' || d.readyState === 'loading' || win.WeixinJSBridge) return;
      win.WeixinJSBridge = bridgeFor(win);
      d.dispatchEvent(new win.Event('WeixinJSBridgeReady'));
    } catch (e) { /* a page of another origin: WeChat's bridge is not ours to give there */ }
  }
  document.getElementById('open').addEventListener('click', function () {
    win = window.open(document.getElementById('url').value, 'wechat-in-app');
  });
  setInterval(inject, 50);
})();`;
