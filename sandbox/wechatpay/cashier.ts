import { Hono, type Context } from 'hono';
import { formatMoney } from '../../src/lib/money.ts';
import { tradeKey, type TradeRecord } from './records.ts';
import type { TradeBook } from './trades.ts';

export const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** Only http(s) targets: the redirect_url comes from the query string, so anything else is dropped. */
function safeRedirect(v: string | undefined): string | null {
  if (!v) return null;
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null;
  } catch {
    return null;
  }
}

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · SANDBOX WeChat Pay</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f2f2f2;color:#1a1a1a}
.banner{background:#b00020;color:#fff;text-align:center;padding:.6rem;font-weight:700;letter-spacing:.05em}
main{max-width:28rem;margin:1.5rem auto;background:#fff;padding:1.25rem;border-radius:.5rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.4rem 1rem}dt{color:#555}dd{margin:0;word-break:break-all}
.amount{font-size:2rem;font-weight:700;text-align:center;margin:1rem 0}
form{margin:.75rem 0}button{width:100%;font-size:1.1rem;padding:.8rem;border-radius:.4rem;border:0;cursor:pointer}
.pay{background:#07c160;color:#fff}.fail{background:#e0e0e0;color:#1a1a1a}
</style></head>
<body><div class="banner" role="note">SANDBOX · test cashier, no real money moves</div><main>${body}</main></body></html>`;
}

function cashierBody(t: TradeRecord, pr: string, redirect: string | null): string {
  const hidden = `<input type="hidden" name="pr" value="${esc(pr)}">${redirect ? `<input type="hidden" name="redirect_url" value="${esc(redirect)}">` : ''}`;
  const info = `<h1>WeChat Pay (sandbox)</h1>
<dl><dt>Merchant</dt><dd>${esc(t.mchid)}</dd><dt>Item</dt><dd>${esc(t.description)}</dd><dt>Order no.</dt><dd>${esc(t.out_trade_no)}</dd><dt>Status</dt><dd>${esc(t.state)}</dd></dl>
<p class="amount" aria-label="Amount">${esc(formatMoney(t.total, 'CNY'))}</p>`;
  if (t.state !== 'NOTPAY' && t.state !== 'PAYERROR')
    return `${info}<p>This order is ${esc(t.state)}; nothing to pay.</p>`;
  return `${info}
<form method="post" action="cashier/pay">${hidden}<button class="pay" type="submit">Pay ${esc(formatMoney(t.total, 'CNY'))}</button></form>
<form method="post" action="cashier/fail">${hidden}<button class="fail" type="submit">Fail the payment</button></form>`;
}

/**
 * An h5_url past its 5 minutes. WeChat's own page for this is not documented; the sandbox answers a page
 * that says so and offers no way to pay (docs/sandbox/wechatpay.md: the wording is a guess, the dead end is not).
 */
const expiredPage = (c: Context) =>
  c.html(
    page(
      'Link expired',
      '<h1 data-state="expired">支付链接已过期 · This payment link has expired</h1><p>Go back to the shop and pay again: it will give you a new link.</p>',
    ),
    200,
  );

/**
 * The hosted cashier that code_url and h5_url lead to (`cashier?pr=…`, the sandbox's stand-in for
 * `weixin://wxpay/bizpayurl?pr=…`). Paying sends the browser to the H5 `redirect_url`, as WeChat does.
 */
export function cashierRoutes(book: TradeBook) {
  const app = new Hono();
  const form = async (c: { req: { parseBody(): Promise<Record<string, unknown>> } }) => {
    const body = await c.req.parseBody();
    return {
      pr: String(body.pr ?? ''),
      redirect: safeRedirect(typeof body.redirect_url === 'string' ? body.redirect_url : undefined),
    };
  };

  app.get('/cashier', async (c) => {
    const pr = c.req.query('pr') ?? '';
    const t = await book.findByPrepay(pr);
    if (!t) return c.html(page('Not found', '<h1>Unknown or expired payment link</h1>'), 404);
    if (await book.isExpiredLink(pr)) return expiredPage(c);
    return c.html(page(`Pay ${t.out_trade_no}`, cashierBody(t, pr, safeRedirect(c.req.query('redirect_url')))));
  });
  app.post('/cashier/pay', async (c) => {
    const { pr, redirect } = await form(c);
    const t = await book.findByPrepay(pr);
    if (!t) return c.html(page('Not found', '<h1>Unknown or expired payment link</h1>'), 404);
    if (await book.isExpiredLink(pr)) return expiredPage(c);
    const r = await book.pay(tradeKey(t.mchid, t.out_trade_no));
    if (!r.ok) return c.html(page('Not paid', `<h1>Payment refused</h1><p>${esc(r.error.message)}</p>`), 409);
    if (redirect) return c.redirect(redirect, 303);
    return c.html(
      page(
        'Paid',
        `<h1>Paid</h1><p>Order ${esc(t.out_trade_no)}: ${esc(formatMoney(t.total, 'CNY'))}. You can close this page.</p>`,
      ),
    );
  });
  app.post('/cashier/fail', async (c) => {
    const { pr, redirect } = await form(c);
    const t = await book.findByPrepay(pr);
    if (!t) return c.html(page('Not found', '<h1>Unknown or expired payment link</h1>'), 404);
    await book.fail(tradeKey(t.mchid, t.out_trade_no));
    if (redirect) return c.redirect(redirect, 303);
    return c.html(
      page(
        'Payment failed',
        `<h1>Payment failed</h1><p>Order ${esc(t.out_trade_no)} was not paid. No notification is sent.</p>`,
      ),
    );
  });
  return app;
}
