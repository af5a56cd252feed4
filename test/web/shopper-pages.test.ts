import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CHANNEL, openCashier } from '../support/browser-actions.ts';
import { startTestMall, type TestMall } from '../support/mall.ts';
import {
  axeProblems,
  describeInBrowser,
  launchBrowser,
  logIn,
  newProfile,
  screenshot,
  sidewaysOverflow,
} from './browser.ts';

/** A reason with no spaces at all: it once made the page 5,000 px wide. */
const LONG_WORD = 'Thewrappingwasfullyunbrokenandthispasteduninterruptedreasonhasnospacesanywhere'.repeat(5);

describeInBrowser('the shopper’s pages in three languages, on a 360 px phone and a desktop', () => {
  let t: TestMall;
  let browser: Browser;
  let paidOrderNo: string;
  let refundNo: string;
  /** Paid, with no refund under way: its refund form is open. */
  let formOrderNo: string;

  async function paidOrder(items: { sku: string; quantity: number }[]): Promise<string> {
    const { orderNo } = await t.placeOrder(items);
    const payment = await t.pay(orderNo, 'alipay', CHANNEL.alipay);
    await openCashier(payment.action);
    await t.control('alipay', `pay/${payment.paymentNo}`);
    await t.settle();
    return orderNo;
  }

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestMall(), launchBrowser()]);
    const orderNo = await paidOrder([
      { sku: 'TEA-LONGJING-250', quantity: 1 },
      { sku: 'INK-SET', quantity: 1 },
    ]);
    paidOrderNo = orderNo;
    formOrderNo = await paidOrder([{ sku: 'FAN-SILK', quantity: 2 }]);
    const applied = await t.call('POST', `/api/orders/${orderNo}/refunds`, {
      as: 'customer',
      body: { reason: LONG_WORD, amount: 1000 },
    });
    expect(applied.status).toBe(201);
    refundNo = applied.body.refundNo as string;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Every customer page a journey passes through, for one browser profile. */
  async function journey(page: Page, lang: string): Promise<string[]> {
    const q = `lang=${lang}`;
    const { orderNo } = await t.placeOrder([{ sku: 'MUG-CELADON', quantity: 2 }]);
    await page.goto(`${t.url}/products/FAN-SILK?${q}`);
    await Promise.all([page.waitForURL(/\/cart/), page.click('form[data-add=FAN-SILK] button')]);
    return [
      `/?${q}`,
      `/products/FAN-SILK?${q}`,
      `/cart?${q}`,
      `/checkout/${orderNo}?${q}`,
      `/orders?${q}`,
      `/orders/${orderNo}/cancel?${q}`,
      `/orders/${formOrderNo}/refund?${q}`,
      `/refunds/${refundNo}?${q}`,
      `/orders/${paidOrderNo}/result?${q}`,
      `/notices?${q}`,
    ];
  }

  for (const lang of ['en', 'ja', 'zh-CN'] as const) {
    it(`never scrolls sideways at 360 px and has no serious accessibility problem, in ${lang}`, async () => {
      const context = await newProfile(browser, { locale: lang, phone: true, width: 360 });
      context.setDefaultTimeout(15_000);
      const page = await context.newPage();
      await page.goto(`${t.url}/login?lang=${lang}`);
      expect(await sidewaysOverflow(page)).toBe(0);
      const problems = await axeProblems(page);
      await logIn(page, t.url, 'customer', `/?lang=${lang}`);
      const wide: string[] = [];
      for (const path of await journey(page, lang)) {
        await page.goto(`${t.url}${path}`);
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        const overflow = await sidewaysOverflow(page);
        if (overflow > 0) wide.push(`${path}: ${overflow}px too wide`);
        problems.push(...(await axeProblems(page)));
        expect(await page.textContent('main')).not.toMatch(
          /_not_found|There is nothing here|ページが見つかりません|页面不存在/,
        );
        const name = path.split('?')[0]!.split('/')[1] || 'storefront';
        if (['storefront', 'checkout', 'refunds'].includes(name)) await screenshot(page, `${name}-phone-${lang}`, true);
      }
      // The pay page of an order: on a phone the wallet's one button opens its phone channel.
      await page.goto(`${t.url}/checkout/${(await t.placeOrder()).orderNo}?lang=${lang}`);
      await Promise.all([page.waitForURL(/\/pay\/P\w+/), page.click('button[data-wallet=wechatpay]')]);
      const overflow = await sidewaysOverflow(page);
      if (overflow > 0) wide.push(`pay: ${overflow}px too wide`);
      problems.push(...(await axeProblems(page)));
      await screenshot(page, `pay-phone-${lang}`, true);
      expect(wide).toEqual([]);
      expect(problems).toEqual([]);
      await context.close();
    }, 240_000);

    it(`shows the main pages at desktop width without a sideways scroll or a serious accessibility problem, in ${lang}`, async () => {
      const context = await newProfile(browser, { locale: lang, width: 1280 });
      context.setDefaultTimeout(15_000);
      const page = await context.newPage();
      await logIn(page, t.url, 'customer', `/?lang=${lang}`);
      const problems: string[] = [];
      for (const path of await journey(page, lang)) {
        await page.goto(`${t.url}${path}`);
        expect(await sidewaysOverflow(page)).toBe(0);
        problems.push(...(await axeProblems(page)));
        const name = path.split('?')[0]!.split('/')[1] || 'storefront';
        if (['storefront', 'checkout', 'refunds'].includes(name))
          await screenshot(page, `${name}-desktop-${lang}`, true);
      }
      expect(problems).toEqual([]);
      await context.close();
    }, 240_000);
  }

  it('shows the staff console with a spaceless refund reason without widening the page', async () => {
    const context = await newProfile(browser, { width: 1280 });
    const page = await context.newPage();
    await logIn(page, t.url, 'support', '/console/refunds');
    expect(await page.textContent('main')).toContain(LONG_WORD.slice(0, 40));
    expect(await sidewaysOverflow(page)).toBe(0);
    await context.close();
  }, 90_000);

  it('tells refusals in the customer’s language beside their field, with money as money, and keeps what was typed', async () => {
    const context = await newProfile(browser, { locale: 'ja' });
    const page = await context.newPage();
    await logIn(page, t.url, 'customer', `/orders/${formOrderNo}/refund?lang=ja`);
    // A reason of only spaces: said beside the reason, not as a banner repeating the field's label.
    await page.fill('#reason', '   ');
    await page.click('main form button[type=submit]');
    await page.waitForSelector('#reason-error');
    expect(await page.textContent('#reason-error')).toBe('返金を希望する理由をひとこと入力してください。');
    expect(await page.locator('[role=alert]').count()).toBe(0);
    expect(await page.getAttribute('#reason', 'aria-invalid')).toBe('true');
    // More than is refundable: the most that can be asked for, as money in yuan, not minor units.
    await page.fill('#reason', '箱が壊れていました');
    await page.fill('#amount', '9999');
    await page.click('main form button[type=submit]');
    await page.waitForSelector('#amount-error');
    const said = (await page.textContent('#amount-error'))!;
    expect(said).toContain('CN¥39.98');
    expect(said).not.toMatch(/3998|at most|amount_exceeds/);
    expect(await page.inputValue('#reason')).toBe('箱が壊れていました');
    expect(await page.inputValue('#amount')).toBe('9999');
    // An unknown order: no code on the page, a sentence in Japanese.
    await page.goto(`${t.url}/orders/M000/refund?lang=ja`);
    expect(await page.textContent('main')).not.toContain('order_not_found');
    expect(await page.textContent('main')).toMatch(/ページが見つかりません。|その番号の注文はありません。/);
    await context.close();
  }, 90_000);

  it('says in the old tab that another payment method was chosen, not that the payment failed', async () => {
    const context = await newProfile(browser);
    context.setDefaultTimeout(15_000);
    const first = await context.newPage();
    await logIn(first, t.url, 'customer', '/');
    const { orderNo } = await t.placeOrder();
    await first.goto(`${t.url}/checkout/${orderNo}`);
    await Promise.all([first.waitForURL(/\/pay\/P\w+/), first.click('button[data-wallet=alipay]')]);
    const second = await context.newPage();
    await second.goto(`${t.url}/checkout/${orderNo}`);
    await Promise.all([second.waitForURL(/\/pay\/P\w+/), second.click('button[data-wallet=wechatpay]')]);
    await first.waitForFunction(() => document.getElementById('live')?.dataset.state === 'switched');
    expect(await first.textContent('#live-status')).toContain('You chose another payment method');
    expect(await first.textContent('#live-status')).not.toContain('did not go through');
    await context.close();
  }, 90_000);

  it('warns on the pay page once less than five minutes are left to pay', async () => {
    const context = await newProfile(browser);
    const page = await context.newPage();
    await logIn(page, t.url, 'customer', '/');
    const { orderNo } = await t.placeOrder();
    await page.goto(`${t.url}/checkout/${orderNo}`);
    expect(await page.isVisible('#countdown-warning')).toBe(false);
    t.clock.advance(26 * 60_000);
    await Promise.all([page.waitForURL(/\/pay\/P\w+/), page.click('button[data-wallet=alipay]')]);
    expect(await page.getAttribute('#countdown', 'class')).toContain('low');
    expect(await page.isVisible('#countdown-warning')).toBe(true);
    expect(await page.textContent('#countdown-warning')).toContain('Less than 5 minutes left');
    await context.close();
  }, 90_000);

  it('keeps no private page in the browser: Back after logging out asks the server and lands on the login page', async () => {
    const context = await newProfile(browser);
    const page = await context.newPage();
    await logIn(page, t.url, 'customer', '/orders');
    const res = await page.goto(`${t.url}/orders`);
    expect(res?.headers()['cache-control']).toBe('no-store');
    expect(await page.textContent('h1')).toBe('My orders');
    await Promise.all([page.waitForURL(`${t.url}/`), page.click('header form button')]);
    await page.goBack();
    await page.waitForLoadState();
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.textContent('main')).not.toContain(paidOrderNo);
    await context.close();
  }, 90_000);

  it('serves a favicon instead of a 404, and product pictures a browser may keep', async () => {
    const icon = await fetch(`${t.url}/favicon.ico`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toContain('image/svg+xml');
    const picture = await fetch(`${t.url}/static/products/tea.svg`);
    expect(picture.status).toBe(200);
    expect(picture.headers.get('cache-control')).toContain('max-age=');
    expect((await fetch(`${t.url}/static/products/..%2Fstatic.routes.ts`)).status).toBe(404);
  }, 90_000);
});
