import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundRequest, ParsedNotification, PaymentProvider } from '../src/providers/provider.ts';
import { testApp, type TestApp } from './support/app.ts';

/**
 * One transaction per notification verdict (issue 20.3): the change a notification causes and the record of
 * its delivery commit together or not at all, for a closed trade as much as for a payment.
 */
describe('a notification verdict', () => {
  let t: TestApp;
  let orderId: number;
  beforeAll(async () => {
    t = await testApp();
    const [user] = await t.db.query<{ id: number }>(`SELECT id FROM users WHERE email = 'customer@demo.test'`);
    const [order] = await t.db.query<{ id: number }>(
      `INSERT INTO orders (order_no, user_id, status, amount, currency, expires_at, created_at, updated_at)
       VALUES ('M20261204000000000000001', $1, 'pending_payment', 500, 'CNY', now() + interval '1 hour', now(), now()) RETURNING id`,
      [user!.id],
    );
    orderId = order!.id;
  });
  afterAll(() => t.close());

  /** A provider whose notification parses to `parsed`: the adapter's verification is not what is tested here. */
  const providerSaying = (parsed: ParsedNotification) =>
    ({
      method: 'alipay',
      channels: ['qr'],
      merchantId: 'test',
      parseNotification: async () => parsed,
      acknowledge: (ok: boolean) => new Response(ok ? 'success' : 'failure'),
    }) as unknown as PaymentProvider;
  const request: InboundRequest = {
    method: 'POST',
    headers: new Headers(),
    rawBody: 'body',
    query: new URLSearchParams(),
  };

  async function attempt(paymentNo: string, channel: string) {
    await t.db.query(
      `INSERT INTO payments (payment_no, order_id, method, channel, merchant_id, status, amount, currency, created_at, updated_at)
       VALUES ($1, $2, 'alipay', $3, 'test', 'pending', 500, 'CNY', now(), now())`,
      [paymentNo, orderId, channel],
    );
  }
  const statusOf = async (paymentNo: string) =>
    (await t.db.query<{ status: string }>('SELECT status FROM payments WHERE payment_no = $1', [paymentNo]))[0]!.status;
  const closedNotice = (paymentNo: string): ParsedNotification => ({
    kind: 'payment',
    eventId: `e-${paymentNo}`,
    paymentNo,
    state: 'closed',
    amount: 500,
    providerTradeNo: 'T1',
    paidAt: null,
    confirmByQuery: false,
  });

  it('leaves a closed-trade notice unapplied when its delivery cannot be recorded', async () => {
    await attempt('P20261204000000000000001', 'qr');
    // Recording fails from now on (a constraint no new row meets): the close must roll back with it.
    await t.db.query('ALTER TABLE notifications ADD CONSTRAINT refuse_all CHECK (id < 0) NOT VALID');
    try {
      await expect(
        t.services.notifications.receive(providerSaying(closedNotice('P20261204000000000000001')), request),
      ).rejects.toThrow();
    } finally {
      await t.db.query('ALTER TABLE notifications DROP CONSTRAINT refuse_all');
    }
    expect(await statusOf('P20261204000000000000001')).toBe('pending');
  });

  it('answers the result of this very delivery, with its record’s id, and acknowledges from it', async () => {
    await attempt('P20261204000000000000002', 'page');
    const provider = providerSaying(closedNotice('P20261204000000000000002'));
    const first = await t.services.notifications.receive(provider, request);
    const again = await t.services.notifications.receive(provider, request);
    expect(first).toMatchObject({ outcome: 'applied' });
    expect(again).toMatchObject({ outcome: 'duplicate' });
    expect(again.id!).toBeGreaterThan(first.id!);
    const [row] = await t.db.query<{ outcome: string }>('SELECT outcome FROM notifications WHERE id = $1', [first.id]);
    expect(row!.outcome).toBe('applied');
    expect(await statusOf('P20261204000000000000002')).toBe('closed');
    expect(await t.services.notifications.acknowledge(provider, again).text()).toBe('success');
  });
});
