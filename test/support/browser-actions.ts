/** What a customer's browser does with a payment action: scan the QR code, follow the redirect, or submit the form. */
export async function openCashier(action: {
  type: string;
  content?: string;
  url?: string;
  html?: string;
}): Promise<string> {
  if (action.type === 'form') {
    const formAction = /<form[^>]*action="([^"]+)"/.exec(action.html!)![1]!;
    const fields = new URLSearchParams();
    for (const m of action.html!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g))
      fields.append(m[1]!, unescapeHtml(m[2]!));
    const res = await fetch(unescapeHtml(formAction), { method: 'POST', body: fields });
    if (res.status !== 200) throw new Error(`cashier refused the form: ${res.status} ${await res.text()}`);
    return res.text();
  }
  const res = await fetch(action.type === 'qr' ? action.content! : action.url!);
  if (res.status !== 200) throw new Error(`cashier did not open: ${res.status}`);
  return res.text();
}

function unescapeHtml(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The first payment channel each provider offers, for tests that go through every provider. */
export const CHANNEL = { alipay: 'qr', wechatpay: 'qr', unionpay: 'page' } as const;
export const PROVIDERS = ['alipay', 'wechatpay', 'unionpay'] as const;
