import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../src/db/client.ts';
import { violations } from './support/invariants.ts';
import { client, durableDatabase, eventually, startMallProcess, type MallProcess } from './support/process.ts';

/**
 * kill -9 at the worst moments, then start again on the same database: everything converges, and no
 * money moves twice. The processes are real `npm start`s; the kill is a failpoint (src/lib/failpoints.ts).
 */
describe('a process killed at the worst moment converges after a restart', () => {
  let db: Awaited<ReturnType<typeof durableDatabase>>;
  let running: MallProcess | undefined;
  beforeAll(async () => {
    db = await durableDatabase();
  });
  afterAll(async () => {
    await running?.stop();
    await db.drop();
  });

  const env = () => ({ ...db.env, PAYMENT_METHODS: 'alipay' });

  /** Every invariant of the books, read from the database once no process holds it (PGlite). */
  async function booksViolations() {
    const books = await openDb({ databaseUrl: db.env.DATABASE_URL, dataDir: db.env.DATA_DIR });
    try {
      return await violations(books);
    } finally {
      await books.close();
    }
  }

  async function paidOrder(url: string) {
    const call = client(url);
    const order = (await call('POST', '/api/orders', 'customer', { items: [{ sku: 'FAN-SILK', quantity: 1 }] })).body;
    const payment = (
      await call('POST', `/api/orders/${order.orderNo}/payments`, 'customer', { method: 'alipay', channel: 'qr' })
    ).body;
    await fetch(payment.action.content); // the scan
    await fetch(`${url}/sandbox/alipay/_control/pay/${payment.paymentNo}`, { method: 'POST', body: '{}' });
    await eventually(
      async () => (await call('GET', `/api/orders/${order.orderNo}`, 'customer')).body.status === 'paid',
      'the order paid',
    );
    return { orderNo: order.orderNo as string, paymentNo: payment.paymentNo as string };
  }

  it('finishes a refund whose process died right after the provider refunded, with one refund at the provider', async () => {
    running = await startMallProcess({ ...env(), MALLPAY_FAILPOINTS: 'refund.after_provider_call' });
    const call = client(running.url);
    const { orderNo, paymentNo } = await paidOrder(running.url);
    const refund = (await call('POST', `/api/orders/${orderNo}/refunds`, 'customer', { reason: 'crash test' })).body;
    await call('POST', `/api/admin/refunds/${refund.refundNo}/approve`, 'support', { note: 'ok' });
    expect(await running.exited).toBe(137);

    running = await startMallProcess(env());
    const after = client(running.url);
    await eventually(
      async () => (await after('GET', `/api/refunds/${refund.refundNo}`, 'customer')).body.status === 'succeeded',
      'the refund to succeed',
    );
    expect((await after('GET', `/api/orders/${orderNo}`, 'customer')).body.status).toBe('refunded');
    const trade = await (await fetch(`${running.url}/sandbox/alipay/_control/trades/${paymentNo}`)).json();
    expect(trade.refunds).toHaveLength(1);
    await running.stop();
    running = undefined;
    expect(await booksViolations()).toEqual([]);
  }, 90_000); // two real process starts and a convergence: more than the default 30 s on a busy 2-core machine

  it('applies a payment whose notification was being committed when the process died', async () => {
    running = await startMallProcess({ ...env(), MALLPAY_FAILPOINTS: 'notification.before_commit' });
    const call = client(running.url);
    const order = (await call('POST', '/api/orders', 'customer', { items: [{ sku: 'FAN-SILK', quantity: 1 }] })).body;
    const payment = (
      await call('POST', `/api/orders/${order.orderNo}/payments`, 'customer', { method: 'alipay', channel: 'qr' })
    ).body;
    await fetch(payment.action.content);
    await fetch(`${running.url}/sandbox/alipay/_control/pay/${payment.paymentNo}`, { method: 'POST', body: '{}' });
    expect(await running.exited).toBe(137);

    running = await startMallProcess(env());
    const after = client(running.url);
    // The sandbox retries the unacknowledged notification (4 min / SANDBOX_TIME_SCALE 600 = 0.4 s), or the poll job asks.
    await eventually(
      async () => (await after('GET', `/api/orders/${order.orderNo}`, 'customer')).body.status === 'paid',
      'the order paid',
    );
    const records = (await after('GET', `/api/admin/notifications?outTradeNo=${payment.paymentNo}`, 'support'))
      .body as { outcome: string }[];
    expect(records.filter((r) => r.outcome === 'applied').length).toBeLessThanOrEqual(1);
    expect((await after('GET', `/api/orders/${order.orderNo}`, 'customer')).body.paidAmount).toBe(order.amount);
    await running.stop();
    running = undefined;
    expect(await booksViolations()).toEqual([]);
  }, 90_000); // two real process starts and a convergence: more than the default 30 s on a busy 2-core machine
});
