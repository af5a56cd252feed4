import { merchantNo } from '../../src/lib/ids.ts';
import { insertPayment } from '../../src/payments/payments.repository.ts';
import type { TestApp } from './app.ts';

/**
 * An order paid as a verified notification would leave it, for tests of what happens after payment
 * (review, limits) that do not need a provider until a refund is approved.
 */
export async function paidOrder(
  t: TestApp,
  items = [{ sku: 'TEA-LONGJING-250', quantity: 1 }],
  method: 'alipay' | 'wechatpay' | 'unionpay' = 'alipay',
) {
  const placed = await t.call('POST', '/api/orders', { as: 'customer', body: { items } });
  const [order] = await t.db.query<{ id: number; amount: number }>(
    'SELECT id, amount FROM orders WHERE order_no = $1',
    [placed.body.orderNo],
  );
  const payment = await insertPayment(t.db, {
    payment_no: merchantNo('P', t.clock.now()),
    order_id: order!.id,
    method,
    channel: 'qr',
    merchant_id: 'test-merchant',
    amount: order!.amount,
    currency: 'CNY',
    created_at: t.clock.now(),
  });
  const state = (await import('../../src/payments/payment-state.service.ts')).createPaymentStateService({
    db: t.db,
    clock: t.clock,
  });
  await t.db.tx((sql) =>
    state.succeed(sql, payment.payment_no, {
      providerTradeNo: 'T' + payment.payment_no,
      paidAt: t.clock.now(),
      amount: order!.amount,
    }),
  );
  return { orderNo: placed.body.orderNo as string, amount: order!.amount, paymentNo: payment.payment_no };
}
