import { beijingTimeText, cashierMoney } from '../shared/cashier-lang.ts';
import { cashierWords, type CashierWords } from '../shared/cashier-text.ts';
import type { TxnRecord } from './records.ts';

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Pages nobody's browser language reached (the gateway's own refusals) are in English. */
const ENGLISH = cashierWords('en');

function page(w: CashierWords, title: string, body: string): string {
  return `<!doctype html>
<html lang="${w.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ${escapeHtml(w.t((m) => m.sandbox))} UnionPay</title>
<style>
body{font-family:system-ui,sans-serif;max-width:32rem;margin:0 auto;padding:1rem;line-height:1.5}
.banner{background:#b00020;color:#fff;font-weight:700;padding:.5rem;text-align:center;border-radius:.25rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
button{font-size:1.1rem;padding:.75rem 1.5rem;margin:.5rem .5rem 0 0;min-width:8rem;cursor:pointer}
</style>
</head>
<body>
<p class="banner" role="note">${escapeHtml(w.t((m) => m.banner))}</p>
${body}
</body>
</html>`;
}

/**
 * The test cashier a consume form leads to: who is paid, for what order, how much, until when (Beijing time, as
 * UnionPay's clock and `payTimeout` are); Pay or Fail.
 */
export function cashierPage(t: TxnRecord, action: string, w: CashierWords = ENGLISH): string {
  const payBy = t.payBy ? beijingTimeText(t.payBy, w.lang) : '—';
  return page(
    w,
    w.t((m) => m.pay),
    `<h1>${escapeHtml(w.t((m) => m.unionpayTitle))}</h1>
<dl>
<dt>${escapeHtml(w.t((m) => m.merchant))}</dt><dd>${escapeHtml(t.merId)}</dd>
<dt>${escapeHtml(w.t((m) => m.orderNumber))}</dt><dd>${escapeHtml(t.orderId)}</dd>
<dt>${escapeHtml(w.t((m) => m.amount))}</dt><dd>${escapeHtml(cashierMoney(Number(t.txnAmt), w.lang))}</dd>
<dt>${escapeHtml(w.t((m) => m.unionpayPayBy))}</dt><dd><time data-pay-by${t.payBy ? ` datetime="${escapeHtml(t.payBy)}"` : ''}>${escapeHtml(payBy)}</time></dd>
</dl>
<form method="post" action="${escapeHtml(action)}/pay"><button type="submit">${escapeHtml(w.t((m) => m.pay))}</button></form>
<form method="post" action="${escapeHtml(action)}/fail"><button type="submit">${escapeHtml(w.t((m) => m.fail))}</button></form>`,
  );
}

export function messagePage(title: string, message: string, extra = '', w: CashierWords = ENGLISH): string {
  return page(w, title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>\n${extra}`);
}

/** Posts the signed result fields to the merchant's frontUrl, like the real cashier's "return to merchant". */
export function returnForm(
  title: string,
  frontUrl: string,
  fields: Record<string, string>,
  autoSubmit: boolean,
  w: CashierWords = ENGLISH,
): string {
  const inputs = Object.keys(fields)
    .map((k) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(fields[k]!)}">`)
    .join('\n');
  const form = `<form id="back" method="post" action="${escapeHtml(frontUrl)}" accept-charset="UTF-8">\n${inputs}\n<button type="submit">${escapeHtml(w.t((m) => m.unionpayReturnButton))}</button>\n</form>`;
  const script = autoSubmit ? `<script>document.getElementById('back').submit();</script>` : '';
  return messagePage(
    title,
    w.t((m) => (autoSubmit ? m.unionpayReturning : m.unionpayCanReturn)),
    `${form}\n${script}`,
    w,
  );
}
