import type { Context, Hono } from 'hono';
import { cashierLang, cashierMoney } from '../shared/cashier-lang.ts';
import { cashierWords, type CashierWords } from '../shared/cashier-text.ts';
import type { RecordStore } from '../shared/store.ts';
import type { BuyerActions } from './buyer.ts';
import type { AlipaySandboxKeys } from './keys.ts';
import type { SandboxTrade } from './trades.ts';

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function page(w: CashierWords, title: string, body: string, status = 200): Response {
  const html = `<!doctype html>
<html lang="${w.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} – Alipay ${esc(w.t((m) => m.sandbox))}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:28rem;margin:1rem auto;padding:0 1rem;color:#111}
.banner{background:#b00020;color:#fff;font-weight:700;padding:.5rem;text-align:center;letter-spacing:.1em}
dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
button{font-size:1.1rem;padding:.75rem;width:100%;margin:.4rem 0;border-radius:.4rem;border:1px solid #555;cursor:pointer}
.pay{background:#0958d9;color:#fff;border-color:#0958d9}
a.quit{display:block;text-align:center;padding:.75rem;margin:.4rem 0;color:#0b57d0}</style></head>
<body><p class="banner" role="note">${esc(w.t((m) => m.banner))}</p>
<main><h1>${esc(title)}</h1>${body}</main></body></html>`;
  return new Response(html, { status, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

function summary(w: CashierWords, t: SandboxTrade, sellerId: string): string {
  return `<dl><dt>${esc(w.t((m) => m.merchant))}</dt><dd>${esc(w.t((m) => m.alipaySeller, { app: t.appId, seller: sellerId }))}</dd>
<dt>${esc(w.t((m) => m.orderNumber))}</dt><dd>${esc(t.outTradeNo)}</dd><dt>${esc(w.t((m) => m.item))}</dt><dd>${esc(t.subject)}</dd>
<dt>${esc(w.t((m) => m.amount))}</dt><dd>${esc(cashierMoney(t.totalFen, w.lang))}</dd></dl>`;
}

/**
 * The wap cashier's way back to the shop: Alipay shows it when the merchant sent `quit_url`
 * (docs/protocols/alipay.md#page-and-wap-pay), so a buyer who leaves (or whose payment failed) in the same tab
 * returns to the shop instead of a dead end.
 */
const quitLink = (w: CashierWords, t: SandboxTrade) =>
  t.quitUrl ? `<a class="quit" href="${esc(t.quitUrl)}" data-quit>${esc(w.t((m) => m.backToShop))}</a>` : '';

function cashier(w: CashierWords, base: string, t: SandboxTrade, sellerId: string, note = ''): Response {
  const form = (action: string, label: string, cls: string) =>
    `<form method="post" action="${action}"><input type="hidden" name="out_trade_no" value="${esc(t.outTradeNo)}"><button type="submit" class="${cls}">${esc(label)}</button></form>`;
  return page(
    w,
    w.t((m) => m.alipayTitle),
    `${note}${summary(w, t, sellerId)}${form(
      `${base}/cashier/pay`,
      w.t((m) => m.pay),
      'pay',
    )}${form(
      `${base}/cashier/fail`,
      w.t((m) => m.fail),
      'fail',
    )}${quitLink(w, t)}`,
  );
}

/** What the buyer is told when the trade cannot be paid: the wire status stays, it is a test tool's page. */
const refusal = (w: CashierWords, trade: SandboxTrade | undefined) =>
  trade ? w.t((m) => m.alipayNoLongerPayable, { status: trade.status }) : w.t((m) => m.noSuchPayment);

/**
 * The hosted cashier: where the QR code (precreate) and the page/wap gateway redirect lead. `base` is the
 * sandbox's public URL (`…/sandbox/alipay`), so the forms post back wherever the page was reached from.
 * It speaks the browser's language (sandbox/shared/cashier-lang.ts).
 */
export function mountCashier(
  app: Hono,
  base: string,
  store: RecordStore,
  buyer: BuyerActions,
  keys: AlipaySandboxKeys,
): void {
  const words = (c: Context) => cashierWords(cashierLang(c));
  const show = async (c: Context, outTradeNo: string | undefined, how: 'scan' | 'view') => {
    const w = words(c);
    const opened = outTradeNo ? await buyer.open(outTradeNo, how) : { ok: false as const, error: 'no such trade' };
    if (!opened.ok)
      return page(
        w,
        w.t((m) => m.alipayCannotPay),
        `<p>${esc(refusal(w, opened.trade))}</p>${opened.trade ? `${summary(w, opened.trade, keys.sellerId)}${quitLink(w, opened.trade)}` : ''}`,
        404,
      );
    return cashier(w, base, opened.trade, keys.sellerId);
  };
  // Opening the QR code's URL is the "scan" that makes a precreated trade exist.
  app.get('/qr/:token', async (c) => show(c, await store.get<string>('qr', c.req.param('token')), 'scan'));
  app.get('/cashier', (c) => show(c, c.req.query('out_trade_no'), 'view'));

  app.post('/cashier/pay', async (c) => {
    const w = words(c);
    const form = await c.req.parseBody();
    const paid = await buyer.pay(String(form.out_trade_no ?? ''));
    if (!paid.ok)
      return page(
        w,
        w.t((m) => m.alipayNotPossible),
        `<p>${esc(refusal(w, paid.trade))}</p>${paid.trade ? quitLink(w, paid.trade) : ''}`,
        409,
      );
    const back = buyer.returnUrl(paid.trade);
    // The real cashier sends the browser back to return_url after paying; a scanned QR code has none.
    if (back) return c.redirect(back, 303);
    return page(
      w,
      w.t((m) => m.alipayPaid),
      `<p role="status">${esc(w.t((m) => m.alipayPaidText))}</p>${summary(w, paid.trade, keys.sellerId)}`,
    );
  });

  app.post('/cashier/fail', async (c) => {
    const w = words(c);
    const form = await c.req.parseBody();
    const failed = await buyer.fail(String(form.out_trade_no ?? ''));
    if (!failed.ok)
      return page(
        w,
        w.t((m) => m.alipayNotPossible),
        `<p>${esc(refusal(w, failed.trade))}</p>${failed.trade ? quitLink(w, failed.trade) : ''}`,
        409,
      );
    return cashier(w, base, failed.trade, keys.sellerId, `<p role="alert">${esc(w.t((m) => m.alipayFailedNote))}</p>`);
  });
}
