import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestMall, type TestMall } from '../support/mall.ts';
import {
  choose,
  cspViolations,
  describeInBrowser,
  launchBrowser,
  logIn,
  newProfile,
  orderFromStorefront,
  screenshot,
} from './browser.ts';

describeInBrowser('paying from the pages in a real browser', () => {
  let t: TestMall;
  let browser: Browser;
  let profile: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestMall(), launchBrowser()]);
    profile = await newProfile(browser);
    profile.setDefaultTimeout(10_000);
    page = await profile.newPage();
    await logIn(page, t.url, 'customer');
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** The customer's phone scans the QR code: it opens what the code holds and pays at the sandbox cashier. */
  async function payOnPhone(qrContent: string, payButton: string): Promise<void> {
    const phone = await profile.newPage();
    await phone.goto(qrContent);
    await phone.click(payButton);
    await expect.poll(() => phone.textContent('body')).toMatch(/succeeded|Paid/);
    await phone.close();
  }

  it('shows the products as cards with picture, name, price and stock, and the logged-in customer', async () => {
    await page.goto(`${t.url}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    const fan = page.locator('li.product[data-sku=FAN-SILK]');
    expect(await fan.textContent()).toContain('Silk folding fan');
    expect(await fan.textContent()).toContain('¥19.99');
    expect(await fan.textContent()).toContain('200 in stock');
    // The picture is really there (served, decoded), not a broken image.
    expect(await fan.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(
      true,
    );
    // The one-fen product has a real name now.
    expect(await page.textContent('main')).not.toContain('Sample');
    expect(await page.textContent('li.product[data-sku=SAMPLE-1FEN]')).toContain('Paper bookmark');
    expect(await page.textContent('header')).toContain('customer@demo.test');
    await screenshot(page, 'storefront');
  });

  it('opens a product page with its description, and the cart keeps several products until the order is placed', async () => {
    await page.goto(`${t.url}/`);
    await Promise.all([page.waitForURL(/\/products\/MUG-CELADON/), page.click('text=Celadon mug')]);
    expect(await page.textContent('main')).toContain('jade green');
    await page.fill('#qty-MUG-CELADON', '2');
    await Promise.all([page.waitForURL(/\/cart/), page.click('form[data-add=MUG-CELADON] button')]);
    await page.goto(`${t.url}/products/FAN-SILK`);
    await Promise.all([page.waitForURL(/\/cart/), page.click('form[data-add=FAN-SILK] button')]);
    expect(await page.inputValue('#qty-MUG-CELADON')).toBe('2');
    expect(await page.inputValue('#qty-FAN-SILK')).toBe('1');
    expect(await page.textContent('#cart-total')).toBe('¥109.99');
    await Promise.all([page.waitForURL(/\/checkout\/M\w+/), page.click('#place-order')]);
    // The checkout shows what is bought, not a 26-digit heading.
    expect(await page.textContent('h1')).toBe('Checkout');
    const summary = page.locator('.summary');
    expect(await summary.locator('li').count()).toBe(2);
    expect(await summary.textContent()).toContain('2 × ¥45.00');
    expect(await summary.locator('.summary-total').textContent()).toBe('¥109.99');
    expect(await page.locator('ol.progress [aria-current]').textContent()).toBe('Pay');
    await page.goto(`${t.url}/cart`);
    expect(await page.textContent('main')).toContain('Your cart is empty.');
  });

  it('keeps every typed quantity after a refusal, and says beside the product, by name, how many are left', async () => {
    await page.goto(`${t.url}/products/INK-SET`);
    await Promise.all([page.waitForURL(/\/cart/), page.click('form[data-add=INK-SET] button')]);
    await page.goto(`${t.url}/products/TEA-LONGJING-250`);
    await Promise.all([page.waitForURL(/\/cart/), page.click('form[data-add=TEA-LONGJING-250] button')]);
    // Within the per-order cap (ORDER_MAX_UNITS_PER_PRODUCT, 20), above the 10 in stock.
    await page.fill('#qty-INK-SET', '15');
    await page.fill('#qty-TEA-LONGJING-250', '3');
    await page.click('#place-order');
    await page.waitForSelector('.field-error');
    expect(await page.inputValue('#qty-INK-SET')).toBe('15');
    expect(await page.inputValue('#qty-TEA-LONGJING-250')).toBe('3');
    expect(await page.textContent('[role=alert]')).toContain('Calligraphy ink set');
    expect(await page.textContent('main')).not.toContain('INK-SET');
    expect(await page.textContent('#err-INK-SET')).toMatch(/Only \d+ left/);
    expect(await page.getAttribute('#qty-INK-SET', 'aria-invalid')).toBe('true');
    await page.fill('#qty-INK-SET', '0');
    await page.fill('#qty-TEA-LONGJING-250', '0');
    await page.click('button[value=update]');
  });

  for (const [method, payButton] of [
    ['alipay', 'button.pay'],
    ['wechatpay', 'button.pay'],
  ] as const) {
    it(`pays a ${method} QR code scanned with the phone, and the pay page moves on to the success page by itself`, async () => {
      const orderNo = await orderFromStorefront(page, t.url, { 'FAN-SILK': 2 });
      if (method === 'alipay') await screenshot(page, 'checkout');
      expect(await page.textContent('main')).toContain('¥39.98');
      await Promise.all([page.waitForURL(/\/pay\/P\w+/), choose(page, method, 'qr')]);
      expect(await page.locator('.qr svg').count()).toBe(1);
      expect(await page.textContent('#countdown')).toMatch(/^(29|30):\d\d$/);
      if (method === 'alipay') await screenshot(page, 'pay-qr');
      await payOnPhone((await page.getAttribute('.qr', 'data-qr-content'))!, payButton);
      await t.settle();
      await page.waitForURL(new RegExp(`/orders/${orderNo}/result`), { timeout: 15_000 });
      expect(await page.textContent('main')).toContain('Payment received');
      expect(await page.getAttribute('[data-outcome]', 'data-outcome')).toBe('succeeded');
      if (method === 'alipay') await screenshot(page, 'result-success');
      expect((await t.order(orderNo)).status).toBe('paid');
    });
  }

  it('pays with UnionPay through its auto-submitting form and comes back to the success page', async () => {
    const orderNo = await orderFromStorefront(page, t.url, { 'MUG-CELADON': 1 });
    // The pay page submits the provider's form by itself: the next page is UnionPay's cashier.
    await Promise.all([page.waitForURL(/\/sandbox\/unionpay\/cashier\//), choose(page, 'unionpay', 'page')]);
    expect(await page.textContent('body')).toContain('¥45.00');
    await Promise.all([
      page.waitForURL(new RegExp(`/orders/${orderNo}/result`)),
      page.click('form[action$="/pay"] button'),
    ]);
    expect(await page.getAttribute('[data-outcome]', 'data-outcome')).toBe('succeeded');
    expect(await page.textContent('main')).toContain('UnionPay');
  });

  it('cancels an unpaid order from My orders: it closes, at the provider too, and its stock comes back', async () => {
    const stock = async () =>
      (await t.db.query<{ stock: number }>(`SELECT stock FROM products WHERE sku = 'INK-SET'`))[0]!.stock;
    const before = await stock();
    const orderNo = await orderFromStorefront(page, t.url, { 'INK-SET': 2 });
    const [payment] = await Promise.all([
      page.waitForURL(/\/pay\/P\w+/).then(() => page.url().split('/pay/')[1]!.split('?')[0]!),
      choose(page, 'wechatpay', 'qr'),
    ]);
    expect(await stock()).toBe(before - 2);
    await page.goto(`${t.url}/orders`);
    const card = page.locator(`section[data-order=${orderNo}]`);
    // Cancelling asks first: the link leads to a question, and "No" changes nothing.
    await Promise.all([page.waitForURL(/\/cancel$/), card.locator(`a[data-cancel=${orderNo}]`).click()]);
    expect(await page.textContent('h1')).toBe('Cancel this order?');
    expect(await page.textContent('main')).toContain('Calligraphy ink set');
    await Promise.all([page.waitForURL(/\/orders$/), page.click('text=No, keep it')]);
    expect(await card.locator('.order-status').textContent()).toBe('awaiting payment');
    expect(await stock()).toBe(before - 2);
    await page.click(`a[data-cancel=${orderNo}]`);
    await Promise.all([page.waitForURL(/\/orders$/), page.click('#confirm-cancel')]);
    // "closed" says why: this one was cancelled before its time ran out.
    expect(await card.locator('.order-status').textContent()).toBe('cancelled');
    expect(await card.locator(`a[data-cancel=${orderNo}]`).count()).toBe(0);
    expect(await stock()).toBe(before);
    expect((await t.control('wechatpay', `trades/${payment}`)).body).toMatchObject({
      transaction: { trade_state: 'CLOSED' },
    });
  });

  it('pays with Alipay on the website by following the redirect, and returns to the success page', async () => {
    const orderNo = await orderFromStorefront(page, t.url, { 'INK-SET': 1 });
    await Promise.all([page.waitForURL(/\/pay\/P\w+/), choose(page, 'alipay', 'page')]);
    await Promise.all([page.waitForURL(/\/sandbox\/alipay\//), page.click('main a.button')]);
    await Promise.all([page.waitForURL(new RegExp(`/orders/${orderNo}/result`)), page.click('button.pay')]);
    expect(await page.getAttribute('[data-outcome]', 'data-outcome')).toBe('succeeded');
  });

  it('lands on the failure page after a failed payment, and the customer pays again with another method', async () => {
    const orderNo = await orderFromStorefront(page, t.url, { 'FAN-SILK': 1 });
    await Promise.all([page.waitForURL(/\/sandbox\/unionpay\/cashier\//), choose(page, 'unionpay', 'page')]);
    await page.click('form[action$="/fail"] button');
    await Promise.all([page.waitForURL(new RegExp(`/orders/${orderNo}/result`)), page.click('#back button')]);
    expect(await page.getAttribute('[data-outcome]', 'data-outcome')).toBe('failed');
    expect(await page.textContent('main')).toContain('Nothing was charged');
    await screenshot(page, 'result-failure');

    await Promise.all([
      page.waitForURL(new RegExp(`/checkout/${orderNo}`)),
      page.getByRole('link', { name: 'Pay again' }).click(),
    ]);
    await Promise.all([page.waitForURL(/\/pay\/P\w+/), choose(page, 'wechatpay', 'qr')]);
    await payOnPhone((await page.getAttribute('.qr', 'data-qr-content'))!, 'button.pay');
    await t.settle();
    await page.waitForURL(new RegExp(`/orders/${orderNo}/result`), { timeout: 15_000 });
    expect(await page.getAttribute('[data-outcome]', 'data-outcome')).toBe('succeeded');
    const order = await t.order(orderNo);
    // A declined UnionPay try stays payable until payTimeout, so paying with another method closes it.
    expect(order.payments.map((p: { method: string; status: string }) => `${p.method}:${p.status}`)).toEqual([
      'unionpay:closed',
      'wechatpay:succeeded',
    ]);
  });

  it('sends a failed WeChat Pay QR payment to the failure page once the provider is asked', async () => {
    const orderNo = await orderFromStorefront(page, t.url, { 'FAN-SILK': 1 });
    await Promise.all([page.waitForURL(/\/pay\/P\w+/), choose(page, 'wechatpay', 'qr')]);
    const phone = await profile.newPage();
    await phone.goto((await page.getAttribute('.qr', 'data-qr-content'))!);
    // Wait for the cashier's answer: the failure must have reached the sandbox before the poller asks.
    await Promise.all([phone.waitForURL(/\/cashier\/fail/), phone.click('button.fail')]);
    await phone.close();
    // WeChat Pay sends no notification for a failure: the poller's next query finds it.
    t.clock.advance(5_000);
    await t.settle();
    await page.waitForURL(new RegExp(`/orders/${orderNo}/result`), { timeout: 15_000 });
    expect(await page.getAttribute('[data-outcome]', 'data-outcome')).toBe('failed');
    expect(await page.getAttribute('a.button', 'href')).toBe(`/checkout/${orderNo}`);
  });

  it('ran every flow above without the browser refusing anything under the pages’ Content-Security-Policy', () => {
    expect(cspViolations(profile)).toEqual([]);
  });
});
