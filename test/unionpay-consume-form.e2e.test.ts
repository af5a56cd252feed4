import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPaymentWithOrder } from '../src/payments/payments.repository.ts';
const CONSUME_FORM_TTL_MS = 5 * 60_000;
import { CONSUME_TXN_TIME_PAST_MS } from '../sandbox/unionpay/gateway-request.ts';
import { openCashier } from './support/browser-actions.ts';
import { startTestMall, type TestMall } from './support/mall.ts';
import { pageSession } from './support/page-session.ts';

const MINUTE = 60_000;
/** Later than the sandbox lets a consume's txnTime be: a form kept from then on is refused. */
const PAST_THE_GATEWAY = CONSUME_TXN_TIME_PAST_MS + MINUTE;

/** The consume form inside a pay page, as the browser submits it. */
function consumeForm(page: string): { type: 'form'; html: string } {
  const html = /<form id="unionpay-consume"[\s\S]*?<\/form>/.exec(page)?.[0];
  if (!html) throw new Error('no consume form on the page');
  return { type: 'form', html };
}

const txnTimeOf = (html: string) => /name="txnTime" value="(\d{14})"/.exec(html)![1];

describe('the UnionPay consume form, whose txnTime the gateway judges against its clock', () => {
  let t: TestMall;
  beforeAll(async () => {
    t = await startTestMall();
  });
  afterAll(() => t.close());

  it('is refused by the sandbox once its txnTime is stale, with the front channel’s error page', async () => {
    expect(CONSUME_FORM_TTL_MS).toBeLessThan(CONSUME_TXN_TIME_PAST_MS);
    const { orderNo } = await t.placeOrder();
    const first = await t.pay(orderNo, 'unionpay', 'page');
    t.clock.advance(PAST_THE_GATEWAY);
    const err = await openCashier(first.action).catch((e: Error) => e.message);
    expect(err).toMatch(/^cashier refused the form: 400 .*10 报文格式错误：txnTime无效/s);
    // Nothing was opened at the gateway: a query (the original txnTime, never judged for age) finds nothing.
    expect((await t.control('unionpay', `trades/${first.paymentNo}`)).status).toBe(404);
    const query = await t.mall.app.providers.unionpay!.queryPayment({
      paymentNo: first.paymentNo,
      channel: 'page',
      amount: 1,
      currency: 'CNY',
      createdAt: new Date(t.clock.now().getTime() - PAST_THE_GATEWAY),
    });
    expect(query).toEqual({ kind: 'pending' });
  });

  it('gives a customer who returns to the pay page after the window a new attempt whose fresh form pays', async () => {
    const browser = pageSession((path, init) => fetch(t.url + path, init));
    await browser.login('customer');
    const { orderNo, amount } = await t.placeOrder();
    const chosen = await browser.post(
      `/checkout/${orderNo}`,
      { method: 'unionpay', channel: 'page' },
      { from: `/checkout/${orderNo}` },
    );
    expect(chosen.status).toBe(303);
    const firstPath = new URL(chosen.headers.get('location')!, t.url).pathname;
    const firstForm = consumeForm(await (await browser.request(firstPath)).text());

    // Within the window the same page serves the same signed form.
    t.clock.advance(CONSUME_FORM_TTL_MS - 1000);
    expect(consumeForm(await (await browser.request(firstPath)).text())).toEqual(firstForm);

    t.clock.advance(PAST_THE_GATEWAY);
    const back = await browser.request(firstPath);
    expect(back.status).toBe(303);
    const secondPath = new URL(back.headers.get('location')!, t.url).pathname;
    expect(secondPath).not.toBe(firstPath);
    const secondForm = consumeForm(await (await browser.request(secondPath)).text());
    expect(txnTimeOf(secondForm.html)).not.toBe(txnTimeOf(firstForm.html));

    const cashier = await openCashier(secondForm);
    expect(cashier).toContain('SANDBOX');
    const secondNo = secondPath.split('/').pop()!;
    expect((await t.control('unionpay', `pay/${secondNo}`)).status).toBe(200);
    await t.settle();
    const order = await t.order(orderNo);
    expect(order).toMatchObject({ status: 'paid', paidAmount: amount });
    expect(order.payments.map((p: { paymentNo: string; status: string }) => [p.paymentNo, p.status])).toEqual([
      [firstPath.split('/').pop(), 'closed'],
      [secondNo, 'succeeded'],
    ]);
  });

  it('never serves an expired form again, and a new attempt is saved before its form is signed', async () => {
    const { orderNo } = await t.placeOrder();
    const first = await t.pay(orderNo, 'unionpay', 'page');
    const row = async (no: string) => (await findPaymentWithOrder(t.db, no))!;
    t.clock.advance(CONSUME_FORM_TTL_MS);
    expect(await t.mall.app.services.payments.currentAction(await row(first.paymentNo))).toBeNull();

    const second = await t.pay(orderNo, 'unionpay', 'page');
    expect(second.paymentNo).not.toBe(first.paymentNo);
    const saved = await row(second.paymentNo);
    // The form's txnTime is the new attempt's own saved time, in Beijing time.
    const bj = new Date(saved.created_at.getTime() + 8 * 3600_000).toISOString().replace(/\D/g, '').slice(0, 14);
    expect(txnTimeOf(second.action.html!)).toBe(bj);
    expect((await row(first.paymentNo)).status).toBe('closed');
  });

  it('returns the money of a superseded form the customer paid after all, found by the poller', async () => {
    const { orderNo, amount } = await t.placeOrder();
    const first = await t.pay(orderNo, 'unionpay', 'page');
    await openCashier(first.action); // the cashier stays open in another tab
    t.clock.advance(CONSUME_FORM_TTL_MS);
    const second = await t.pay(orderNo, 'unionpay', 'page');
    await openCashier(second.action);
    await t.control('unionpay', `pay/${second.paymentNo}`);
    await t.settle();
    expect((await t.order(orderNo)).status).toBe('paid');

    // The old tab pays too, and its notification is lost: only the poller can find this money.
    await t.control('unionpay', 'faults', { notifications: { fault: 'drop', times: 5 } });
    expect((await t.control('unionpay', `pay/${first.paymentNo}`)).status).toBe(200);
    await t.settle();
    expect((await row(first.paymentNo)).status).toBe('closed');
    t.clock.advance(5 * MINUTE);
    await t.settle();
    const old = await row(first.paymentNo);
    expect(old).toMatchObject({ status: 'succeeded', surplus: true });
    const order = await t.order(orderNo);
    expect(order.status).toBe('paid');
    expect(order.refunds).toEqual([expect.objectContaining({ automatic: true, amount })]);
    // The refund goes to UnionPay against the superseded consume, not the one that paid the order.
    expect((await t.control('unionpay', `trades/${first.paymentNo}`)).body.refunds).toHaveLength(1);
    expect((await t.control('unionpay', `trades/${second.paymentNo}`)).body.refunds).toHaveLength(0);

    async function row(no: string) {
      return (await findPaymentWithOrder(t.db, no))!;
    }
  });
});
