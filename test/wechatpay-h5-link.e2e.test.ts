import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPaymentWithOrder } from '../src/payments/payments.repository.ts';
import { startTestMall, type TestMall } from './support/mall.ts';

const MINUTE = 60_000;
const page = async (url: string) => (await fetch(url)).text();

describe('a WeChat Pay H5 link, which lives 5 minutes', () => {
  let t: TestMall;
  beforeAll(async () => {
    t = await startTestMall();
  });
  afterAll(() => t.close());

  it('is dead at the sandbox cashier after 5 minutes, and the customer who comes back gets a fresh one that pays', async () => {
    const { orderNo, amount } = await t.placeOrder();
    const first = await t.pay(orderNo, 'wechatpay', 'h5');
    expect(await page(first.action.url!)).toMatch(/<button class="pay"/);
    // The payer address kept for a renewal stays on the server; the client sees when the link dies.
    expect(first.action).not.toHaveProperty('renewWith');
    expect(first.action).toHaveProperty('expiresAt');

    t.clock.advance(5 * MINUTE + 1000);
    const dead = await page(first.action.url!);
    expect(dead).toMatch(/data-state="expired"/);
    expect(dead).not.toMatch(/<button class="pay"/);

    // Back on the pay page (the same order, method and channel): the same attempt, a new link.
    const again = await t.pay(orderNo, 'wechatpay', 'h5');
    expect(again.paymentNo).toBe(first.paymentNo);
    expect(again.action.url).not.toBe(first.action.url);
    expect(await page(again.action.url!)).toMatch(/<button class="pay"/);

    expect((await t.control('wechatpay', `pay/${again.paymentNo}`)).status).toBe(200);
    await t.settle();
    expect(await t.order(orderNo)).toMatchObject({ status: 'paid', paidAmount: amount });
  });

  it('is renewed for the pay page too, with the identical request, while a fresh link is kept as it is', async () => {
    const { orderNo } = await t.placeOrder();
    const first = await t.pay(orderNo, 'wechatpay', 'h5');
    const payments = t.mall.app.services.payments;
    const row = async () => (await findPaymentWithOrder(t.db, first.paymentNo))!;
    expect(await payments.currentAction(await row())).toEqual((await row()).action);

    t.clock.advance(5 * MINUTE);
    const renewed = await payments.currentAction(await row());
    expect(renewed).toMatchObject({ type: 'redirect' });
    expect(renewed).not.toEqual(first.action);
    expect((await row()).action).toEqual(renewed);
    expect(await page((renewed as { url: string }).url)).toMatch(/<button class="pay"/);
  });
});
