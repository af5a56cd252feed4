import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openCashier } from '../support/browser-actions.ts';
import { startTestMall, type TestMall } from '../support/mall.ts';
import { describeInBrowser, launchBrowser, logIn, newProfile, screenshot } from './browser.ts';

describeInBrowser('rejected notifications and alerts in the console', () => {
  let t: TestMall;
  let browser: Browser;
  let support: Page;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestMall(), launchBrowser()]);
    support = await (await newProfile(browser)).newPage();
    support.context().setDefaultTimeout(10_000);
    await logIn(support, t.url, 'support', '/console/notifications');
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows a UnionPay notification rejected while its confirming query failed, replays it once the fault is gone, and the order is paid', async () => {
    const { orderNo } = await t.placeOrder();
    const payment = await t.pay(orderNo, 'unionpay', 'page');
    await openCashier(payment.action);
    await t.control('unionpay', 'faults', { call: { fault: 'error', api: 'queryTrans', times: 5 } });
    await t.control('unionpay', `pay/${payment.paymentNo}`);
    await t.mall.sandboxes!.notifier.flush();
    // Nothing runs the payment poller meanwhile: six minutes on, its job is overdue.
    t.clock.advance(6 * 60_000);

    await support.goto(`${t.url}/console/notifications?provider=unionpay`);
    const banner = support.locator('main [role=alert]');
    expect(await banner.locator('li[data-alert-kind=jobs_backing_up]').textContent()).toMatch(
      /1 background job\(s\) overdue/,
    );
    const card = support.locator('section[data-notification]').first();
    expect(await card.locator('.reason').textContent()).toBe('unconfirmed');
    expect(await card.locator('.order').textContent()).toBe(orderNo);
    expect(await card.locator('pre.raw').first().textContent()).toContain('txnType=01');
    expect((await t.order(orderNo)).status).toBe('pending_payment');
    await screenshot(support, 'console-notifications');
    // The list reads previews only; the whole body is on the notification's own page.
    await Promise.all([
      support.waitForURL(/\/console\/notifications\/\d+/),
      card.locator('a', { hasText: 'Full body' }).click(),
    ]);
    expect(await support.locator('section[data-notification] pre.raw').textContent()).toContain(
      `orderId=${payment.paymentNo}`,
    );
    await support.goto(`${t.url}/console/notifications?provider=unionpay`);

    // The cause is fixed: the provider answers queries again.
    await t.control('unionpay', 'faults', { clear: true });
    await Promise.all([support.waitForURL(/replayed=\d+/), card.locator('button', { hasText: 'Replay' }).click()]);
    expect(await support.textContent('[role=status]')).toMatch(/recorded as notification \d+, applied/);
    expect(await support.locator('section[data-notification]').first().locator('.later').textContent()).toBe(
      'Since then: applied',
    );
    expect((await t.order(orderNo)).status).toBe('paid');
  });

  it('shows the alerts banner on every console page, in the page’s language', async () => {
    await support.goto(`${t.url}/console/refunds?lang=ja`);
    expect(await support.locator('main [role=alert] h2').textContent()).toBe('要対応');
    expect(await support.locator('li[data-alert-kind=jobs_backing_up]').textContent()).toContain(
      'バックグラウンドジョブが 1 件',
    );
    await support.goto(`${t.url}/console/refunds`);
    await screenshot(support, 'console-alerts-banner');
    // Once the workers catch up, the banner is gone.
    await t.settle();
    await support.goto(`${t.url}/console/refunds`);
    expect(await support.locator('main [role=alert]').count()).toBe(0);
  });

  it('shows a forged body as text, never as markup', async () => {
    await fetch(`${t.url}/notify/alipay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'out_trade_no=<b id=forged>x</b>&sign=bad',
    });
    await support.goto(`${t.url}/console/notifications?provider=alipay`);
    const card = support.locator('section[data-notification]').first();
    expect(await card.locator('pre.raw').textContent()).toContain('<b id=forged>x</b>');
    expect(await support.locator('#forged').count()).toBe(0);
  });

  it('refuses the page to a customer and sends an anonymous visitor to log in', async () => {
    const customer = await (await newProfile(browser)).newPage();
    await logIn(customer, t.url, 'customer');
    expect((await customer.goto(`${t.url}/console/notifications`))?.status()).toBe(403);
    const anonymous = await (await newProfile(browser)).newPage();
    await anonymous.goto(`${t.url}/console/notifications`);
    expect(new URL(anonymous.url()).pathname).toBe('/login');
  });
});
