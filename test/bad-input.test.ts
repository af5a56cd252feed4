import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stockOf, testApp, type TestApp } from './support/app.ts';

describe('bad input changes nothing and gets a stable error code', () => {
  let t: TestApp;
  let ordersBefore: number;
  let stockBefore: number;
  beforeAll(async () => {
    t = await testApp();
    ordersBefore = await countOrders();
    stockBefore = await stockOf(t.db, 'FAN-SILK');
  });
  afterAll(async () => {
    expect(await countOrders()).toBe(ordersBefore);
    expect(await stockOf(t.db, 'FAN-SILK')).toBe(stockBefore);
    await t.close();
  });
  const countOrders = async () => (await t.db.query<{ n: number }>('SELECT count(*) AS n FROM orders'))[0]!.n;

  const cases: [string, unknown, number, string][] = [
    ['an unknown sku', { items: [{ sku: 'NOPE', quantity: 1 }] }, 422, 'unknown_sku'],
    ['quantity 0', { items: [{ sku: 'FAN-SILK', quantity: 0 }] }, 422, 'validation_failed'],
    ['a negative quantity', { items: [{ sku: 'FAN-SILK', quantity: -1 }] }, 422, 'validation_failed'],
    ['a quantity over 999', { items: [{ sku: 'FAN-SILK', quantity: 1000 }] }, 422, 'validation_failed'],
    ['a fractional quantity', { items: [{ sku: 'FAN-SILK', quantity: 1.5 }] }, 422, 'validation_failed'],
    [
      'the same sku twice over 999 in all',
      {
        items: [
          { sku: 'FAN-SILK', quantity: 600 },
          { sku: 'FAN-SILK', quantity: 400 },
        ],
      },
      422,
      'validation_failed',
    ],
    ['no items', { items: [] }, 422, 'validation_failed'],
    ['a string for items', { items: 'FAN-SILK' }, 422, 'validation_failed'],
    ['malformed JSON', '{"items": [', 400, 'malformed_json'],
  ];
  for (const [what, body, status, code] of cases) {
    it(`refuses an order with ${what} as ${code}`, async () => {
      const res = await t.call('POST', '/api/orders', { as: 'customer', body });
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(typeof res.body.error.message).toBe('string');
    });
  }

  it('refuses an order with no token, and with a forged one, as unauthenticated', async () => {
    const body = { items: [{ sku: 'FAN-SILK', quantity: 1 }] };
    for (const as of [undefined, { token: 'forged-token-forged-token-forged' }, { token: 'x' }]) {
      const res = await t.call('POST', '/api/orders', { as, body });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
    }
  });

  it('refuses staff endpoints to a customer token as forbidden', async () => {
    const res = await t.call('GET', '/api/admin/notifications', { as: 'customer' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect((await t.call('GET', '/api/admin/notifications', { as: 'support' })).status).toBe(200);
  });

  it('refuses a wrong password without saying which part was wrong', async () => {
    const wrongPassword = await t.call('POST', '/api/auth/login', {
      body: { email: 'customer@demo.test', password: 'nope' },
    });
    const unknownUser = await t.call('POST', '/api/auth/login', {
      body: { email: 'nobody@demo.test', password: 'nope' },
    });
    expect(wrongPassword.status).toBe(401);
    expect(wrongPassword.body).toEqual(unknownUser.body);
    expect(wrongPassword.body.error.code).toBe('invalid_credentials');
  });

  it('answers an unknown order number and a malformed one as 404', async () => {
    expect((await t.call('GET', '/api/orders/M00000000000000000000000', { as: 'customer' })).body.error.code).toBe(
      'order_not_found',
    );
    expect((await t.call('GET', '/api/orders/..%2F..%2Fetc', { as: 'customer' })).status).toBeGreaterThanOrEqual(400);
  });

  it('logs in with a session cookie that works like the bearer token', async () => {
    const res = await t.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'customer@demo.test', password: 'demo-customer' }),
    });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/mallpay_session=.+HttpOnly/i);
    const me = await t.app.request('/api/me', { headers: { cookie: cookie.split(';')[0]! } });
    expect(((await me.json()) as { email: string }).email).toBe('customer@demo.test');
  });
});
