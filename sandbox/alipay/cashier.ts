import type { Hono } from 'hono';
import { formatMoney } from '../../src/lib/money.ts';
import type { RecordStore } from '../shared/store.ts';
import type { BuyerActions } from './buyer.ts';
import type { AlipaySandboxKeys } from './keys.ts';
import type { SandboxTrade } from './trades.ts';

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function page(title: string, body: string, status = 200): Response {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} – Alipay SANDBOX</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:28rem;margin:1rem auto;padding:0 1rem;color:#111}
.banner{background:#b00020;color:#fff;font-weight:700;padding:.5rem;text-align:center;letter-spacing:.1em}
dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}dt{font-weight:600}
button{font-size:1.1rem;padding:.75rem;width:100%;margin:.4rem 0;border-radius:.4rem;border:1px solid #555;cursor:pointer}
.pay{background:#1677ff;color:#fff;border-color:#1677ff}</style></head>
<body><p class="banner" role="note">SANDBOX – test cashier, no real money moves</p>
<main><h1>${esc(title)}</h1>${body}</main></body></html>`;
  return new Response(html, { status, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

function summary(t: SandboxTrade, sellerId: string): string {
  return `<dl><dt>Merchant</dt><dd>${esc(t.appId)} (seller ${esc(sellerId)})</dd>
<dt>Order number</dt><dd>${esc(t.outTradeNo)}</dd><dt>Subject</dt><dd>${esc(t.subject)}</dd>
<dt>Amount</dt><dd>${esc(formatMoney(t.totalFen, 'CNY'))}</dd></dl>`;
}

function cashier(base: string, t: SandboxTrade, sellerId: string, note = ''): Response {
  const form = (action: string, label: string, cls: string) =>
    `<form method="post" action="${action}"><input type="hidden" name="out_trade_no" value="${esc(t.outTradeNo)}"><button type="submit" class="${cls}">${label}</button></form>`;
  return page(
    'Alipay test cashier',
    `${note}${summary(t, sellerId)}${form(`${base}/cashier/pay`, 'Pay', 'pay')}${form(`${base}/cashier/fail`, 'Fail', 'fail')}`,
  );
}

/**
 * The hosted cashier: where the QR code (precreate) and the page/wap gateway redirect lead. `base` is the
 * sandbox's public URL (`…/sandbox/alipay`), so the forms post back wherever the page was reached from.
 */
export function mountCashier(
  app: Hono,
  base: string,
  store: RecordStore,
  buyer: BuyerActions,
  keys: AlipaySandboxKeys,
): void {
  const show = async (outTradeNo: string | undefined, how: 'scan' | 'view') => {
    const opened = outTradeNo ? await buyer.open(outTradeNo, how) : { ok: false as const, error: 'no such trade' };
    if (!opened.ok)
      return page(
        'This payment cannot be made',
        `<p>${esc(opened.error)}</p>${opened.trade ? summary(opened.trade, keys.sellerId) : ''}`,
        404,
      );
    return cashier(base, opened.trade, keys.sellerId);
  };
  // Opening the QR code's URL is the "scan" that makes a precreated trade exist.
  app.get('/qr/:token', async (c) => show(await store.get<string>('qr', c.req.param('token')), 'scan'));
  app.get('/cashier', (c) => show(c.req.query('out_trade_no'), 'view'));

  app.post('/cashier/pay', async (c) => {
    const form = await c.req.parseBody();
    const paid = await buyer.pay(String(form.out_trade_no ?? ''));
    if (!paid.ok) return page('Payment not possible', `<p>${esc(paid.error)}</p>`, 409);
    const back = buyer.returnUrl(paid.trade);
    // The real cashier sends the browser back to return_url after paying; a scanned QR code has none.
    if (back) return c.redirect(back, 303);
    return page('Paid', `<p role="status">Payment succeeded.</p>${summary(paid.trade, keys.sellerId)}`);
  });

  app.post('/cashier/fail', async (c) => {
    const form = await c.req.parseBody();
    const failed = await buyer.fail(String(form.out_trade_no ?? ''));
    if (!failed.ok) return page('Payment not possible', `<p>${esc(failed.error)}</p>`, 409);
    return cashier(
      base,
      failed.trade,
      keys.sellerId,
      '<p role="alert">The payment failed (simulated). Nothing was charged; you may try again.</p>',
    );
  });
}
