import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestMall, type TestMall } from '../support/mall.ts';
import {
  choose,
  describeInBrowser,
  launchBrowser,
  logIn,
  newProfile,
  orderFromStorefront,
  screenshot,
} from './browser.ts';

describeInBrowser('the pages in Japanese and Chinese', () => {
  let t: TestMall;
  let browser: Browser;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestMall(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function profile(locale: string, phone = false): Promise<{ context: BrowserContext; page: Page }> {
    const context = await newProfile(browser, { locale, phone });
    context.setDefaultTimeout(10_000);
    return { context, page: await context.newPage() };
  }

  it('serves a browser that asks for Japanese in Japanese, from the storefront to the success page, with yuan written CN¥', async () => {
    const { context, page } = await profile('ja-JP', true);
    await page.goto(`${t.url}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    expect(await page.textContent('h1')).toBe('商品一覧');
    expect(await page.textContent('li[data-sku=FAN-SILK]')).toContain('CN¥19.99');
    // Product names come from the catalog's translations, not the English seed.
    expect(await page.textContent('li[data-sku=FAN-SILK]')).toContain('絹の扇子');
    await logIn(page, t.url, 'customer');
    await screenshot(page, 'storefront-ja');

    const orderNo = await orderFromStorefront(page, t.url, { 'FAN-SILK': 1 });
    expect(await page.textContent('h1')).toBe('お支払い手続き');
    expect(await page.textContent('.summary')).toContain(orderNo);
    // On a phone each wallet's one button opens its phone channel; the QR code is under "other ways".
    expect(await page.getAttribute('button[data-wallet=alipay]', 'value')).toBe('wap');
    expect(await page.getAttribute('button[data-wallet=wechatpay]', 'value')).toBe('h5');
    await Promise.all([page.waitForURL(/\/pay\/P\w+/), choose(page, 'alipay', 'qr')]);
    expect(await page.textContent('figcaption')).toBe('Alipay（支付宝） でこのコードを読み取ってお支払いください。');
    expect(await page.textContent('#live-status')).toBe('お支払いをお待ちしています…');
    await screenshot(page, 'pay-qr-ja');

    const phone = await context.newPage();
    await phone.goto((await page.getAttribute('.qr', 'data-qr-content'))!);
    await phone.click('button.pay');
    await t.settle();
    await page.waitForURL(new RegExp(`/orders/${orderNo}/result`), { timeout: 15_000 });
    expect(await page.textContent('h1')).toBe('お支払いが完了しました');
    await screenshot(page, 'result-success-ja');
    await context.close();
  });

  it('keeps ?lang=zh-CN through login, links and forms, whatever the browser asks for', async () => {
    const { context, page } = await profile('en-US');
    await page.goto(`${t.url}/login?lang=zh-CN`);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.textContent('h1')).toBe('登录');
    await page.fill('#email', 'customer@demo.test');
    await page.fill('#password', 'demo-customer');
    await Promise.all([page.waitForURL(/\/\?lang=zh-CN$/), page.click('main form button[type=submit]')]);
    expect(await page.textContent('h1')).toBe('商品');

    await page.fill('#qty-MUG-CELADON', '1');
    await Promise.all([page.waitForURL(/\/cart\?lang=zh-CN/), page.click('form[data-add=MUG-CELADON] button')]);
    await Promise.all([page.waitForURL(/\/checkout\/M\w+\?lang=zh-CN/), page.click('#place-order')]);
    expect(await page.textContent('button[data-wallet=alipay]')).toBe('使用支付宝支付');
    expect(await page.textContent('button[data-wallet=wechatpay]')).toBe('使用微信支付支付');
    // A desktop browser gets the QR code first.
    expect(await page.getAttribute('button[data-wallet=wechatpay]', 'value')).toBe('qr');
    expect(await page.textContent('.summary')).toContain('青瓷马克杯');
    expect(await page.textContent('main')).toContain('¥45.00');
    await screenshot(page, 'checkout-zh-CN');

    await page.click('a[href^="/orders?lang=zh-CN"]');
    expect(await page.textContent('h1')).toBe('我的订单');
    expect(await page.textContent('main')).toContain('待支付');

    // Through Alipay's cashier and back: the return URL is Alipay's to make, without ?lang=, yet the result
    // page is still in Chinese.
    await page.goBack();
    await Promise.all([page.waitForURL(/\/pay\/P\w+/), choose(page, 'alipay', 'page')]);
    await Promise.all([page.waitForURL(/\/sandbox\/alipay\//), page.click('main a.button')]);
    await Promise.all([page.waitForURL(/\/orders\/M\w+\/result/), page.click('button.pay')]);
    expect(page.url()).not.toContain('lang=');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.textContent('h1')).toBe('支付成功');
    await context.close();
  });

  it('shows the staff console and a refund form in Chinese', async () => {
    const { orderNo } = await t.placeOrder([{ sku: 'INK-SET', quantity: 1 }]);
    const payment = await t.pay(orderNo, 'wechatpay', 'qr');
    await fetch(payment.action.content!);
    await t.control('wechatpay', `pay/${payment.paymentNo}`);
    await t.settle();

    const customer = await profile('zh-CN');
    await logIn(customer.page, t.url, 'customer', `/orders/${orderNo}/refund`);
    expect(await customer.page.textContent('h1')).toBe('申请退款');
    expect(await customer.page.textContent('.summary')).toContain('书法墨锭套装');
    expect(await customer.page.textContent('label[for=reason]')).toBe('退款原因');
    await customer.page.fill('#reason', '不需要了');
    await Promise.all([
      customer.page.waitForURL(/\/refunds\/R\w+/),
      customer.page.click('main form button[type=submit]'),
    ]);
    expect(await customer.page.textContent('#refund-status')).toBe('待审核');
    await screenshot(customer.page, 'refund-page-zh-CN');

    const staff = await profile('zh-CN');
    await logIn(staff.page, t.url, 'support', '/console/refunds');
    expect(await staff.page.textContent('h1')).toBe('退款审核');
    expect(await staff.page.textContent('main')).toContain('不需要了');
    await screenshot(staff.page, 'console-queue-zh-CN');
    await customer.context.close();
    await staff.context.close();
  });
});
