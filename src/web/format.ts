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

/** The mall runs on Beijing time: orders close and providers settle by it, so pages show it, named. */
export function time(at: Date | string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Asia/Shanghai',
    timeZoneName: 'short',
  }).format(new Date(at));
}
