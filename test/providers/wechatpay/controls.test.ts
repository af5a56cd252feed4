import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attempt,
  paymentNo,
  startWechatpayWorld,
  type WechatpayWorld,
} from '../../support/providers/wechatpay.harness.ts';

let w: WechatpayWorld;
beforeAll(async () => {
  w = await startWechatpayWorld();
});
afterAll(() => w.close());

const post = async (path: string, body?: string) => {
  const res = await fetch(`${w.creds.baseUrl}/_control/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('the WeChat Pay sandbox control endpoints', () => {
  it('answer 404 for a trade or refund the sandbox never issued, changing nothing', async () => {
    const unknown = paymentNo();
    for (const path of [
      `pay/${unknown}`,
      `fail/${unknown}`,
      'refunds/R-never-issued',
      'refunds/R-never-issued/abnormal',
    ])
      expect((await post(path)).status, path).toBe(404);
    expect((await fetch(`${w.creds.baseUrl}/_control/trades/${unknown}`)).status).toBe(404);
    expect((await w.provider.queryPayment(attempt(w, unknown))).kind).toBe('pending');
  });

  it('answer 400 with a stable code for a malformed id or body', async () => {
    const no = paymentNo();
    await w.provider.createPayment(attempt(w, no));
    expect(await post('pay/a%20b')).toMatchObject({ status: 400, body: { error: 'invalid_payment_no' } });
    expect(await post(`pay/${'x'.repeat(33)}`)).toMatchObject({ status: 400, body: { error: 'invalid_payment_no' } });
    expect(await post('refunds/R1', '{"outcome":"maybe"}')).toMatchObject({
      status: 400,
      body: { error: 'invalid_body' },
    });
    expect(await post('refunds/R1', 'not json')).toMatchObject({ status: 400, body: { error: 'invalid_body' } });
    expect(await post('faults', '{"call":{"fault":"explode"}}')).toMatchObject({
      status: 400,
      body: { error: 'invalid_body' },
    });
    expect(await post('faults', '{"notifications":{"fault":"drop","times":-1}}')).toMatchObject({ status: 400 });
    expect(await post('platform/state', '{"state":"both"}')).toMatchObject({
      status: 400,
      body: { error: 'invalid_body' },
    });
    expect((await w.provider.queryPayment(attempt(w, no))).kind).toBe('pending');
  });

  it('still do their work for a valid request', async () => {
    const no = paymentNo();
    await w.provider.createPayment(attempt(w, no));
    expect(await post(`pay/${no}`)).toMatchObject({ status: 200, body: { trade_state: 'SUCCESS' } });
    expect(await post('faults', '{"clear":true}')).toMatchObject({ status: 200 });
  });
});
