import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestMall, type TestMall } from '../support/mall.ts';
import { cspViolations, describeInBrowser, launchBrowser, logIn, newProfile, screenshot } from './browser.ts';

describeInBrowser('face-to-face pay at the console: a barcode scanner types the buyer’s payment code', () => {
  let t: TestMall;
  let browser: Browser;
  let till: Page;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestMall({ PAYMENT_METHODS: 'alipay' }), launchBrowser()]);
    till = await (await newProfile(browser)).newPage();
    till.context().setDefaultTimeout(10_000);
    await logIn(till, t.url, 'support', '/console/payment-code');
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function scan(orderNo: string, code: string) {
    await till.goto(`${t.url}/console/payment-code`);
    await till.fill('input[name=orderNo]', orderNo);
    // A scanner is a keyboard: it types the digits and presses Enter.
    await till.locator('input[name=authCode]').pressSequentially(code);
    await Promise.all([till.waitForLoadState('load'), till.locator('input[name=authCode]').press('Enter')]);
  }

  it('takes the payment at once and says so in words', async () => {
    const { orderNo } = await t.placeOrder();
    await scan(orderNo, '280000000000000001');
    const card = till.locator('section[data-payment]');
    expect(await card.getAttribute('data-state')).toBe('paid');
    expect(await card.locator('[role=status]').textContent()).toMatch(/^Paid: ¥[\d,.]+ received\.$/);
    expect((await t.order(orderNo)).status).toBe('paid');
    await screenshot(till, 'console-payment-code');
    expect(cspViolations(till.context())).toEqual([]);
  });

  it('waits for the buyer’s password, then shows the payment taken once the buyer confirms', async () => {
    const { orderNo } = await t.placeOrder();
    await scan(orderNo, '280000000000000002');
    const card = till.locator('section[data-payment]');
    expect(await card.getAttribute('data-state')).toBe('waiting');
    for (let s = 0; s < 11; s++) {
      t.clock.advance(1000);
      await t.settle();
    }
    await Promise.all([till.waitForLoadState('load'), card.locator('a', { hasText: 'Check again' }).click()]);
    expect(await till.locator('section[data-payment]').getAttribute('data-state')).toBe('paid');
    expect((await t.order(orderNo)).status).toBe('paid');
  });

  it('refuses a misread code with a sentence in the page’s language and takes nothing', async () => {
    const { orderNo } = await t.placeOrder();
    await till.goto(`${t.url}/console/payment-code?lang=zh-CN`);
    await till.fill('input[name=orderNo]', orderNo);
    await till.locator('input[name=authCode]').pressSequentially('12345');
    await Promise.all([till.waitForLoadState('load'), till.locator('input[name=authCode]').press('Enter')]);
    expect(await till.locator('main [role=alert]').textContent()).toBe('这不是付款码。请重新扫描买家手机上的付款码。');
    expect((await t.order(orderNo)).payments).toEqual([]);
  });
});
