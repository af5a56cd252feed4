import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestMall, type TestMall } from '../support/mall.ts';
import { cspViolations, describeInBrowser, launchBrowser, logIn, orderFromStorefront } from './browser.ts';

/** WeChat's in-app browser on a phone names itself MicroMessenger; the checkout picks JSAPI by it. */
const WECHAT_UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36 MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 NetType/WIFI Language/en';

describeInBrowser('paying by WeChat JSAPI inside the simulated WeChat browser', () => {
  let t: TestMall;
  let browser: Browser;
  let profile: BrowserContext;
  let shop: Page;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestMall(), launchBrowser()]);
    profile = await browser.newContext({
      locale: 'en-US',
      userAgent: WECHAT_UA,
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    profile.setDefaultTimeout(10_000);
    shop = await profile.newPage();
    await logIn(shop, t.url, 'customer');
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** The simulated WeChat opens the shop's page in its own window and gives it WeixinJSBridge. */
  async function openInWechat(path: string): Promise<Page> {
    const wechat = await profile.newPage();
    await wechat.goto(`${t.url}/sandbox/wechatpay/in-app?url=${encodeURIComponent(`${t.url}${path}`)}`);
    const [inApp] = await Promise.all([wechat.waitForEvent('popup'), wechat.click('#open')]);
    await inApp.waitForLoadState();
    return inApp;
  }

  /** Checkout → WeChat's OAuth page (the test user alice) → the pay page with its JSAPI button, ready. */
  async function toJsapiPayPage(orderNo: string): Promise<Page> {
    const inApp = await openInWechat(`/checkout/${orderNo}`);
    const wallet = inApp.locator('form[data-method=wechatpay] button.wallet');
    expect(await wallet.getAttribute('value')).toBe('jsapi');
    await Promise.all([inApp.waitForURL(/\/sandbox\/wechatpay\/open\/connect\/oauth2\/authorize/), wallet.click()]);
    await Promise.all([inApp.waitForURL(/\/pay\/P\w+/), inApp.click('button[value=alice]')]);
    await inApp.waitForSelector('#jsapi[data-state=ready]');
    return inApp;
  }

  it('pays from the checkout inside WeChat: OAuth, the bridge’s pay sheet, the notification, the result page', async () => {
    const orderNo = await orderFromStorefront(shop, t.url, { 'FAN-SILK': 1 });
    const inApp = await toJsapiPayPage(orderNo);
    await inApp.click('#jsapi-pay');
    await inApp.click('[data-wechat-pay]');
    await inApp.waitForSelector('#jsapi[data-state=ok]');
    await t.settle();
    await inApp.waitForURL(/\/orders\/\w+\/result/);
    expect(await inApp.textContent('main')).toContain('Payment received');
    expect((await t.order(orderNo)).status).toBe('paid');
    expect(cspViolations(profile)).toEqual([]);
  });

  it('fails a getBrandWCPayRequest whose paySign is wrong, like the real client, and nothing is paid', async () => {
    const orderNo = await orderFromStorefront(shop, t.url, { 'FAN-SILK': 1 });
    const inApp = await toJsapiPayPage(orderNo);
    const params = JSON.parse((await inApp.getAttribute('#jsapi', 'data-params'))!) as Record<string, string>;
    const res = await inApp.evaluate(
      (p) =>
        new Promise<{ err_msg: string }>((resolve) =>
          (window as unknown as { WeixinJSBridge: { invoke: (...a: unknown[]) => void } }).WeixinJSBridge.invoke(
            'getBrandWCPayRequest',
            { ...p, paySign: `${p.paySign!.slice(0, -8)}AAAAAAA=` },
            resolve,
          ),
        ),
      params,
    );
    expect(res.err_msg).toBe('get_brand_wcpay_request:fail');
    expect(await inApp.locator('[data-wechat-sheet]').count()).toBe(0);
    await t.settle();
    expect((await t.order(orderNo)).status).toBe('pending_payment');
  });

  it('refuses a return from WeChat’s OAuth whose state is not this browser’s, and starts no payment', async () => {
    const orderNo = await orderFromStorefront(shop, t.url, { 'FAN-SILK': 1 });
    const code = (
      (await (
        await fetch(`${t.url}/sandbox/wechatpay/_control/oauth-code`, { method: 'POST', body: '{}' })
      ).json()) as { code: string }
    ).code;
    const res = await shop.goto(`${t.url}/checkout/${orderNo}/payer/wechatpay/jsapi?code=${code}&state=00ff`);
    expect(res?.status()).toBe(403);
    expect((await t.order(orderNo)).payments).toEqual([]);
  });

  it('offers no JSAPI and no in-app channels to a browser outside WeChat', async () => {
    const desktop = await browser.newContext();
    const page = await desktop.newPage();
    await logIn(page, t.url, 'customer');
    const orderNo = await orderFromStorefront(page, t.url, { 'FAN-SILK': 1 });
    await page.goto(`${t.url}/checkout/${orderNo}`);
    const values = await page
      .locator('form[data-method=wechatpay] button')
      .evaluateAll((bs) => bs.map((b) => b.getAttribute('value')));
    expect(values.sort()).toEqual(['h5', 'qr']);
    await desktop.close();
  });
});
