/**
 * alipay-sdk's keyType must match the PEM, or signing fails (docs/protocols/alipay.md#alipay-sdk: the SDK defaults to
 * PKCS1).
 */
export function keyTypeOf(privateKeyPem: string): 'PKCS8' | 'PKCS1' {
  return privateKeyPem.includes('BEGIN PRIVATE KEY') ? 'PKCS8' : 'PKCS1';
}

/** docs/protocols/alipay.md#precreate: subject ≤ 256 characters and without `/ = &`. */
export function cleanSubject(subject: string): string {
  const s = subject.replace(/[/=&]/g, ' ').replace(/\s+/g, ' ').trim();
  return [...(s || 'order')].slice(0, 256).join('');
}

/** precreate takes a relative `timeout_express` (1m–15d); rounded up so the trade never outlives expiresAt by much. */
export function timeoutExpress(expiresAt: Date, now: Date): string {
  const minutes = Math.ceil((expiresAt.getTime() - now.getTime()) / 60_000);
  return `${Math.min(Math.max(minutes, 1), 15 * 1440)}m`;
}

export const OUT_TRADE_NO = /^[A-Za-z0-9_]{1,64}$/;

export const hasQuery = (url: string) => url.includes('?') || url.includes('#');
