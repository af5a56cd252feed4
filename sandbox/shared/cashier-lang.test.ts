import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { beijingTimeText, cashierLang, cashierMoney, langFromAcceptLanguage } from './cashier-lang.ts';

describe('the test cashiers’ language and times', () => {
  it('takes the first Accept-Language entry it speaks, by quality, and no Traditional Chinese as Simplified', () => {
    expect(langFromAcceptLanguage('fr-FR, ja;q=0.8, en;q=0.5')).toBe('ja');
    expect(langFromAcceptLanguage('en;q=0.3, zh-CN;q=0.9')).toBe('zh-CN');
    expect(langFromAcceptLanguage('zh-Hans-CN')).toBe('zh-CN');
    expect(langFromAcceptLanguage('zh-TW')).toBeUndefined();
    expect(langFromAcceptLanguage('ja;q=0')).toBeUndefined();
    expect(langFromAcceptLanguage(undefined)).toBeUndefined();
    // Only the start of an oversized header is read.
    expect(langFromAcceptLanguage(`${'x-'.repeat(200)}, ja`)).toBeUndefined();
  });

  it('prefers the shop’s remembered choice to the browser’s language, and ignores a cookie it does not speak', async () => {
    const app = new Hono().get('/', (c) => c.text(cashierLang(c)));
    const ask = async (headers: Record<string, string>) => (await app.request('/', { headers })).text();
    expect(await ask({ 'accept-language': 'ja', cookie: 'mallpay_lang=zh-CN' })).toBe('zh-CN');
    expect(await ask({ 'accept-language': 'ja', cookie: 'mallpay_lang=fr' })).toBe('ja');
    expect(await ask({})).toBe('en');
  });

  it('writes a moment on Beijing’s clock with the zone named after it, and yuan as CN¥ in Japanese', () => {
    const at = '2026-12-04T16:05:00.000Z'; // 00:05 on 5 December in Beijing
    expect(beijingTimeText(at, 'en')).toBe('Dec 5, 2026, 00:05 (Beijing time)');
    expect(beijingTimeText(at, 'zh-CN')).toBe('2026年12月5日 00:05（北京时间）');
    expect(beijingTimeText(at, 'ja')).toBe('2026年12月5日 00:05（北京時間）');
    expect(cashierMoney(4500, 'ja')).toBe('CN¥45.00');
    expect(cashierMoney(4500, 'zh-CN')).toBe('¥45.00');
  });
});
