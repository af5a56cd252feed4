import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCashier } from './support/browser-actions.ts';
import { startTestMall, type TestMall } from './support/mall.ts';
import { client, durableDatabase, eventually, startMallProcess } from './support/process.ts';

describe('nothing the request supplies is fetched as a URL', () => {
  let t: TestMall;
  const hits: string[] = [];
  const canary = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.end('ok');
  });
  let canaryUrl: string;
  beforeAll(async () => {
    t = await startTestMall();
    await new Promise<void>((r) => canary.listen(0, '127.0.0.1', r));
    canaryUrl = `http://127.0.0.1:${(canary.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await t.close();
    canary.close();
  });

  it('never calls an address put in headers, bodies or query strings', async () => {
    const evil = {
      'x-forwarded-host': canaryUrl.slice(7),
      'x-forwarded-proto': 'http',
      host: canaryUrl.slice(7),
      referer: canaryUrl,
      origin: canaryUrl,
    };
    let order;
    for (const method of ['alipay', 'wechatpay', 'unionpay']) {
      order = await t.call('POST', '/api/orders', {
        as: 'customer',
        headers: evil,
        body: { items: [{ sku: 'FAN-SILK', quantity: 1 }], notifyUrl: canaryUrl, callback: canaryUrl },
      });
      const channel = method === 'unionpay' ? 'page' : 'qr';
      const p = await t.call('POST', `/api/orders/${order.body.orderNo}/payments`, {
        as: 'customer',
        headers: evil,
        body: { method, channel, notifyUrl: canaryUrl, returnUrl: canaryUrl, notify_url: canaryUrl },
      });
      expect(p.status).toBe(201);
      expect(JSON.stringify(p.body.action)).not.toContain(canaryUrl);
      await openCashier(p.body.action);
      await t.control(method, `pay/${p.body.paymentNo}`);
    }
    await t.settle();
    await t.call('GET', `/return/alipay?out_trade_no=x&return_url=${encodeURIComponent(canaryUrl)}`, { headers: evil });
    await t.call('POST', `/api/orders/${order!.body.orderNo}/refunds`, {
      as: 'customer',
      headers: evil,
      body: { reason: canaryUrl },
    });
    await t.settle();
    expect(hits).toEqual([]);
  });
});

describe('logs', () => {
  it('never contain a password, a token, a key or a signature secret over a full run', async () => {
    const db = await durableDatabase();
    const mall = await startMallProcess({ ...db.env, LOG_LEVEL: 'trace' });
    try {
      const call = client(mall.url);
      const login = await fetch(`${mall.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'customer@demo.test', password: 'demo-customer' }),
      });
      const { token } = (await login.json()) as { token: string };
      await fetch(`${mall.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'customer@demo.test', password: 'wrong-password-123' }),
      });
      // Every provider's signing and verification runs: an attempt with each, the last one paid.
      const order = (await call('POST', '/api/orders', 'customer', { items: [{ sku: 'FAN-SILK', quantity: 1 }] })).body;
      for (const method of ['alipay', 'unionpay', 'wechatpay']) {
        const p = (
          await call('POST', `/api/orders/${order.orderNo}/payments`, 'customer', {
            method,
            channel: method === 'unionpay' ? 'page' : 'qr',
          })
        ).body;
        await openCashier(p.action);
        if (method === 'wechatpay')
          await fetch(`${mall.url}/sandbox/wechatpay/_control/pay/${p.paymentNo}`, { method: 'POST', body: '{}' });
      }
      await eventually(
        async () => (await call('GET', `/api/orders/${order.orderNo}`, 'customer')).body.status === 'paid',
        'the order paid',
      );
      const refund = (await call('POST', `/api/orders/${order.orderNo}/refunds`, 'customer', { reason: 'log test' }))
        .body;
      await call('POST', `/api/admin/refunds/${refund.refundNo}/approve`, 'support', { note: 'ok' });
      await fetch(`${mall.url}/sandbox/wechatpay/_control/refunds/${refund.refundNo}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"outcome":"succeeded"}',
      });
      await eventually(
        async () => (await call('GET', `/api/refunds/${refund.refundNo}`, 'customer')).body.status === 'succeeded',
        'the refund',
      );
      await fetch(`${mall.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
      await mall.stop();

      const logs = mall.output();
      expect(logs.split('\n').filter(Boolean).length).toBeGreaterThan(20);
      const secrets = [
        'demo-customer',
        'demo-support',
        'wrong-password-123',
        token,
        'PRIVATE KEY',
        'BEGIN CERTIFICATE',
      ];
      const pg = await import('../src/db/client.ts').then((m) =>
        m.openDb({ databaseUrl: db.env.DATABASE_URL, dataDir: db.env.DATA_DIR }),
      );
      for (const row of await pg.query<{ material: Record<string, unknown> }>('SELECT material FROM sandbox_keys')) {
        for (const v of Object.values(row.material)) {
          if (typeof v === 'string' && v.length >= 16) secrets.push(v.includes('-----') ? v.split('\n')[2]! : v);
        }
      }
      await pg.close();
      for (const secret of secrets)
        expect(logs.includes(secret), `a secret (${secret.slice(0, 12)}…) appears in the logs`).toBe(false);
    } finally {
      await mall.stop().catch(() => {});
      await db.drop();
    }
  });
});
