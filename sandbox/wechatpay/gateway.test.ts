import { Hono } from 'hono';
import { Aes, Formatter, Rsa, Wechatpay } from 'wechatpay-axios-plugin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDb } from '../../test/support/db.ts';
import { lateBoundServer } from '../../test/support/serve.ts';
import type { WechatpayCredentials } from '../../src/config.ts';
import type { Db } from '../../src/db/client.ts';
import { FakeClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { createNotifier, type Notifier } from '../shared/notifier.ts';
import { createWechatpaySandbox } from './index.ts';

/**
 * The sandbox checked by an independent client: wechatpay-axios-plugin signs the requests and verifies
 * every 2xx itself (against the real clock, so the sandbox's FakeClock starts at now).
 */
let db: Db;
let server: Awaited<ReturnType<typeof lateBoundServer>>;
let notifier: Notifier;
let creds: WechatpayCredentials;
let clock: FakeClock;
let wx: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- the plugin's chain is dynamically typed
const inbox: { headers: Headers; body: string }[] = [];

beforeAll(async () => {
  db = await freshDb();
  clock = new FakeClock(new Date());
  server = await lateBoundServer();
  notifier = createNotifier({ db, clock, log: silentLogger, timeScale: 1 });
  const sandbox = await createWechatpaySandbox(
    { db, clock, log: silentLogger, notifier, publicUrl: server.url },
    { refundWindowMs: 3600_000 },
  );
  creds = sandbox.credentials;
  const root = new Hono();
  root.route('/sandbox/wechatpay', sandbox.app);
  root.post('/notify/wechatpay', async (c) => {
    inbox.push({ headers: new Headers(c.req.raw.headers), body: await c.req.text() });
    return c.body(null, 204);
  });
  server.setApp(root);
  wx = new Wechatpay({
    mchid: creds.mchId,
    serial: creds.certSerial,
    privateKey: creds.privateKey,
    certs: { [creds.platformKeyId!]: creds.platformPublicKey! },
    baseURL: `${creds.baseUrl}/`,
  });
});
afterAll(async () => {
  await server.close();
  await db.close();
});

let seq = 0;
const outTradeNo = () => `T${Date.now()}${++seq}`;
const order = (no: string, extra: Record<string, unknown> = {}) => ({
  appid: creds.appId,
  mchid: creds.mchId,
  description: 'tea',
  out_trade_no: no,
  notify_url: `${server.url}/notify/wechatpay`,
  amount: { total: 100, currency: 'CNY' },
  ...extra,
});

/** A raw request signed with the plugin's Rsa/Formatter, to send what its client would not. */
async function raw(method: string, path: string, body: unknown, opts: { skewSeconds?: number; tamper?: boolean } = {}) {
  const url = new URL(`${creds.baseUrl}${path}`);
  const text = body === undefined ? '' : JSON.stringify(body);
  const ts = Math.floor(clock.now().getTime() / 1000) + (opts.skewSeconds ?? 0);
  const nonce = Formatter.nonce();
  const signature = Rsa.sign(
    Formatter.request(method, url.pathname + url.search, ts, nonce, opts.tamper ? `${text} ` : text),
    creds.privateKey,
  );
  const res = await fetch(url, {
    method,
    headers: {
      Authorization: Formatter.authorization(creds.mchId, nonce, signature, ts, creds.certSerial),
      'Content-Type': 'application/json',
      Accept: 'application/json',
    },
    body: body === undefined ? undefined : text,
  });
  const resBody = await res.text();
  const h = (n: string) => res.headers.get(n) ?? '';
  const verified = Rsa.verify(
    Formatter.response(h('wechatpay-timestamp'), h('wechatpay-nonce'), resBody),
    h('wechatpay-signature'),
    creds.platformPublicKey!,
  );
  return { status: res.status, body: resBody ? JSON.parse(resBody) : null, verified, serial: h('wechatpay-serial') };
}

describe('WeChat Pay sandbox gateway, checked with wechatpay-axios-plugin', () => {
  it('serves native orders, queries and a 204 close to the plugin client, which verifies every answer', async () => {
    const no = outTradeNo();
    const created = await wx.v3.pay.transactions.native.post(order(no));
    expect(created.data.code_url).toBe(`${creds.baseUrl}/cashier?pr=${/pr=(.*)$/.exec(created.data.code_url)![1]}`);
    const queried = await wx.v3.pay.transactions.outTradeNo.$out_trade_no$.get({
      params: { mchid: creds.mchId },
      out_trade_no: no,
    });
    expect(queried.data).toMatchObject({ out_trade_no: no, trade_state: 'NOTPAY', amount: { total: 100 } });
    const closed = await wx.v3.pay.transactions.outTradeNo.$out_trade_no$.close.post(
      { mchid: creds.mchId },
      { out_trade_no: no },
    );
    expect(closed.status).toBe(204);
  });

  it('answers a bad signature or a timestamp over five minutes off with a signed 401 SIGN_ERROR', async () => {
    for (const opts of [{ tamper: true }, { skewSeconds: -301 }, { skewSeconds: 301 }]) {
      const r = await raw('POST', '/v3/pay/transactions/native', order(outTradeNo()), opts);
      expect(r).toMatchObject({
        status: 401,
        body: { code: 'SIGN_ERROR' },
        verified: true,
        serial: creds.platformKeyId,
      });
    }
    expect((await raw('POST', '/v3/pay/transactions/native', order(outTradeNo()), { skewSeconds: -299 })).status).toBe(
      200,
    );
  });

  it('answers fields outside the spec with 400 PARAM_ERROR naming the field', async () => {
    const bad = async (body: unknown, path = '/v3/pay/transactions/native') => (await raw('POST', path, body)).body;
    expect(await bad(order(outTradeNo(), { amount: { total: 19.99, currency: 'CNY' } }))).toMatchObject({
      code: 'PARAM_ERROR',
      detail: { field: 'amount.total', value: 19.99 },
    });
    expect(await bad(order(outTradeNo(), { notify_url: `${server.url}/notify/wechatpay?order=1` }))).toMatchObject({
      code: 'PARAM_ERROR',
      detail: { field: 'notify_url' },
    });
    expect(await bad(order('short'))).toMatchObject({ code: 'PARAM_ERROR', detail: { field: 'out_trade_no' } });
    expect(await bad(order(outTradeNo(), { amount: { total: 100, currency: 'USD' } }))).toMatchObject({
      code: 'PARAM_ERROR',
      detail: { field: 'amount.currency' },
    });
    expect(await bad(order(outTradeNo()), '/v3/pay/transactions/h5')).toMatchObject({
      code: 'PARAM_ERROR',
      detail: { field: 'scene_info' },
    });
    expect((await raw('GET', '/v3/pay/transactions/out-trade-no/abcdefg', undefined)).body).toMatchObject({
      code: 'PARAM_ERROR',
      detail: { field: 'mchid', location: 'query' },
    });
  });

  it('answers another appid with APPID_MCHID_NOT_MATCH and unknown orders and refunds with 404', async () => {
    expect(
      (await raw('POST', '/v3/pay/transactions/native', order(outTradeNo(), { appid: 'wx0000000000000000' }))).body,
    ).toMatchObject({ code: 'APPID_MCHID_NOT_MATCH' });
    expect(
      await raw('GET', `/v3/pay/transactions/out-trade-no/NOSUCH123?mchid=${creds.mchId}`, undefined),
    ).toMatchObject({ status: 404, body: { code: 'ORDER_NOT_EXIST' }, verified: true });
    expect(await raw('GET', '/v3/refund/domestic/refunds/NOSUCH123', undefined)).toMatchObject({
      status: 404,
      body: { code: 'RESOURCE_NOT_EXISTS' },
    });
  });

  it('sends a payment notification whose signature the plugin verifies and whose resource it decrypts', async () => {
    const no = outTradeNo();
    await wx.v3.pay.transactions.native.post(order(no));
    await fetch(`${creds.baseUrl}/_control/pay/${no}`, { method: 'POST' });
    await notifier.flush();
    const n = inbox.at(-1)!;
    const h = (k: string) => n.headers.get(k)!;
    expect(h('wechatpay-serial')).toBe(creds.platformKeyId);
    expect(
      Rsa.verify(
        Formatter.response(h('wechatpay-timestamp'), h('wechatpay-nonce'), n.body),
        h('wechatpay-signature'),
        creds.platformPublicKey!,
      ),
    ).toBe(true);
    const envelope = JSON.parse(n.body);
    expect(envelope).toMatchObject({
      event_type: 'TRANSACTION.SUCCESS',
      resource_type: 'encrypt-resource',
      resource: { algorithm: 'AEAD_AES_256_GCM', associated_data: 'transaction', original_type: 'transaction' },
    });
    expect(envelope.resource.nonce).toHaveLength(12);
    const r = envelope.resource;
    const plain = JSON.parse(Aes.AesGcm.decrypt(r.ciphertext, creds.apiV3Key, r.nonce, r.associated_data));
    expect(plain).toMatchObject({
      mchid: creds.mchId,
      appid: creds.appId,
      out_trade_no: no,
      trade_state: 'SUCCESS',
      amount: { total: 100, payer_total: 100 },
    });
  });

  it('refunds through the plugin client, replays out_refund_no, and notifies the settled refund with AAD refund', async () => {
    const no = outTradeNo();
    await wx.v3.pay.transactions.native.post(order(no));
    await fetch(`${creds.baseUrl}/_control/pay/${no}`, { method: 'POST' });
    const body = {
      out_trade_no: no,
      out_refund_no: `R${no}`,
      notify_url: `${server.url}/notify/wechatpay`,
      amount: { refund: 40, total: 100, currency: 'CNY' },
    };
    const first = await wx.v3.refund.domestic.refunds.post(body);
    const again = await wx.v3.refund.domestic.refunds.post(body);
    expect(first.data).toMatchObject({ status: 'PROCESSING', out_refund_no: `R${no}` });
    expect(again.data.refund_id).toBe(first.data.refund_id);
    await fetch(`${creds.baseUrl}/_control/refunds/R${no}`, { method: 'POST', body: '{"outcome":"succeeded"}' });
    await notifier.flush();
    const r = JSON.parse(inbox.at(-1)!.body).resource;
    expect(r.associated_data).toBe('refund');
    expect(JSON.parse(Aes.AesGcm.decrypt(r.ciphertext, creds.apiV3Key, r.nonce, r.associated_data))).toMatchObject({
      out_refund_no: `R${no}`,
      refund_status: 'SUCCESS',
      amount: { refund: 40, total: 100 },
    });
  });

  it('refuses a refund after the refund window has passed', async () => {
    const no = outTradeNo();
    await wx.v3.pay.transactions.native.post(order(no));
    await fetch(`${creds.baseUrl}/_control/pay/${no}`, { method: 'POST' });
    clock.advance(3600_001);
    const r = await raw('POST', '/v3/refund/domestic/refunds', {
      out_trade_no: no,
      out_refund_no: `R${no}`,
      amount: { refund: 1, total: 100, currency: 'CNY' },
    });
    clock.set(new Date());
    expect(r.body).toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('keeps the same keys and credentials across a restart on the same database', async () => {
    const again = await createWechatpaySandbox({ db, clock, log: silentLogger, notifier, publicUrl: server.url });
    expect(again.credentials).toEqual(creds);
  });

  it('shows a marked sandbox cashier whose Fail button leaves the order unpaid and notifies nothing', async () => {
    const no = outTradeNo();
    const { data } = await wx.v3.pay.transactions.native.post(order(no));
    const html = await (await fetch(data.code_url)).text();
    expect(html).toMatch(
      /<html lang="en">[\s\S]*SANDBOX[\s\S]*¥1\.00[\s\S]*<button class="pay" type="submit">[\s\S]*<button class="fail" type="submit">/,
    );
    await notifier.flush();
    const before = inbox.length;
    const failed = await fetch(`${creds.baseUrl}/cashier/fail`, {
      method: 'POST',
      body: new URLSearchParams({ pr: /pr=(.*)$/.exec(data.code_url)![1]! }),
    });
    expect(failed.status).toBe(200);
    await notifier.flush();
    expect(inbox.length).toBe(before);
    const q = await wx.v3.pay.transactions.outTradeNo.$out_trade_no$.get({
      params: { mchid: creds.mchId },
      out_trade_no: no,
    });
    expect(q.data.trade_state).toBe('PAYERROR');
    expect((await fetch(`${creds.baseUrl}/cashier?pr=nope`)).status).toBe(404);
  });
});
