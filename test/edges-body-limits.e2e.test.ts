import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestMall, type TestMall } from './support/mall.ts';
import { pageSession } from './support/page-session.ts';

const MB = 1024 * 1024;
/** A body sent in chunks with no Content-Length, as a client that streams it would. */
function streamed(bytes: number, chunk = 64 * 1024): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      const n = Math.min(chunk, bytes - sent);
      sent += n;
      controller.enqueue(new Uint8Array(n).fill(0x61));
    },
  });
}

/**
 * One POST on a connection of its own (closed after): the server answers an oversized body without reading
 * it and then drops the connection, which a pooled fetch could try to reuse for the next test.
 */
function postAlone(
  url: string,
  headers: Record<string, string>,
  body: string | ReadableStream<Uint8Array>,
): Promise<{ status: number; text: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...headers, connection: 'close' }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString(), headers: res.headers }),
      );
      res.on('error', reject);
    });
    // The server may close while the rest of the body is still being written: that is the point.
    req.on('error', () => {});
    if (typeof body === 'string') {
      req.setHeader('content-length', Buffer.byteLength(body));
      req.end(body);
      return;
    }
    const reader = body.getReader();
    const pump = (): void => {
      reader.read().then(({ done, value }) => {
        if (done || req.destroyed) return void req.end();
        if (req.write(value)) pump();
        else req.once('drain', pump);
      }, reject);
    };
    pump();
  });
}

describe('every route has a body limit, checked before anything is parsed or stored', () => {
  let t: TestMall;
  beforeAll(async () => {
    t = await startTestMall({ RATE_LIMIT_UNVERIFIED_NOTIFICATIONS_PER_MINUTE: '3' });
  });
  afterAll(() => t.close());
  const count = async (table: string) =>
    (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;
  const token = () =>
    t.call('POST', '/api/auth/login', { body: { email: 'customer@demo.test', password: 'demo-customer' } });

  it('refuses a valid order carrying a 20 MB extra field with 413 payload_too_large and places nothing', async () => {
    const { token: bearer } = (await token()).body;
    const before = await count('orders');
    const res = await postAlone(
      `${t.url}/api/orders`,
      { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      JSON.stringify({ items: [{ sku: 'FAN-SILK', quantity: 1 }], pad: 'x'.repeat(20 * MB) }),
    );
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text).error.code).toBe('payload_too_large');
    expect(await count('orders')).toBe(before);
  });

  it('cuts off a streamed API body without Content-Length as soon as it passes the limit', async () => {
    const { token: bearer } = (await token()).body;
    const res = await postAlone(
      `${t.url}/api/orders`,
      { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      streamed(2 * MB),
    );
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text).error.code).toBe('payload_too_large');
  });

  it('still takes an ordinary order under the limit', async () => {
    const res = await t.call('POST', '/api/orders', {
      as: 'customer',
      body: { items: [{ sku: 'FAN-SILK', quantity: 1 }] },
    });
    expect(res.status).toBe(201);
  });

  const failure = { alipay: 'failure', wechatpay: '"code":"FAIL"', unionpay: 'refused' } as const;
  for (const method of ['alipay', 'wechatpay', 'unionpay'] as const) {
    it(`refuses a 20 MB notification to /notify/${method} unread and unstored, in ${method}'s failure format`, async () => {
      const before = await count('notifications');
      for (const body of ['a'.repeat(20 * MB), streamed(20 * MB)]) {
        const res = await postAlone(
          `${t.url}/notify/${method}`,
          { 'content-type': method === 'wechatpay' ? 'application/json' : 'application/x-www-form-urlencoded' },
          body,
        );
        expect(res.status).toBe(413);
        expect(res.text).toContain(failure[method]);
      }
      expect(await count('notifications')).toBe(before);
    });
  }

  it('refuses a 1 MB page form with 413 and logs nobody in', async () => {
    const browser = pageSession((path, init) => fetch(t.url + path, init));
    const csrf = await browser.csrf('/login');
    const form = new URLSearchParams({ _csrf: csrf, email: 'customer@demo.test', password: 'demo-customer' });
    const res = await postAlone(
      `${t.url}/login`,
      { 'content-type': 'application/x-www-form-urlencoded', cookie: browser.cookieHeader() },
      `${form}&pad=${'x'.repeat(MB)}`,
    );
    expect(res.status).toBe(413);
    expect(String(res.headers['set-cookie'] ?? '')).not.toContain('mallpay_session');
  });

  it('keeps only the first 8 KB of an unverifiable notification, with its size and sender', async () => {
    const body = `out_trade_no=P1&sign=forged&pad=${'z'.repeat(30_000)}`;
    const res = await fetch(`${t.url}/notify/alipay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    expect(await res.text()).toBe('failure');
    const [row] = await t.db.query<{ len: number; raw_size: number; body_truncated: boolean; source_ip: string }>(
      `SELECT length(raw_body) AS len, raw_size, body_truncated, source_ip FROM notifications ORDER BY id DESC LIMIT 1`,
    );
    expect(row).toEqual({ len: 8192, raw_size: body.length, body_truncated: true, source_ip: '127.0.0.1' });
    const id = (await t.db.query<{ id: number }>('SELECT id FROM notifications ORDER BY id DESC LIMIT 1'))[0]!.id;
    const replay = await t.call('POST', `/api/admin/notifications/${id}/replay`, { as: 'support' });
    expect(replay.status).toBe(409);
  });

  it('refuses unverifiable notifications from an address past its limit, unstored, until the minute has passed', async () => {
    const send = () =>
      fetch(`${t.url}/notify/wechatpay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"id":"junk"}',
      });
    // The earlier test's notification counts too: the limit is 3 a minute from 127.0.0.1.
    t.clock.advance(61_000);
    const before = await count('notifications');
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await send()).status);
    expect(statuses.slice(0, 3).every((s) => s !== 429)).toBe(true);
    expect(statuses.slice(3)).toEqual([429, 429]);
    expect(await count('notifications')).toBe(before + 3);
    // A genuine notification from the same address (a provider's probes and its real notifications share
    // one) is applied and recorded all the same.
    const { orderNo } = await t.placeOrder();
    const { paymentNo } = await t.pay(orderNo, 'wechatpay', 'qr');
    await t.control('wechatpay', `pay/${paymentNo}`);
    await t.mall.sandboxes!.notifier.flush();
    expect((await t.notifications('wechatpay')).find((n) => n.outTradeNo === paymentNo)).toMatchObject({
      outcome: 'applied',
    });
    t.clock.advance(61_000);
    expect((await send()).status).not.toBe(429);
    expect(await count('notifications')).toBe(before + 5);
  });

  it('lists rejected notifications with previews only, and shows one whole body on its own page', async () => {
    const big = `{"id":"junk","pad":"${'q'.repeat(7000)}"}`;
    t.clock.advance(61_000);
    await fetch(`${t.url}/notify/wechatpay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: big,
    });
    const id = (await t.db.query<{ id: number }>('SELECT id FROM notifications ORDER BY id DESC LIMIT 1'))[0]!.id;
    const staff = pageSession((path, init) => fetch(t.url + path, init));
    await staff.login('support');
    const list = await (await staff.request('/console/notifications')).text();
    expect(list).toContain(`/console/notifications/${id}`);
    expect(list).not.toContain('q'.repeat(1000));
    const detail = await staff.request(`/console/notifications/${id}`);
    expect(detail.status).toBe(200);
    expect(await detail.text()).toContain('q'.repeat(7000));
  });
});
