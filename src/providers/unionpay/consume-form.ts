import type { AcpFields } from './acp-fields.ts';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The browser consume: an auto-submitting POST form of all signed fields to frontTransReq.do
 * (docs/protocols/unionpay.md#transport).
 */
export function autoSubmitForm(action: string, fields: AcpFields): string {
  const inputs = Object.keys(fields)
    .map((k) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(fields[k]!)}">`)
    .join('\n');
  return `<form id="unionpay-consume" method="post" action="${escapeHtml(action)}" accept-charset="UTF-8">
${inputs}
<noscript><button type="submit">Continue to UnionPay</button></noscript>
</form>
<script>document.getElementById('unionpay-consume').submit();</script>`;
}
