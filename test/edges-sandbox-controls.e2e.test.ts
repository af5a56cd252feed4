import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestMall, type TestMall } from './support/mall.ts';

describe('the sandboxes’ shared control endpoints check their input', () => {
  let t: TestMall;
  beforeAll(async () => {
    t = await startTestMall();
  });
  afterAll(() => t.close());

  // WeChat Pay's refunds settle later: its sandbox has the refund settlement control.
  const post = (path: string, body: string) =>
    fetch(`${t.url}/sandbox/${path.startsWith('refunds/') ? 'wechatpay' : 'alipay'}/_control/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });

  const refused: [string, string, string][] = [
    ['a fault that does not exist', 'faults', JSON.stringify({ call: { fault: 'explode' } })],
    ['a billion repetitions', 'faults', JSON.stringify({ notifications: { fault: 'drop', times: 1e9 } })],
    ['a negative delay', 'faults', JSON.stringify({ notifications: { fault: 'delay', delayMs: -5 } })],
    ['a fractional count', 'faults', JSON.stringify({ call: { fault: 'error', times: 1.5 } })],
    ['an unknown field', 'faults', JSON.stringify({ calls: { fault: 'error' } })],
    ['a body that is not JSON', 'faults', '{"call":'],
  ];
  // Each provider's sandbox checks its own trade numbers with its own stable code (invalid_payment_no…).
  for (const [what, path, body] of [
    ['a payment number with a NUL', 'pay/P1%00', '{}'],
    ['a payment number with a quote', 'fail/P1%27x', '{}'],
    ['a settlement outcome that does not exist', 'refunds/R1234567890', JSON.stringify({ outcome: 'maybe' })],
  ]) {
    it(`refuses ${what} with 400 and a stable code`, async () => {
      const res = await post(path!, body!);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/^invalid_[a-z_]+$/);
    });
  }
  for (const [what, path, body] of refused) {
    it(`refuses ${what} with 400 invalid_control`, async () => {
      const res = await post(path, body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe('invalid_control');
    });
  }

  it('refuses a trade lookup by a malformed number', async () => {
    const res = await fetch(`${t.url}/sandbox/alipay/_control/trades/${encodeURIComponent('P1\u0000')}`);
    expect(res.status).toBe(400);
  });

  it('still takes a well-formed fault script, which then applies', async () => {
    expect(
      (await post('faults', JSON.stringify({ call: { fault: 'error', api: 'alipay.trade.precreate' } }))).status,
    ).toBe(200);
    const order = await t.placeOrder();
    const res = await t.call('POST', `/api/orders/${order.orderNo}/payments`, {
      as: 'customer',
      body: { method: 'alipay', channel: 'qr' },
    });
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect((await post('faults', JSON.stringify({ clear: true }))).status).toBe(200);
  });
});
