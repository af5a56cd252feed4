import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { formatMoney } from '../../src/lib/money.ts';

/**
 * The languages the test cashiers speak: the shop's three. The real cashiers follow the phone's or the browser's
 * language; the sandbox does the same (Accept-Language), and in demo mode, where it is served on the shop's own
 * origin, it also sees the language the shopper chose on the shop. The sandbox keeps its own small table
 * (cashier-text.ts) and this picker: production never loads sandbox code, and the sandbox imports no shop feature.
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

/** Yuan as the shop writes them: ¥12.34, and CN¥ on Japanese pages, where a bare ¥ reads as yen. */
export function cashierMoney(fen: number, lang: CashierLang): string {
  const text = formatMoney(fen, 'CNY', lang);
  return lang === 'ja' ? text.replace(/^¥/, 'CN¥') : text;
}

const ZONE: Record<CashierLang, string> = { en: 'Beijing time', ja: '北京時間', 'zh-CN': '北京时间' };

/**
 * A moment in Beijing time (the providers' clock), formatted for the language, the zone named after it: Intl's
 * short zone name would land inside a Chinese date.
 */
export function beijingTimeText(at: Date | string, lang: CashierLang): string {
  const text = new Intl.DateTimeFormat(lang, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'Asia/Shanghai',
  }).format(new Date(at));
  return lang === 'en' ? `${text} (${ZONE[lang]})` : `${text}（${ZONE[lang]}）`;
}
