import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from './support/app.ts';
import { paidOrder } from './support/paid-order.ts';
import { startTestMall, type TestMall } from './support/mall.ts';
import { pageSession } from './support/page-session.ts';

const NUL = '\u0000';

describe('a control character in any text field is refused as invalid_characters, never a 500', () => {
  let t: TestMall;
  let paid: { orderNo: string };
  beforeAll(async () => {
    t = await startTestMall({ RATE_LIMIT_LOGINS_PER_MINUTE: '1000' });
    // paidOrder needs only call, db and clock, which the mall has too.
    paid = await paidOrder(t as unknown as TestApp);
  });
  afterAll(() => t.close());
  const count = async (table: string) =>
    (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;

  const api: [string, string, string, () => unknown, 'customer' | 'support' | undefined][] = [
    [
      'the login e-mail',
      'POST',
      '/api/auth/login',
      () => ({ email: `customer@demo.test${NUL}`, password: 'x' }),
      undefined,
    ],
    [
      'the login password',
      'POST',
      '/api/auth/login',
      () => ({ email: 'customer@demo.test', password: `a${NUL}b` }),
      undefined,
    ],
    ['a sku', 'POST', '/api/orders', () => ({ items: [{ sku: `FAN${NUL}SILK`, quantity: 1 }] }), 'customer'],
    ['a sku with a newline', 'POST', '/api/orders', () => ({ items: [{ sku: 'FAN\nSILK', quantity: 1 }] }), 'customer'],
    ['a refund reason', 'POST', '/api/orders/{paid}/refunds', () => ({ reason: `broken${NUL}` }), 'customer'],
    [
      'a refund reason with an escape',
      'POST',
      '/api/orders/{paid}/refunds',
      () => ({ reason: 'x\u001b[2J' }),
      'customer',
    ],
  ];
  for (const [what, method, path, body, as] of api) {
    it(`refuses ${what} with a control character`, async () => {
      const before = { orders: await count('orders'), refunds: await count('refunds') };
      const res = await t.call(method, path.replace('{paid}', paid.orderNo), { as, body: body() });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('invalid_characters');
      expect({ orders: await count('orders'), refunds: await count('refunds') }).toEqual(before);
    });
  }

  it('refuses a review note with a NUL but takes one with lines and a tab', async () => {
    const applied = await t.call('POST', `/api/orders/${paid.orderNo}/refunds`, {
      as: 'customer',
      body: { reason: 'a\nb' },
    });
    expect(applied.status).toBe(201);
    const path = `/api/admin/refunds/${applied.body.refundNo}/reject`;
    const bad = await t.call('POST', path, { as: 'support', body: { note: `no${NUL}` } });
    expect(bad.body.error.code).toBe('invalid_characters');
    expect((await t.call('POST', path, { as: 'support', body: { note: 'line one\n\tline two' } })).status).toBe(200);
  });

  it('refuses a NUL in a path parameter or a query string', async () => {
    for (const path of [
      '/api/payments/P1%00',
      '/api/admin/notifications?outTradeNo=%00',
      '/refunds/R%00',
      '/orders?lang=%0a',
    ]) {
      const res = await t.call('GET', path, { as: 'support' });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('invalid_characters');
    }
  });

  it('refuses a control character in the pages’ forms, and keeps lines in a written reason', async () => {
    const browser = pageSession((path, init) => fetch(t.url + path, init));
    const login = await browser.post(
      '/login',
      { email: `customer@demo.test${NUL}`, password: 'demo-customer' },
      { from: '/login' },
    );
    expect(login.status).toBe(422);
    // The page says it in words; the code stays in the API and the log.
    const said = 'contains a character that cannot be used';
    expect(await login.text()).toContain(said);
    await browser.login('customer');
    const order = await browser.post('/orders', { [`qty.FAN${NUL}`]: '1' });
    expect(order.status).toBe(422);
    const refund = await browser.post(`/orders/${paid.orderNo}/refund`, { reason: `x${NUL}`, amount: '' });
    expect(refund.status).toBe(422);
    const refundPage = await refund.text();
    expect(refundPage).toContain(said);
    expect(refundPage).not.toContain('invalid_characters');
  });

  for (const [method, type, failure] of [
    ['alipay', 'application/x-www-form-urlencoded', /^failure$/],
    ['wechatpay', 'application/json', /"code":"FAIL"/],
    ['unionpay', 'application/x-www-form-urlencoded', /refused/],
  ] as const) {
    it(`answers a ${method} notification with a NUL in its provider's failure format and records it`, async () => {
      const body = type === 'application/json' ? `{"id":"x${NUL}","resource":{}}` : `out_trade_no=P${NUL}1&sign=x`;
      const before = await count('notifications');
      const res = await fetch(`${t.url}/notify/${method}`, { method: 'POST', headers: { 'content-type': type }, body });
      expect(res.status).not.toBe(500);
      expect(await res.text()).toMatch(failure);
      expect(await count('notifications')).toBe(before + 1);
      const [row] = await t.db.query<{ outcome: string; body_encoding: string; raw_body: string }>(
        'SELECT outcome, body_encoding, raw_body FROM notifications ORDER BY id DESC LIMIT 1',
      );
      expect(row!.outcome).toBe('rejected');
      expect(row!.body_encoding).toBe('base64');
      expect(Buffer.from(row!.raw_body, 'base64').toString()).toBe(body);
    });
  }
});
