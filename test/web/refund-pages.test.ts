import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CHANNEL, openCashier } from '../support/browser-actions.ts';
import { startTestMall, type TestMall } from '../support/mall.ts';
import { describeInBrowser, launchBrowser, logIn, newProfile, screenshot } from './browser.ts';

describeInBrowser('refunds from the pages: the customer applies, support reviews in the console', () => {
  let t: TestMall;
  let browser: Browser;
  let customer: Page;
  let support: Page;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestMall(), launchBrowser()]);
    customer = await (await newProfile(browser)).newPage();
    support = await (await newProfile(browser)).newPage();
    customer.context().setDefaultTimeout(10_000);
    support.context().setDefaultTimeout(10_000);
    await logIn(customer, t.url, 'customer');
    await logIn(support, t.url, 'support', '/console/refunds');
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** An order paid through the sandbox over the API: these tests are about what comes after. */
  async function paidOrder(method: 'alipay' | 'wechatpay' | 'unionpay'): Promise<string> {
    const { orderNo } = await t.placeOrder([{ sku: 'TEA-LONGJING-250', quantity: 1 }]);
    const payment = await t.pay(orderNo, method, CHANNEL[method]);
    await openCashier(payment.action);
    await t.control(method, `pay/${payment.paymentNo}`);
    await t.settle();
    expect((await t.order(orderNo)).status).toBe('paid');
    return orderNo;
  }

  async function applyInBrowser(orderNo: string, reason: string, amount?: string): Promise<string> {
    await customer.goto(`${t.url}/orders`);
    await Promise.all([
      customer.waitForURL(`**/orders/${orderNo}/refund`),
      customer.click(`section[data-order=${orderNo}] a:has-text("Ask for a refund")`),
    ]);
    await customer.fill('#reason', reason);
    if (amount !== undefined) await customer.fill('#amount', amount);
    await Promise.all([customer.waitForURL(/\/refunds\/R\w+/), customer.click('main form button[type=submit]')]);
    return /\/refunds\/(R\w+)/.exec(customer.url())![1]!;
  }

  async function decideInConsole(refundNo: string, action: 'approve' | 'reject', note: string): Promise<void> {
    await support.goto(`${t.url}/console/refunds`);
    const card = support.locator(`section[data-refund=${refundNo}]`);
    await card.locator('textarea').fill(note);
    await Promise.all([support.waitForURL(/done=/), card.locator(`button[value=${action}]`).click()]);
    expect(await support.textContent('[role=status]')).toContain(refundNo);
  }

  const refundStatus = async (refundNo: string) => {
    await customer.goto(`${t.url}/refunds/${refundNo}`);
    return customer.getAttribute('#refund-status', 'data-status');
  };

  it('takes an Alipay refund of everything refundable from the form, approved in the console, and shows it refunded', async () => {
    const orderNo = await paidOrder('alipay');
    await customer.goto(`${t.url}/orders`);
    expect(await customer.textContent(`section[data-order=${orderNo}] .order-status`)).toBe('paid');
    await screenshot(customer, 'orders');
    await Promise.all([
      customer.waitForURL(`**/orders/${orderNo}/refund`),
      customer.click(`section[data-order=${orderNo}] a:has-text("Ask for a refund")`),
    ]);
    expect(await customer.inputValue('#amount')).toBe('128.00');
    expect(await customer.textContent('#refundable')).toBe('¥128.00');
    await screenshot(customer, 'refund-form');

    const refundNo = await applyInBrowser(orderNo, 'The tea arrived damp');
    expect(await refundStatus(refundNo)).toBe('pending_review');
    await support.goto(`${t.url}/console/refunds`);
    const card = support.locator(`section[data-refund=${refundNo}]`);
    expect(await card.textContent()).toContain('The tea arrived damp');
    expect(await card.textContent()).toContain(orderNo);
    // Beside the application: the payment and the provider's notification that paid it.
    expect(await card.locator('details').textContent()).toMatch(/alipay · payment · applied/);
    await screenshot(support, 'console-queue');

    await decideInConsole(refundNo, 'approve', 'Damp goods, refund in full');
    await t.settle();
    expect(await refundStatus(refundNo)).toBe('succeeded');
    expect(await customer.textContent('main')).toContain('Refunded: ¥128.00');
    expect(await customer.getAttribute('li[data-step=result]', 'class')).toBe('done');
    await screenshot(customer, 'refund-page');
    expect((await t.order(orderNo)).status).toBe('refunded');
  });

  for (const method of ['wechatpay', 'unionpay'] as const) {
    it(`shows a partial ${method} refund at the provider, then refunded once the provider settles it`, async () => {
      const orderNo = await paidOrder(method);
      const refundNo = await applyInBrowser(orderNo, 'Only one of two boxes wanted', '50.00');
      await decideInConsole(refundNo, 'approve', 'Partial refund agreed');
      await t.settle();
      expect(await refundStatus(refundNo)).toBe('processing');
      expect(await customer.textContent('main')).toContain('Expected:');
      await t.control(method, `refunds/${refundNo}`, { outcome: 'succeeded' });
      await t.settle();
      expect(await refundStatus(refundNo)).toBe('succeeded');
      expect(await customer.textContent('main')).toContain('¥50.00');
      expect((await t.order(orderNo)).status).toBe('partially_refunded');
    });
  }

  it('shows a rejected application with the reviewer’s note, and the order is paid again', async () => {
    const orderNo = await paidOrder('alipay');
    const refundNo = await applyInBrowser(orderNo, 'Changed my mind after a year');
    await decideInConsole(refundNo, 'reject', 'Opened and used');
    expect(await refundStatus(refundNo)).toBe('rejected');
    expect(await customer.textContent('#refund-status')).toBe('not approved');
    // A rejected refund was never sent: no "Sent to Alipay: Not yet", and the note is told once.
    expect(await customer.locator('li[data-step=sent]').count()).toBe(0);
    expect(await customer.textContent('main')).not.toContain('Not yet');
    const main = (await customer.textContent('main'))!;
    expect(main.split('Opened and used').length - 1).toBe(1);
    expect(await customer.textContent('li[data-step=result]')).toContain('Opened and used');
    expect((await t.order(orderNo)).status).toBe('paid');
  });

  it('updates the refund page in place when staff decide, without reloading it, and stops asking once decided', async () => {
    const orderNo = await paidOrder('alipay');
    const refundNo = await applyInBrowser(orderNo, 'Wrong colour');
    // While under review the order says a refund is requested, not that one is under way.
    expect(await customer.locator('#refund-status').textContent()).toBe('under review');
    expect(await customer.locator('meta[http-equiv=refresh]').count()).toBe(0);
    await customer.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    await decideInConsole(refundNo, 'reject', 'Colour as pictured');
    await customer.waitForFunction(
      () => document.getElementById('refund-status')?.dataset.status === 'rejected',
      null,
      {
        timeout: 20_000,
      },
    );
    // The same document: nothing reloaded it.
    expect(await customer.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    // Decided: the page no longer asks.
    expect(await customer.locator('[data-live-url]').count()).toBe(0);
    await customer.goto(`${t.url}/orders`);
    expect(await customer.textContent(`section[data-order=${orderNo}]`)).toContain('not approved');
  });

  it('shows the customer the refund notices in an inbox, with an unread badge in the header that clears once seen', async () => {
    await customer.goto(`${t.url}/`);
    const unread = Number(await customer.locator('#notices-badge [aria-hidden]').textContent());
    expect(unread).toBeGreaterThan(0);
    await Promise.all([customer.waitForURL(/\/notices/), customer.click('#notices-link')]);
    expect(await customer.textContent('h1')).toBe('Notices');
    expect(await customer.locator('.notices li.unread').count()).toBe(unread);
    expect(await customer.textContent('.notices')).toContain('was not approved');
    expect(await customer.textContent('.notices')).toContain('Money back: ¥128.00 has been refunded');
    expect(await customer.locator('.notices li a[href^="/orders"]').count()).toBeGreaterThan(0);
    await screenshot(customer, 'notices', true);
    await customer.goto(`${t.url}/`);
    expect(await customer.locator('#notices-badge').count()).toBe(0);
    const row = await t.db.query<{ n: number }>('SELECT count(*) AS n FROM customer_messages WHERE read_at IS NULL');
    expect(Number(row[0]!.n)).toBe(0);
  });

  it('refuses the console to a customer and sends an anonymous visitor to log in', async () => {
    const res = await customer.goto(`${t.url}/console/refunds`);
    expect(res?.status()).toBe(403);
    expect(await customer.textContent('main')).toContain('staff only');
    const anonymous = await (await newProfile(browser)).newPage();
    await anonymous.goto(`${t.url}/console/refunds`);
    expect(new URL(anonymous.url()).pathname).toBe('/login');
    expect(new URL(anonymous.url()).searchParams.get('next')).toBe('/console/refunds');
    await anonymous.context().close();
  });

  it('refuses a console decision without a valid anti-forgery token, and the refund stays under review', async () => {
    const orderNo = await paidOrder('alipay');
    const applied = await t.call('POST', `/api/orders/${orderNo}/refunds`, {
      as: 'customer',
      body: { reason: 'forgery test' },
    });
    const refundNo = applied.body.refundNo as string;
    const url = `${t.url}/console/refunds/${refundNo}`;

    const missing = await support.request.post(url, { form: { action: 'approve', note: 'forged' } });
    expect(missing.status()).toBe(403);
    expect(await missing.text()).toContain('This form has expired');
    // A real token, but the customer's: tokens are bound to the session they were issued to.
    await customer.goto(`${t.url}/`);
    const customersToken = await customer.getAttribute('input[name=_csrf]', 'value');
    const foreign = await support.request.post(url, {
      form: { action: 'approve', note: 'forged', _csrf: customersToken! },
    });
    expect(foreign.status()).toBe(403);

    // A form on another site that submits itself to the console.
    await support.setContent(
      `<form id="f" method="post" action="${url}"><input name="action" value="approve"><input name="note" value="x"></form>`,
    );
    const [crossSite] = await Promise.all([
      support.waitForResponse(url),
      support.evaluate(() => (document.getElementById('f') as HTMLFormElement).submit()),
    ]);
    expect(crossSite.status()).toBe(403);

    expect((await t.call('GET', `/api/refunds/${refundNo}`, { as: 'support' })).body.status).toBe('pending_review');
    // The same decision with the page's own token goes through.
    await decideInConsole(refundNo, 'approve', 'genuine');
    expect((await t.call('GET', `/api/refunds/${refundNo}`, { as: 'support' })).body.status).not.toBe('pending_review');
  });

  it('refuses an order placed from the storefront without the anti-forgery token', async () => {
    const res = await customer.request.post(`${t.url}/orders`, { form: { 'qty.FAN-SILK': '1' } });
    expect(res.status()).toBe(403);
    expect(await res.text()).toContain('This form has expired');
  });
});
