/** Money is an integer in minor units everywhere but at a provider's edge. */

export function assertMinorUnits(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`not an amount in minor units: ${amount}`);
}

/** 1999 → "19.99" (Alipay's yuan string), with string arithmetic only. */
export function toYuanString(fen: number): string {
  assertMinorUnits(fen);
  const s = String(fen).padStart(3, '0');
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
}

/** "19.99" → 1999; null for anything that is not a plain amount with at most two decimals. */
export function fromYuanString(yuan: string): number | null {
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(yuan);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** Amount for people: ¥19.99, in the page's language. */
export function formatMoney(amount: number, currency: string, locale = 'en'): string {
  const [whole, cents] = toYuanString(amount).split('.') as [string, string];
  const grouped = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(BigInt(whole));
  const symbol = currency === 'CNY' ? '¥' : `${currency} `;
  return `${symbol}${grouped}.${cents}`;
}
