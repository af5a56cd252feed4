import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './support/app.ts';

describe('rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({ env: { RATE_LIMIT_LOGINS_PER_MINUTE: '5', RATE_LIMIT_ORDERS_PER_MINUTE: '3' } });
  });
  afterAll(() => t.close());

  it('slows password guessing on one account with 429 and a Retry-After, even with the right password', async () => {
    const tries = [];
    for (let i = 0; i < 12; i++)
      tries.push(
        await t.call('POST', '/api/auth/login', { body: { email: 'admin@demo.test', password: `guess-${i}` } }),
      );
    const limited = tries.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]!.body.error.code).toBe('rate_limited');
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThan(0);
    const right = await t.call('POST', '/api/auth/login', {
      body: { email: 'admin@demo.test', password: 'demo-admin' },
    });
    expect(right.status).toBe(429);
    t.clock.advance(5 * 60_000);
    expect(
      (await t.call('POST', '/api/auth/login', { body: { email: 'admin@demo.test', password: 'demo-admin' } })).status,
    ).toBe(200);
  });

  it('limits order creation per customer per minute without taking stock for refused orders', async () => {
    t.clock.advance(60_000);
    const body = { items: [{ sku: 'FAN-SILK', quantity: 1 }] };
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await t.call('POST', '/api/orders', { as: 'customer', body }));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 429, 429]);
    const [{ n }] = (await t.db.query<{ n: number }>('SELECT count(*) AS n FROM orders')) as [{ n: number }];
    expect(n).toBe(3);
    t.clock.advance(60_000);
    expect((await t.call('POST', '/api/orders', { as: 'customer', body })).status).toBe(201);
  });

  it('counts only failed logins, so switching demo roles fifteen times in five minutes never locks anyone out', async () => {
    t.clock.advance(10 * 60_000);
    const statuses = [];
    for (let i = 0; i < 15; i++) {
      const who = i % 2 ? 'customer' : 'admin';
      statuses.push(
        (await t.call('POST', '/api/auth/login', { body: { email: `${who}@demo.test`, password: `demo-${who}` } }))
          .status,
      );
    }
    expect(statuses.every((s) => s === 200)).toBe(true);
  });
});
