import { own } from '../../lib/own.ts';
import { en, type Messages } from './en.ts';
import { ja } from './ja.ts';
import { zhCN } from './zh-CN.ts';

export const LANGS = ['en', 'ja', 'zh-CN'] as const;
export type Lang = (typeof LANGS)[number];
export const LANG_NAMES: Record<Lang, string> = { en: 'English', ja: '日本語', 'zh-CN': '简体中文' };

const CATALOGS: Record<Lang, Messages> = { en, ja, 'zh-CN': zhCN };

/** Payment method names as customers in each market know them. */
const METHOD_NAMES: Record<Lang, Record<string, string>> = {
  en: { alipay: 'Alipay', wechatpay: 'WeChat Pay', unionpay: 'UnionPay' },
  ja: { alipay: 'Alipay（支付宝）', wechatpay: 'WeChat Pay', unionpay: '銀聯（UnionPay）' },
  'zh-CN': { alipay: '支付宝', wechatpay: '微信支付', unionpay: '银联' },
};

/** `?lang=` wins, then the first Accept-Language entry we have (by quality), then English. */
export function pickLang(query: string | undefined, acceptLanguage: string | undefined): Lang {
  const exact = LANGS.find((l) => l.toLowerCase() === query?.toLowerCase());
  if (exact) return exact;
  const wanted = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^q=([\d.]+)$/.exec(p.trim())?.[1]).find(Boolean);
      return { tag: tag.toLowerCase(), q: q ? Number(q) : 1 };
    })
    .filter((w) => w.tag && w.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of wanted) {
    if (tag === 'ja' || tag.startsWith('ja-')) return 'ja';
    // Traditional Chinese readers are better served by English than by simplified characters they may not expect.
    if (tag === 'zh' || tag === 'zh-cn' || tag === 'zh-hans' || tag.startsWith('zh-hans-') || tag === 'zh-sg')
      return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'en';
}

export type Translate = (pick: (m: Messages) => string, vars?: Record<string, string | number>) => string;

export interface I18n {
  lang: Lang;
  m: Messages;
  t: Translate;
  method: (method: string) => string;
  status: (status: string) => string;
}

export function i18n(lang: Lang): I18n {
  const m = CATALOGS[lang];
  const t: Translate = (pick, vars = {}) =>
    pick(m).replace(/\{(\w+)\}/g, (whole, key: string) => (key in vars ? String(vars[key]) : whole));
  return {
    lang,
    m,
    t,
    method: (method) => own(METHOD_NAMES[lang], method) ?? method,
    status: (status) => own(m.status, status) ?? status,
  };
}
