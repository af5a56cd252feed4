import { formatMoney } from '../lib/money.ts';
import type { Lang } from './i18n/index.ts';

/**
 * Money in the currency's own format (¥19.99 for CNY). On Japanese pages a bare ¥ reads as yen, so the
 * yuan is written CN¥ there, as Japanese sites and Intl do.
 */
export function money(amount: number, currency: string, lang: Lang): string {
  const text = formatMoney(amount, currency, lang);
  return lang === 'ja' && currency === 'CNY' ? text.replace(/^¥/, 'CN¥') : text;
}

const ZONE: Record<Lang, string> = { en: 'Beijing time', ja: '北京時間', 'zh-CN': '北京时间' };

/**
 * The mall runs on Beijing time: orders close and providers settle by it, so pages show it, named. The zone is
 * written after the date and time, by name (Intl's short zone name lands inside a Chinese date: "2026年12月4日
 * GMT+8 16:44").
 */
export function time(at: Date | string, lang: Lang): string {
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
