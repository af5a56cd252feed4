import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './support/app.ts';
import { pageSession } from './support/page-session.ts';

/** Names every plain object answers to through its prototype: they must be as unknown as any other name. */
const INHERITED = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

describe('identifiers that are inherited property names are unknown names, never a 500', () => {
  let t: TestApp;
  let orderNo: string;
  beforeAll(async () => {
    t = await testApp();
    orderNo = (
      await t.call('POST', '/api/orders', { as: 'customer', body: { items: [{ sku: 'FAN-SILK', quantity: 1 }] } })
    ).body.orderNo;
  });
  afterAll(() => t.close());

  for (const name of INHERITED) {
    it(`refuses a payment with method "${name}" as method_not_enabled`, async () => {
      const res = await t.call('POST', `/api/orders/${orderNo}/payments`, {
        as: 'customer',
        body: { method: name, channel: 'qr' },
      });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('method_not_enabled');
    });

    it(`answers a notification to /notify/${name} as an unknown method`, async () => {
      const res = await t.app.request(`/notify/${name}`, { method: 'POST', body: 'a=b' });
      expect(res.status).toBe(404);
    });

    it(`answers a return to /return/${name} as an unknown method`, async () => {
      for (const method of ['GET', 'POST']) {
        const res = await t.app.request(`/return/${name}?paymentNo=P1`, { method });
        expect(res.status).toBe(404);
      }
    });
  }

  it('refuses the checkout form with an inherited method name as a page error, not a 500', async () => {
    const browser = pageSession((path, init) => t.app.request(path, init));
    await browser.login('customer');
    for (const name of INHERITED) {
      const res = await browser.post(
        `/checkout/${orderNo}`,
        { method: name, channel: 'qr' },
        { from: `/checkout/${orderNo}` },
      );
      expect(res.status).toBe(422);
      expect(await res.text()).not.toContain('internal error');
    }
    const rows = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM payments');
    expect(rows[0]!.n).toBe(0);
  });
});

describe('the pages’ name tables', () => {
  it('show an inherited property name as itself, not as a function’s source', async () => {
    const { i18n } = await import('../src/web/i18n/index.ts');
    for (const name of INHERITED) {
      expect(i18n('en').method(name)).toBe(name);
      expect(i18n('ja').status(name)).toBe(name);
    }
  });
});
