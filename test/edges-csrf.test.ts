import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './support/app.ts';
import { pageSession } from './support/page-session.ts';

describe('cookie-authenticated API calls that change state refuse other sites and non-JSON', () => {
  let t: TestApp;
  let customer: ReturnType<typeof pageSession>;
  let support: ReturnType<typeof pageSession>;
  beforeAll(async () => {
    t = await testApp();
    customer = pageSession((path, init) => t.app.request(path, init));
    support = pageSession((path, init) => t.app.request(path, init));
    await customer.login('customer');
    await support.login('support');
  });
  afterAll(() => t.close());
  const place = async () =>
    (await t.call('POST', '/api/orders', { as: 'customer', body: { items: [{ sku: 'FAN-SILK', quantity: 1 }] } })).body
      .orderNo as string;
  const statusOf = async (orderNo: string) =>
    (await t.call('GET', `/api/orders/${orderNo}`, { as: 'customer' })).body.status;

  it('refuses a same-site cross-origin cancel that carries only the session cookie', async () => {
    const orderNo = await place();
    for (const headers of <Record<string, string>[]>[
      { origin: 'http://evil.localhost', 'sec-fetch-site': 'same-site' },
      { origin: 'http://localhost:4000' },
      { 'sec-fetch-site': 'cross-site' },
    ]) {
      const res = await customer.request(`/api/orders/${orderNo}/cancel`, { method: 'POST', headers });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('cross_site_request');
    }
    expect(await statusOf(orderNo)).toBe('pending_payment');
  });

  it('refuses a cookie-authenticated cancel that is not JSON, even from no stated origin', async () => {
    const orderNo = await place();
    const res = await customer.request(`/api/orders/${orderNo}/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('csrf_rejected');
    expect(await statusOf(orderNo)).toBe('pending_payment');
  });

  it('refuses a cross-site staff replay carried by the staff session cookie', async () => {
    const res = await support.request('/api/admin/notifications/1/replay', {
      method: 'POST',
      headers: { origin: 'http://evil.localhost', 'sec-fetch-site': 'same-site' },
    });
    expect(res.status).toBe(403);
  });

  it('takes a same-origin JSON call with the cookie, and a bearer call from anywhere', async () => {
    const first = await place();
    const res = await customer.request(`/api/orders/${first}/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://localhost', 'sec-fetch-site': 'same-origin' },
    });
    expect(res.status).toBe(200);
    const second = await place();
    const bearer = await t.call('POST', `/api/orders/${second}/cancel`, {
      as: 'customer',
      headers: { origin: 'http://evil.localhost', 'sec-fetch-site': 'cross-site' },
    });
    expect(bearer.status).toBe(200);
  });

  it('leaves the pages’ own forms working: cancelling from My orders with its token', async () => {
    const orderNo = await place();
    const res = await customer.post(
      `/orders/${orderNo}/cancel`,
      {},
      { from: '/orders', headers: { origin: 'http://localhost', 'sec-fetch-site': 'same-origin' } },
    );
    expect(res.status).toBe(303);
    expect(await statusOf(orderNo)).toBe('closed');
  });
});
