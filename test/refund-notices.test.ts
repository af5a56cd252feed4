import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './support/app.ts';
import { paidOrder } from './support/paid-order.ts';
import { startSmtpSink } from './support/smtp.ts';

describe('customer notices and provider limits', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await testApp({ env: { SMTP_URL: smtp.url, SMTP_FROM: 'shop@demo.test' } });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('e-mails the customer through SMTP from the jobs table, and keeps the message in the app', async () => {
    const o = await paidOrder(t);
    const applied = await t.call('POST', `/api/orders/${o.orderNo}/refunds`, {
      as: 'customer',
      body: { reason: 'wrong size', amount: 500 },
    });
    await t.call('POST', `/api/admin/refunds/${applied.body.refundNo}/reject`, {
      as: 'support',
      body: { note: 'final sale item' },
    });
    expect(smtp.mails).toHaveLength(0);
    expect((await t.db.query(`SELECT 1 FROM jobs WHERE kind = 'notice.email'`)).length).toBe(1);
    await t.worker.drain();
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]).toMatch(/To: customer@demo\.test/i);
    expect(smtp.mails[0]).toContain(applied.body.refundNo);
    expect(smtp.mails[0]).toContain('final sale item');
    expect((await t.call('GET', '/api/me/notifications', { as: 'customer' })).body[0].kind).toBe('refund_rejected');
  });

  it('refuses an application once the provider’s refund window has passed', async () => {
    const o = await paidOrder(t, undefined, 'wechatpay');
    // Paid a year and a day ago (moving the clock instead would also end the customer's session).
    await t.db.query(`UPDATE payments SET succeeded_at = succeeded_at - interval '366 days' WHERE payment_no = $1`, [
      o.paymentNo,
    ]);
    const res = await t.call('POST', `/api/orders/${o.orderNo}/refunds`, { as: 'customer', body: { reason: 'late' } });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('refund_window_closed');
    expect((await t.call('GET', `/api/orders/${o.orderNo}`, { as: 'customer' })).body.status).toBe('paid');
  });

  it('refuses a 51st refund of one WeChat Pay order', async () => {
    const o = await paidOrder(t, [{ sku: 'TEA-LONGJING-250', quantity: 3 }], 'wechatpay');
    const [ids] = await t.db.query<{ id: number; payment_id: number }>(
      `SELECT o.id, p.id AS payment_id FROM orders o JOIN payments p ON p.order_id = o.id WHERE o.order_no = $1`,
      [o.orderNo],
    );
    // Fifty earlier refunds that failed and were closed: they count at WeChat Pay, but hold no money.
    await t.db.query(
      `INSERT INTO refunds (refund_no, order_id, payment_id, status, amount, currency, reason, abandoned_at, created_at, updated_at)
       SELECT 'RX' || g, $1, $2, 'failed', 1, 'CNY', 'old', now(), now(), now() FROM generate_series(1, 50) g`,
      [ids!.id, ids!.payment_id],
    );
    const res = await t.call('POST', `/api/orders/${o.orderNo}/refunds`, {
      as: 'customer',
      body: { reason: 'one more', amount: 100 },
    });
    expect(res.body.error.code).toBe('refund_limit_reached');
  });
});
