import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { money, time } from '../../src/web/format.ts';

/**
 * The languages the test cashiers speak: the shop's three. The real cashiers follow the phone's or the browser's
 * language; the sandbox does the same (Accept-Language), and in demo mode, where it is served on the shop's own
 * origin, it also sees the language the shopper chose on the shop. The sandbox keeps its own small table
 * (cashier-text.ts) and this picker: production never loads sandbox code, and the sandbox imports no shop feature (only the shop's
 * money and time formatting, src/web/format.ts).
 */
export const CASHIER_LANGS = ['en', 'ja', 'zh-CN'] as const;
export type CashierLang = (typeof CASHIER_LANGS)[number];

/** The shop's remembered `?lang=` choice (src/web/web-context.ts); sent here only when the sandbox shares the origin. */
export const SHOP_LANG_COOKIE = 'mallpay_lang';

/** Accept-Language is a client header: only this much of it is read. */
const MAX_ACCEPT_LANGUAGE = 256;

function fromTag(tag: string): CashierLang | undefined {
  const t = tag.toLowerCase();
  if (t === 'ja' || t.startsWith('ja-')) return 'ja';
  // Traditional Chinese readers are served English rather than simplified characters, as on the shop's pages.
  if (t === 'zh' || t === 'zh-cn' || t === 'zh-hans' || t.startsWith('zh-hans-') || t === 'zh-sg') return 'zh-CN';
  if (t === 'en' || t.startsWith('en-')) return 'en';
  return undefined;
}

/** The first Accept-Language entry the cashier speaks, by quality; undefined when none. */
export function langFromAcceptLanguage(header: string | undefined): CashierLang | undefined {
  const wanted = (header ?? '')
    .slice(0, MAX_ACCEPT_LANGUAGE)
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^q=([\d.]+)$/.exec(p.trim())?.[1]).find(Boolean);
      return { tag: tag.trim(), q: q ? Number(q) : 1 };
    })
    .filter((w) => w.tag && w.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of wanted) {
    const lang = fromTag(tag);
    if (lang) return lang;
  }
  return undefined;
}

/** The shop's cookie when it reaches the sandbox (same origin), then Accept-Language, then English. */
export function cashierLang(c: Context): CashierLang {
  const chosen = getCookie(c, SHOP_LANG_COOKIE);
  const fromShop = CASHIER_LANGS.find((l) => l === chosen);
  return fromShop ?? langFromAcceptLanguage(c.req.header('accept-language')) ?? 'en';
}

/** Yuan as the shop writes them (¥12.34, CN¥ on Japanese pages): the shop's own formatting. */
export const cashierMoney = (fen: number, lang: CashierLang): string => money(fen, 'CNY', lang);

/** A moment in Beijing time (the providers' clock), formatted for the language with the zone named: the shop's own. */
export const beijingTimeText = (at: Date | string, lang: CashierLang): string => time(at, lang);
