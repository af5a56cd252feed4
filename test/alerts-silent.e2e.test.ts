import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentAlerts } from '../src/alerts/alerts.ts';
import { openCashier } from './support/browser-actions.ts';
import { startTestMall, type TestMall } from './support/mall.ts';

const MINUTE = 60_000;

describe('the notifications_silent alert', () => {
  let t: TestMall;
  beforeAll(async () => {
    t = await startTestMall();
  });
  afterAll(() => t.close());

  const silent = async () => (await currentAlerts(t.db, t.clock)).filter((a) => a.kind === 'notifications_silent');

  /** The customer pays in the sandbox, and mallpay learns it from its poller's query alone: no delivery is sent. */
  async function paidByQueryOnly(): Promise<string> {
    const { orderNo } = await t.placeOrder();
    const payment = await t.pay(orderNo, 'alipay', 'qr');
    await openCashier(payment.action);
    await t.control('alipay', `pay/${payment.paymentNo}`);
    t.clock.advance(5_000);
    await t.mall.worker.drain();
    expect((await t.order(orderNo)).status).toBe('paid');
    return payment.paymentNo;
  }

  it('reports a provider whose payments succeed through queries while none of its notifications arrive, until one does', async () => {
    await paidByQueryOnly();
    expect(await silent()).toEqual([
      expect.objectContaining({
        provider: 'alipay',
        count: 1,
        message: expect.stringContaining('no notification from alipay'),
      }),
    ]);
    // The delivery arrives late (as a duplicate: the poller already applied it): the provider is heard again.
    await t.mall.sandboxes!.notifier.flush();
    expect((await t.notifications('alipay')).map((n) => n.outcome)).toContain('duplicate');
    expect(await silent()).toEqual([]);
  });

  it('reports it again, since the last accepted notification, once the provider has been quiet for 30 minutes while payments still succeed', async () => {
    const lastHeard = t.clock.now();
    t.clock.advance(31 * MINUTE);
    expect(await silent()).toEqual([]);
    await paidByQueryOnly();
    expect(await silent()).toEqual([expect.objectContaining({ provider: 'alipay', count: 1, since: lastHeard })]);
    // A rejected delivery (a forged or mis-signed one) is not the provider speaking: still silent.
    const res = await fetch(`${t.url}/notify/alipay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'out_trade_no=P1&sign=bad',
    });
    expect(await res.text()).toBe('failure');
    expect(await silent()).toHaveLength(1);
  });
});
