import { Hono, type Context } from 'hono';
import { cashierLang, cashierMoney } from '../shared/cashier-lang.ts';
import { cashierWords, type CashierWords } from '../shared/cashier-text.ts';
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

export function page(w: CashierWords, title: string, body: string): string {
  return `<!doctype html>
<html lang="${w.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · ${esc(w.t((m) => m.sandbox))} WeChat Pay</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f2f2f2;color:#1a1a1a}
.banner{background:#b00020;color:#fff;text-align:center;padding:.6rem;font-weight:700;letter-spacing:.05em}
main{max-width:28rem;margin:1.5rem auto;background:#fff;padding:1.25rem;border-radius:.5rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.4rem 1rem}dt{color:#555}dd{margin:0;word-break:break-all}
.amount{font-size:2rem;font-weight:700;text-align:center;margin:1rem 0}
form{margin:.75rem 0}button{width:100%;font-size:1.1rem;padding:.8rem;border-radius:.4rem;border:0;cursor:pointer}
.pay{background:#067a3e;color:#fff}.fail{background:#e0e0e0;color:#1a1a1a}
</style></head>
<body><div class="banner" role="note">${esc(w.t((m) => m.banner))}</div><main>${body}</main></body></html>`;
}

function cashierBody(w: CashierWords, t: TradeRecord, pr: string, redirect: string | null): string {
  const hidden = `<input type="hidden" name="pr" value="${esc(pr)}">${redirect ? `<input type="hidden" name="redirect_url" value="${esc(redirect)}">` : ''}`;
  const amount = cashierMoney(t.total, w.lang);
  const state = w.state((m) => m.wechatStates, t.state);
  const info = `<h1>${esc(w.t((m) => m.wechatTitle))}</h1>
<dl><dt>${esc(w.t((m) => m.merchant))}</dt><dd>${esc(t.mchid)}</dd><dt>${esc(w.t((m) => m.item))}</dt><dd>${esc(t.description)}</dd><dt>${esc(w.t((m) => m.orderNumber))}</dt><dd>${esc(t.out_trade_no)}</dd><dt>${esc(w.t((m) => m.status))}</dt><dd data-state="${esc(t.state)}">${esc(state)}</dd></dl>
<p class="amount" aria-label="${esc(w.t((m) => m.amount))}">${esc(amount)}</p>`;
  if (t.state !== 'NOTPAY' && t.state !== 'PAYERROR')
    return `${info}<p>${esc(w.t((m) => m.wechatNothingToPay, { state }))}</p>`;
  return `${info}
<form method="post" action="cashier/pay">${hidden}<button class="pay" type="submit">${esc(w.t((m) => m.wechatPayAmount, { amount }))}</button></form>
<form method="post" action="cashier/fail">${hidden}<button class="fail" type="submit">${esc(w.t((m) => m.wechatFail))}</button></form>`;
}

/**
 * An h5_url past its 5 minutes. WeChat's own page for this is not documented; the sandbox answers a page
 * that says so and offers no way to pay (docs/sandbox/wechatpay.md: the wording is a guess, the dead end is not).
 */
const expiredPage = (c: Context, w: CashierWords) =>
  c.html(
    page(
      w,
      w.t((m) => m.wechatLinkExpired),
      `<h1 data-state="expired">${esc(w.t((m) => m.wechatLinkExpiredHeading))}</h1><p>${esc(w.t((m) => m.wechatLinkExpiredText))}</p>`,
    ),
    200,
  );

const notFound = (c: Context, w: CashierWords) =>
  c.html(
    page(
      w,
      w.t((m) => m.notFound),
      `<h1>${esc(w.t((m) => m.wechatUnknownLink))}</h1>`,
    ),
    404,
  );

/**
 * The hosted cashier that code_url and h5_url lead to (`cashier?pr=…`, the sandbox's stand-in for
 * `weixin://wxpay/bizpayurl?pr=…`). Paying sends the browser to the H5 `redirect_url`, as WeChat does. It speaks
 * the browser's language, as WeChat follows the phone's (sandbox/shared/cashier-lang.ts).
 */
export function cashierRoutes(book: TradeBook) {
  const app = new Hono();
  const words = (c: Context) => cashierWords(cashierLang(c));
  const form = async (c: { req: { parseBody(): Promise<Record<string, unknown>> } }) => {
    const body = await c.req.parseBody();
    return {
      pr: String(body.pr ?? ''),
      redirect: safeRedirect(typeof body.redirect_url === 'string' ? body.redirect_url : undefined),
    };
  };

  app.get('/cashier', async (c) => {
    const w = words(c);
    const pr = c.req.query('pr') ?? '';
    const t = await book.findByPrepay(pr);
    if (!t) return notFound(c, w);
    if (await book.isExpiredLink(pr)) return expiredPage(c, w);
    return c.html(
      page(
        w,
        `${w.t((m) => m.pay)} ${t.out_trade_no}`,
        cashierBody(w, t, pr, safeRedirect(c.req.query('redirect_url'))),
      ),
    );
  });
  app.post('/cashier/pay', async (c) => {
    const w = words(c);
    const { pr, redirect } = await form(c);
    const t = await book.findByPrepay(pr);
    if (!t) return notFound(c, w);
    if (await book.isExpiredLink(pr)) return expiredPage(c, w);
    const r = await book.pay(tradeKey(t.mchid, t.out_trade_no));
    if (!r.ok)
      return c.html(
        page(
          w,
          w.t((m) => m.wechatNotPaid),
          `<h1>${esc(w.t((m) => m.wechatRefused))}</h1><p>${esc(r.error.message)}</p>`,
        ),
        409,
      );
    if (redirect) return c.redirect(redirect, 303);
    const amount = cashierMoney(t.total, w.lang);
    return c.html(
      page(
        w,
        w.t((m) => m.wechatPaid),
        `<h1>${esc(w.t((m) => m.wechatPaid))}</h1><p>${esc(w.t((m) => m.wechatPaidText, { orderNo: t.out_trade_no, amount }))}</p>`,
      ),
    );
  });
  app.post('/cashier/fail', async (c) => {
    const w = words(c);
    const { pr, redirect } = await form(c);
    const t = await book.findByPrepay(pr);
    if (!t) return notFound(c, w);
    await book.fail(tradeKey(t.mchid, t.out_trade_no));
    if (redirect) return c.redirect(redirect, 303);
    return c.html(
      page(
        w,
        w.t((m) => m.wechatFailed),
        `<h1>${esc(w.t((m) => m.wechatFailed))}</h1><p>${esc(w.t((m) => m.wechatFailedText, { orderNo: t.out_trade_no }))}</p>`,
      ),
    );
  });
  return app;
}
