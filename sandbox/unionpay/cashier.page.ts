import { formatMoney } from '../../src/lib/money.ts';
import type { TxnRecord } from './records.ts';

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · SANDBOX UnionPay</title>
<style>
body{font-family:system-ui,sans-serif;max-width:32rem;margin:0 auto;padding:1rem;line-height:1.5}
.banner{background:#b00020;color:#fff;font-weight:700;padding:.5rem;text-align:center;border-radius:.25rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
button{font-size:1.1rem;padding:.75rem 1.5rem;margin:.5rem .5rem 0 0;min-width:8rem;cursor:pointer}
</style>
</head>
<body>
<p class="banner" role="note">SANDBOX — test cashier, no real money moves</p>
${body}
</body>
</html>`;
}

/** The test cashier a consume form leads to: who is paid, for what order, how much; Pay or Fail. */
export function cashierPage(t: TxnRecord, action: string): string {
  return page(
    'Pay',
    `<h1>UnionPay online payment</h1>
<dl>
<dt>Merchant</dt><dd>${escapeHtml(t.merId)}</dd>
<dt>Order number</dt><dd>${escapeHtml(t.orderId)}</dd>
<dt>Amount</dt><dd>${escapeHtml(formatMoney(Number(t.txnAmt), 'CNY'))}</dd>
<dt>Pay by</dt><dd>${escapeHtml(t.payBy ?? '—')}</dd>
</dl>
<form method="post" action="${escapeHtml(action)}/pay"><button type="submit">Pay</button></form>
<form method="post" action="${escapeHtml(action)}/fail"><button type="submit">Fail</button></form>`,
  );
}

export function messagePage(title: string, message: string, extra = ''): string {
  return page(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>\n${extra}`);
}

/** Posts the signed result fields to the merchant's frontUrl, like the real cashier's "return to merchant". */
export function returnForm(
  title: string,
  frontUrl: string,
  fields: Record<string, string>,
  autoSubmit: boolean,
): string {
  const inputs = Object.keys(fields)
    .map((k) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(fields[k]!)}">`)
    .join('\n');
  const form = `<form id="back" method="post" action="${escapeHtml(frontUrl)}" accept-charset="UTF-8">\n${inputs}\n<button type="submit">Return to merchant</button>\n</form>`;
  const script = autoSubmit ? `<script>document.getElementById('back').submit();</script>` : '';
  return messagePage(
    title,
    autoSubmit ? 'Returning to the merchant…' : 'You can return to the merchant.',
    `${form}\n${script}`,
  );
}
