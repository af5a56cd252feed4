import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stockOf, testApp, type TestApp } from './support/app.ts';
import { pageSession } from './support/page-session.ts';

describe('dates in the reconciliation query are real calendar dates', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  for (const date of ['2026-13-45', '2026-02-30', '2025-02-29', '2026-04-31', '2026-00-10', '26-01-01', 'yesterday']) {
    it(`refuses date=${date} as invalid_date`, async () => {
      const res = await t.call('GET', `/api/admin/reconciliation?date=${date}`, { as: 'support' });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_date');
    });
  }

  it('accepts a leap day and an ordinary date', async () => {
    for (const date of ['2028-02-29', '2026-11-24']) {
      expect((await t.call('GET', `/api/admin/reconciliation?date=${date}`, { as: 'support' })).status).toBe(200);
    }
  });
});

describe('the storefront form takes quantities in plain decimal digits only', () => {
  let t: TestApp;
  let browser: ReturnType<typeof pageSession>;
  beforeAll(async () => {
    t = await testApp();
    browser = pageSession((path, init) => t.app.request(path, init));
    await browser.login('customer');
  });
  afterAll(() => t.close());
  const orders = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM orders'))[0]!.n;

  for (const qty of ['0x10', '1e1', '+2', '-1', '2.0', ' 2', '１', '1000', '0b11', 'Infinity']) {
    it(`refuses qty=${JSON.stringify(qty)} and places nothing`, async () => {
      const before = { orders: await orders(), stock: await stockOf(t.db, 'FAN-SILK') };
      const res = await browser.post('/orders', { 'qty.FAN-SILK': qty, orderKey: crypto.randomUUID() });
      expect(res.status).toBe(422);
      expect(await orders()).toBe(before.orders);
      expect(await stockOf(t.db, 'FAN-SILK')).toBe(before.stock);
    });
  }

  it('places an order for qty=2 and treats 0 and empty fields as not chosen', async () => {
    const before = await stockOf(t.db, 'FAN-SILK');
    const res = await browser.post('/orders', {
      'qty.FAN-SILK': '2',
      'qty.TEA-LONGJING': '0',
      'qty.OTHER': '',
      orderKey: crypto.randomUUID(),
    });
    expect(res.status).toBe(303);
    expect(await stockOf(t.db, 'FAN-SILK')).toBe(before - 2);
  });
});
