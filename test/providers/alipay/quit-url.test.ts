import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlipayHarness, type AlipayHarness } from '../../support/providers/alipay.harness.ts';

let h: AlipayHarness;
beforeAll(async () => {
  h = await startAlipayHarness();
});
afterAll(() => h.close());

/** The biz_content the adapter signed into a page/wap URL. */
const bizOf = (url: string) => JSON.parse(new URL(url).searchParams.get('biz_content')!) as Record<string, unknown>;

async function openCashier(url: string): Promise<{ status: number; html: string }> {
  const gateway = await fetch(url, { redirect: 'manual' });
  if (gateway.status !== 302) return { status: gateway.status, html: await gateway.text() };
  const cashier = await fetch(new URL(gateway.headers.get('location')!, h.url));
  return { status: cashier.status, html: await cashier.text() };
}

describe("Alipay wap's quit_url: the mobile cashier's way back to the shop", () => {
  it('sends quit_url with a wap payment, and the sandbox cashier links back to it, also after Fail', async () => {
    const quitUrl = `${h.url}/pay/P-quit-test`;
    const input = { ...h.attempt('wap'), quitUrl };
    const created = await h.provider.createPayment(input);
    if (created.kind !== 'created' || created.action.type !== 'redirect') throw new Error('expected a redirect');
    expect(bizOf(created.action.url).quit_url).toBe(quitUrl);

    const { html } = await openCashier(created.action.url);
    expect(html).toContain(`<a class="quit" href="${quitUrl}" data-quit>Back to the shop</a>`);
    const failed = await fetch(`${h.url}/sandbox/alipay/cashier/fail`, {
      method: 'POST',
      body: new URLSearchParams({ out_trade_no: input.paymentNo }),
    });
    const afterFail = await failed.text();
    expect(afterFail).toContain('role="alert"');
    expect(afterFail).toContain(`href="${quitUrl}"`);
  });

  it('sends no quit_url with a PC page payment (alipay.trade.page.pay has none), and its cashier shows no such link', async () => {
    const input = { ...h.attempt('page'), quitUrl: `${h.url}/pay/P-page` };
    const created = await h.provider.createPayment(input);
    if (created.kind !== 'created' || created.action.type !== 'redirect') throw new Error('expected a redirect');
    expect(bizOf(created.action.url)).not.toHaveProperty('quit_url');
    expect((await openCashier(created.action.url)).html).not.toContain('data-quit');
  });

  it('refuses a wap payment whose quit_url is not a web address, and records no trade', async () => {
    const input = { ...h.attempt('wap'), quitUrl: 'javascript:alert(1)' };
    const created = await h.provider.createPayment(input);
    if (created.kind !== 'created' || created.action.type !== 'redirect') throw new Error('expected a redirect');
    const refused = await openCashier(created.action.url);
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('ACQ.INVALID_PARAMETER');
    // Nothing to pay: the refused request left no trade behind.
    expect(await h.control(`pay/${input.paymentNo}`)).toMatchObject({ error: 'unknown_trade' });
  });
});
