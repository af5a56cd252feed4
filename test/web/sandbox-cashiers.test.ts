import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestMall, type TestMall } from '../support/mall.ts';
import { axeProblems, choose, describeInBrowser, launchBrowser, logIn, newProfile } from './browser.ts';

/** HH:MM and the date parts of an instant on Beijing's clock (UTC+8, no daylight saving), worked out by hand. */
function onBeijingClock(iso: string) {
  const bj = new Date(Date.parse(iso) + 8 * 3600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return {
    year: bj.getUTCFullYear(),
    month: bj.getUTCMonth() + 1,
    day: bj.getUTCDate(),
    hhmm: `${two(bj.getUTCHours())}:${two(bj.getUTCMinutes())}`,
  };
}

describeInBrowser('the sandbox cashiers speak the shopper’s language and lead back to the shop', () => {
  let t: TestMall;
  let browser: Browser;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestMall(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows Alipay’s phone cashier in Japanese, and after Fail its way back lands on the shop’s pay page', async () => {
    const context = await newProfile(browser, { locale: 'ja-JP', phone: true });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await logIn(page, t.url, 'customer', '/');
    const { orderNo } = await t.placeOrder([{ sku: 'FAN-SILK', quantity: 1 }]);
    await page.goto(`${t.url}/checkout/${orderNo}`);
    // On a phone Alipay's one button is its wap channel, opened in the same tab.
    await Promise.all([page.waitForURL(/\/pay\/P\w+/), page.click('button[data-wallet=alipay]')]);
    const payPage = new URL(page.url()).pathname;
    await Promise.all([page.waitForURL(/\/sandbox\/alipay\/cashier/), page.click('main a.button')]);
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    expect(await page.textContent('h1')).toBe('Alipay（支付宝）テスト用レジ');
    expect(await page.textContent('button.pay')).toBe('支払う');
    expect(await page.textContent('main')).toContain('CN¥19.99');
    expect(await page.textContent('a[data-quit]')).toBe('ショップに戻る');
    const problems = await axeProblems(page);

    await Promise.all([page.waitForURL(/\/cashier\/fail/), page.click('button.fail')]);
    expect(await page.textContent('[role=alert]')).toContain('お支払いに失敗しました');
    problems.push(...(await axeProblems(page)));
    expect(problems).toEqual([]);
    await Promise.all([page.waitForURL((u) => u.pathname === payPage), page.click('a[data-quit]')]);
    // Back on the shop, still in Japanese, with the order still payable.
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    expect(await page.isVisible('main a.button')).toBe(true);
    expect((await t.order(orderNo)).status).toBe('pending_payment');
    await context.close();
  });

  it('shows UnionPay’s cashier in the language chosen on the shop, with the pay-by time in Beijing time', async () => {
    // The browser asks for English; the shop's ?lang=zh-CN choice (its cookie, same origin in demo mode) wins.
    const context = await newProfile(browser, { locale: 'en-US' });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await logIn(page, t.url, 'customer', '/');
    const { orderNo } = await t.placeOrder([{ sku: 'MUG-CELADON', quantity: 1 }]);
    await page.goto(`${t.url}/checkout/${orderNo}?lang=zh-CN`);
    await Promise.all([page.waitForURL(/\/sandbox\/unionpay\/cashier\//), choose(page, 'unionpay', 'page')]);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.textContent('h1')).toBe('银联在线支付');
    expect(await page.textContent('body')).toContain('¥45.00');

    // The order's deadline is UnionPay's payTimeout here (within its pay window), shown on Beijing's clock.
    const { year, month, day, hhmm } = onBeijingClock((await t.order(orderNo)).expiresAt);
    const payBy = (await page.textContent('time[data-pay-by]'))!;
    expect(payBy).toContain(`${year}年${month}月${day}日`);
    expect(payBy).toContain(hhmm);
    expect(payBy).toContain('北京时间');
    expect(payBy).not.toMatch(/\d{4}-\d\d-\d\dT|Z$/);
    const problems = await axeProblems(page);

    await Promise.all([page.waitForURL(/\/fail$/), page.click('form[action$="/fail"] button')]);
    expect(await page.textContent('#back button')).toBe('返回商户');
    problems.push(...(await axeProblems(page)));
    expect(problems).toEqual([]);
    await Promise.all([page.waitForURL(new RegExp(`/orders/${orderNo}/result`)), page.click('#back button')]);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await context.close();
  });

  it('shows WeChat Pay’s cashier in the phone’s Chinese when its QR code is scanned', async () => {
    const { orderNo } = await t.placeOrder([{ sku: 'FAN-SILK', quantity: 1 }]);
    const payment = await t.pay(orderNo, 'wechatpay', 'qr');
    const phone = await newProfile(browser, { locale: 'zh-CN', phone: true });
    phone.setDefaultTimeout(15_000);
    const page = await phone.newPage();
    await page.goto(payment.action.content!);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.textContent('h1')).toBe('微信支付（沙箱）');
    expect(await page.textContent('button.pay')).toBe('支付 ¥19.99');
    expect(await page.textContent('[data-state]')).toBe('未支付');
    expect(await axeProblems(page)).toEqual([]);
    await Promise.all([page.waitForURL(/\/cashier\/pay/), page.click('button.pay')]);
    expect(await page.textContent('h1')).toBe('已支付');
    await phone.close();
  });
});
