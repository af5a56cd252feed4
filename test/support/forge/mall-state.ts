import { expect } from 'vitest';
import { CHANNEL, openCashier } from '../browser-actions.ts';
import type { TestMall } from '../mall.ts';
import type { Delivery } from './common.ts';

/**
 * Everything a notification could change about an order, read through the API and straight from the
 * database: the order and its attempts, every job, every refund, every customer message.
 */
export async function mallState(t: TestMall, orderNo: string) {
  const api = await t.order(orderNo);
  const [order] = await t.db.query(
    'SELECT status, paid_amount, refunded_amount, paid_at, updated_at FROM orders WHERE order_no = $1',
    [orderNo],
  );
  const payments = await t.db.query(
    `SELECT p.payment_no, p.status, p.provider_trade_no, p.surplus, p.succeeded_at, p.closed_at, p.updated_at
     FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.order_no = $1 ORDER BY p.id`,
    [orderNo],
  );
  const jobs = await t.db.query('SELECT id, kind, payload, run_at, attempts, dead_at FROM jobs ORDER BY id');
  const refunds = await t.db.query('SELECT refund_no, status, amount, automatic, updated_at FROM refunds ORDER BY id');
  const messages = await t.db.query('SELECT count(*)::int AS n FROM customer_messages');
  return { api, order, payments, jobs, refunds, messages };
}

/** The admin list of one provider's notifications, newest first. */
export async function recorded(t: TestMall, provider: string) {
  const res = await t.call('GET', `/api/admin/notifications?provider=${provider}`, { as: 'support' });
  expect(res.status).toBe(200);
  return res.body as { id: number; outcome: string; reason?: string; message?: string; outTradeNo?: string }[];
}

/** Sends a notification and asserts it was recorded once, as this outcome, and what it answered. */
export async function sentOnce<R>(t: TestMall, provider: string, send: () => Promise<R>) {
  const before = await recorded(t, provider);
  const answer = await send();
  const after = await recorded(t, provider);
  expect(after.length).toBe(before.length + 1);
  return { answer, record: after[0]! };
}

export type Method = 'alipay' | 'wechatpay' | 'unionpay';

/** A real order with a pending attempt the provider knows: created through the API and opened in the sandbox cashier. */
export async function pendingAttempt(t: TestMall, method: Method) {
  const { orderNo, amount } = await t.placeOrder();
  const payment = await t.pay(orderNo, method, CHANNEL[method]);
  await openCashier(payment.action);
  return { orderNo, amount, paymentNo: payment.paymentNo };
}

/** The provider's failure answer (docs/api.md#provider-facing-endpoints). */
export function expectRefused(method: Method, answer: Delivery): void {
  if (method === 'alipay') expect(answer).toMatchObject({ status: 200, text: 'failure' });
  if (method === 'wechatpay') {
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(600);
    expect(JSON.parse(answer.text)).toEqual({ code: expect.any(String), message: expect.any(String) });
  }
  if (method === 'unionpay') {
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
  }
}

/** The provider's success acknowledgement: Alipay `success`, WeChat 204, UnionPay 200. */
export function expectAcknowledged(method: Method, answer: Delivery): void {
  if (method === 'alipay') expect(answer).toMatchObject({ status: 200, text: 'success' });
  if (method === 'wechatpay') expect(answer).toMatchObject({ status: 204, text: '' });
  if (method === 'unionpay') expect(answer.status).toBe(200);
}
