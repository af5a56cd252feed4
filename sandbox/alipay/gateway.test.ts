import { AlipaySdk } from 'alipay-sdk';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDb } from '../../test/support/db.ts';
import { lateBoundServer } from '../../test/support/serve.ts';
import type { AlipayCredentials } from '../../src/config.ts';
import type { Db } from '../../src/db/client.ts';
import { beijingDateTime, FakeClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { createNotifier } from '../shared/notifier.ts';
import { createAlipaySandbox } from './sandbox.ts';

/** The sandbox against alipay-sdk used directly: an independent client, not mallpay's adapter. */
let db: Db;
let server: Awaited<ReturnType<typeof lateBoundServer>>;
let creds: AlipayCredentials;
let sdk: AlipaySdk;
const clock = new FakeClock('2026-11-25T12:00:00Z');
let seq = 0;

beforeAll(async () => {
  db = await freshDb();
  server = await lateBoundServer();
  const notifier = createNotifier({ db, clock, log: silentLogger, timeScale: 1 });
  const sandbox = await createAlipaySandbox({ db, clock, log: silentLogger, notifier, publicUrl: server.url });
  creds = sandbox.credentials;
  server.setApp(new Hono().route('/sandbox/alipay', sandbox.app));
  sdk = new AlipaySdk({
    appId: creds.appId,
    privateKey: creds.privateKey,
    keyType: 'PKCS8',
    alipayPublicKey: creds.alipayPublicKey,
    gateway: creds.gateway,
    camelcase: false,
  });
});
afterAll(async () => {
  await server.close();
  await db.close();
});

const ts = () => beijingDateTime(clock.now());
const precreateBiz = (over: Record<string, unknown> = {}) => ({
  out_trade_no: `G${++seq}`,
  total_amount: '12.30',
  subject: 'Tea',
  ...over,
});
const precreate = (biz = precreateBiz(), extra: Record<string, unknown> = {}) =>
  sdk.exec('alipay.trade.precreate', { bizContent: biz, timestamp: ts(), ...extra }, { validateSign: true }) as Promise<
    Record<string, string>
  >;

/** Posts already-signed params as one form body, to see the gateway's exact text. */
async function rawCall(params: Record<string, string>): Promise<string> {
  const res = await fetch(creds.gateway, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
    body: new URLSearchParams(params),
  });
  return res.text();
}
/** A gateway refusal as Alipay sends it by default: an unsigned error_response (docs/protocols/alipay.md#responses). */
function unsignedError(raw: string): Record<string, string> {
  const doc = JSON.parse(raw) as Record<string, Record<string, string>>;
  expect(Object.keys(doc)).toEqual(['error_response']);
  return doc.error_response!;
}
const signedParams = (method: string, biz: Record<string, unknown>, extra: Record<string, string> = {}) =>
  Object.fromEntries(new URLSearchParams(sdk.sdkExecute(method, { bizContent: biz, timestamp: ts(), ...extra })));

describe('the Alipay sandbox gateway', () => {
  it('accepts a request signed by alipay-sdk and answers with a response alipay-sdk verifies', async () => {
    const res = await precreate();
    expect(res).toMatchObject({ code: '10000', msg: 'Success' });
    expect(res.qr_code).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sandbox\/alipay\/qr\/bax/);
  });

  it('signs the exact response text, escaped slashes included, so any altered byte fails checkResponseSign', async () => {
    const raw = await rawCall(signedParams('alipay.trade.precreate', precreateBiz()));
    expect(raw).toMatch(
      /^\{"alipay_trade_precreate_response":\{.*"qr_code":"http:\\\/\\\/.*\},"sign":"[A-Za-z0-9+/=]{344}"\}$/,
    );
    const sign = JSON.parse(raw).sign as string;
    expect(() => sdk.checkResponseSign(raw, 'alipay_trade_precreate_response', sign, 't')).not.toThrow();
    expect(() =>
      sdk.checkResponseSign(
        raw.replace('12.30', '12.31').replace('"code":"10000"', '"code":"10001"'),
        'alipay_trade_precreate_response',
        sign,
        't',
      ),
    ).toThrow();
  });

  it('refuses a request with a tampered parameter as 40002 isv.invalid-signature, naming the string it verified', async () => {
    const params = signedParams('alipay.trade.precreate', precreateBiz());
    const body = unsignedError(await rawCall({ ...params, biz_content: params.biz_content!.replace('12.30', '0.01') }));
    expect(body).toMatchObject({ code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-signature' });
    expect(body.sub_msg).toContain('sign_type=RSA2');
  });

  it('signs sign_type on requests: a signature made without it is refused', async () => {
    const params = signedParams('alipay.trade.precreate', precreateBiz());
    const { createSign } = await import('node:crypto');
    const withoutType = Object.keys(params)
      .filter((k) => k !== 'sign' && k !== 'sign_type')
      .sort()
      .map((k) => `${k}=${params[k]}`)
      .join('&');
    const sign = createSign('RSA-SHA256').update(withoutType).sign(creds.privateKey, 'base64');
    expect(unsignedError(await rawCall({ ...params, sign })).sub_code).toBe('isv.invalid-signature');
  });

  it('leaves empty values out of the signed string, so alipay-sdk signing an empty return_url is refused', async () => {
    // Unsigned: alipay-sdk's exec() with validateSign would throw instead of answering; read it without.
    const res = await sdk.exec('alipay.trade.precreate', {
      bizContent: precreateBiz(),
      timestamp: ts(),
      returnUrl: '',
    });
    expect(res).toMatchObject({ code: '40002', sub_code: 'isv.invalid-signature' });
  });

  it('refuses the local-time timestamp alipay-sdk makes under TZ=UTC, eight hours behind Beijing', async () => {
    expect(process.env.TZ).toBe('UTC');
    const saved = clock.now();
    clock.set(new Date());
    try {
      const res = await sdk.exec('alipay.trade.precreate', { bizContent: precreateBiz() });
      expect(res).toMatchObject({ code: '40002', sub_code: 'isv.invalid-timestamp' });
      expect(await precreate()).toMatchObject({ code: '10000' });
    } finally {
      clock.set(saved);
    }
  });

  it('answers missing and unknown common parameters with 40001 and 40002', async () => {
    const params = signedParams('alipay.trade.query', { out_trade_no: 'X1' });
    delete params.app_id;
    expect(unsignedError(await rawCall(params))).toMatchObject({
      code: '40001',
      sub_code: 'isv.missing-app-id',
    });
    const other = new AlipaySdk({
      appId: '2021000000000001',
      privateKey: creds.privateKey,
      keyType: 'PKCS8',
      alipayPublicKey: creds.alipayPublicKey,
      gateway: creds.gateway,
      camelcase: false,
    });
    const query = { bizContent: { out_trade_no: 'X1' }, timestamp: ts() };
    // An unsigned refusal makes alipay-sdk's verifying exec() throw, not answer: mallpay reads the raw text.
    await expect(other.exec('alipay.trade.query', query, { validateSign: true })).rejects.toThrow();
    expect(await other.exec('alipay.trade.query', query)).toMatchObject({
      code: '40002',
      sub_code: 'isv.invalid-app-id',
    });
    const unknownMethod = await sdk.exec('alipay.trade.order.settle', {
      bizContent: { out_trade_no: 'X1' },
      timestamp: ts(),
    });
    expect(unknownMethod).toMatchObject({ code: '40002', sub_code: 'isv.invalid-method' });
  });

  it('validates amounts and subjects of docs/protocols/alipay.md#business-apis with ACQ.INVALID_PARAMETER', async () => {
    expect(await precreate(precreateBiz({ total_amount: '0.001' }))).toMatchObject({
      code: '40004',
      sub_code: 'ACQ.INVALID_PARAMETER',
    });
    expect(await precreate(precreateBiz({ total_amount: '0.00' }))).toMatchObject({
      code: '40004',
      sub_code: 'ACQ.INVALID_PARAMETER',
    });
    expect(await precreate(precreateBiz({ subject: 'a/b' }))).toMatchObject({
      code: '40004',
      sub_code: 'ACQ.INVALID_PARAMETER',
    });
    expect(await precreate(precreateBiz({ out_trade_no: 'has-dash' }))).toMatchObject({
      code: '40004',
      sub_code: 'ACQ.INVALID_PARAMETER',
    });
  });

  it('answers an identical repeated precreate with the same qr_code and a changed one as inconsistent', async () => {
    const biz = precreateBiz();
    const first = await precreate(biz);
    expect((await precreate(biz)).qr_code).toBe(first.qr_code);
    expect(await precreate({ ...biz, total_amount: '99.00' })).toMatchObject({
      code: '40004',
      sub_code: 'ACQ.CONTEXT_INCONSISTENT',
    });
  });

  it('falls back to out_trade_no as the refund number of a refund made without out_request_no', async () => {
    const biz = precreateBiz({ total_amount: '5.00' });
    await precreate(biz);
    await fetch(`${server.url}/sandbox/alipay/_control/pay/${biz.out_trade_no}`, { method: 'POST' });
    const call = (method: string, b: Record<string, unknown>) =>
      sdk.exec(method, { bizContent: b, timestamp: ts() }, { validateSign: true });
    expect(await call('alipay.trade.refund', { out_trade_no: biz.out_trade_no, refund_amount: '1.00' })).toMatchObject({
      sub_code: 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL',
    });
    expect(await call('alipay.trade.refund', { out_trade_no: biz.out_trade_no, refund_amount: '5.00' })).toMatchObject({
      code: '10000',
      fund_change: 'Y',
      refund_fee: '5.00',
    });
    const q = await call('alipay.trade.fastpay.refund.query', {
      out_trade_no: biz.out_trade_no,
      out_request_no: biz.out_trade_no,
    });
    expect(q).toMatchObject({
      code: '10000',
      refund_status: 'REFUND_SUCCESS',
      refund_amount: '5.00',
      total_amount: '5.00',
    });
    const none = await call('alipay.trade.fastpay.refund.query', {
      out_trade_no: biz.out_trade_no,
      out_request_no: 'nope',
    });
    expect(none).toMatchObject({ code: '10000' });
    expect(none).not.toHaveProperty('refund_status');
  });

  it('answers a scripted system error with a signed 20000 and does nothing', async () => {
    await fetch(`${server.url}/sandbox/alipay/_control/faults`, {
      method: 'POST',
      body: JSON.stringify({ call: { fault: 'error', api: 'alipay.trade.precreate' } }),
    });
    const biz = precreateBiz();
    expect(await precreate(biz)).toMatchObject({ code: '20000', sub_code: 'isp.unknow-error' });
    const status = (await fetch(`${server.url}/sandbox/alipay/_control/trades/${biz.out_trade_no}`)).status;
    expect(status).toBe(404);
  });

  it('serves an accessible, clearly marked test cashier', async () => {
    const res = await precreate();
    const html = await (await fetch(res.qr_code!)).text();
    expect(html).toMatch(/<html lang="en">/);
    expect(html).toContain('SANDBOX');
    expect(html).toMatch(/<button type="submit"[^>]*>Pay<\/button>/);
    expect(html).toMatch(/<button type="submit"[^>]*>Fail<\/button>/);
    expect(html).toContain('¥12.30');
  });

  it('shapes its gateway refusals by mode: unsigned error_response, unsigned method response, or signed once the app is known', async () => {
    const control = (path: string, body: unknown) =>
      fetch(`${server.url}/sandbox/alipay/_control/${path}`, { method: 'POST', body: JSON.stringify(body) });
    const tampered = () => {
      const params = signedParams('alipay.trade.query', { out_trade_no: 'X1' });
      return rawCall({ ...params, biz_content: '{"out_trade_no":"X2"}' });
    };
    const wrongApp = () => {
      const params = signedParams('alipay.trade.query', { out_trade_no: 'X1' });
      return rawCall({ ...params, app_id: '2021000000000001' });
    };
    try {
      expect(unsignedError(await tampered())).toMatchObject({ code: '40002', sub_code: 'isv.invalid-signature' });
      expect((await control('modes', { gatewayErrors: 'unsigned_method_response' })).status).toBe(200);
      expect(JSON.parse(await tampered())).toEqual({
        alipay_trade_query_response: expect.objectContaining({ sub_code: 'isv.invalid-signature' }),
      });
      await control('modes', { gatewayErrors: 'signed_when_app_known' });
      const signed = await tampered();
      const doc = JSON.parse(signed) as { sign: string; alipay_trade_query_response: { sub_code: string } };
      expect(doc.alipay_trade_query_response.sub_code).toBe('isv.invalid-signature');
      expect(() => sdk.checkResponseSign(signed, 'alipay_trade_query_response', doc.sign, 't')).not.toThrow();
      // A wrong app_id leaves no key of the merchant's to sign with: unsigned in every mode.
      expect(JSON.parse(await wrongApp())).toEqual({
        alipay_trade_query_response: expect.objectContaining({ sub_code: 'isv.invalid-app-id' }),
      });
    } finally {
      await control('modes', { gatewayErrors: 'unsigned_error_response' });
    }
  });

  it('lets a page.pay trade exist only once the buyer logs in at the cashier, or at once in request mode', async () => {
    const call = (method: string, b: Record<string, unknown>) =>
      sdk.exec(method, { bizContent: b, timestamp: ts() }, { validateSign: true });
    const follow = async (no: string) => {
      const url = sdk.pageExecute('alipay.trade.page.pay', 'GET', {
        bizContent: { out_trade_no: no, total_amount: '3.00', subject: 'Tea', product_code: 'FAST_INSTANT_TRADE_PAY' },
        timestamp: ts(),
        notifyUrl: `${server.url}/notify`,
        returnUrl: `${server.url}/return`,
      });
      const res = await fetch(url, { redirect: 'manual' });
      expect(res.status).toBe(302);
      expect((await fetch(new URL(res.headers.get('location')!, server.url))).status).toBe(200);
    };
    const no = `G${++seq}`;
    await follow(no);
    expect(await call('alipay.trade.query', { out_trade_no: no })).toMatchObject({ sub_code: 'ACQ.TRADE_NOT_EXIST' });
    expect(await call('alipay.trade.close', { out_trade_no: no })).toMatchObject({ sub_code: 'ACQ.TRADE_NOT_EXIST' });

    const loggedIn = `G${++seq}`;
    await follow(loggedIn);
    await fetch(`${server.url}/sandbox/alipay/cashier/fail`, {
      method: 'POST',
      body: new URLSearchParams({ out_trade_no: loggedIn }),
    });
    expect(await call('alipay.trade.query', { out_trade_no: loggedIn })).toMatchObject({
      code: '10000',
      trade_status: 'WAIT_BUYER_PAY',
    });

    const setMode = (tradeCreation: string) =>
      fetch(`${server.url}/sandbox/alipay/_control/modes`, { method: 'POST', body: JSON.stringify({ tradeCreation }) });
    await setMode('request');
    try {
      const early = `G${++seq}`;
      await follow(early);
      expect(await call('alipay.trade.query', { out_trade_no: early })).toMatchObject({
        trade_status: 'WAIT_BUYER_PAY',
      });
      const biz = precreateBiz();
      await precreate(biz);
      expect(await call('alipay.trade.query', { out_trade_no: biz.out_trade_no })).toMatchObject({ code: '10000' });
    } finally {
      await setMode('buyer');
    }
  });

  it('answers malformed control input with 400, unknown trades with 404 and steps the trade does not allow with 409', async () => {
    const post = async (path: string, body?: string) => {
      const res = await fetch(`${server.url}/sandbox/alipay/_control/${path}`, { method: 'POST', body });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    for (const action of ['pay', 'fail', 'finish']) {
      expect(await post(`${action}/NOPE_${seq}`)).toEqual({ status: 404, body: { error: 'unknown_trade' } });
      expect((await post(`${action}/has-dash`)).status).toBe(400);
    }
    expect((await fetch(`${server.url}/sandbox/alipay/_control/trades/NOPE`)).status).toBe(404);
    const biz = precreateBiz();
    await precreate(biz);
    expect(await post(`finish/${biz.out_trade_no}`)).toMatchObject({ status: 409, body: { ok: false } });
    expect((await post(`pay/${biz.out_trade_no}`)).status).toBe(200);
    expect(await post(`pay/${biz.out_trade_no}`)).toMatchObject({ status: 409, body: { ok: false } });
    for (const bad of ['not json', '{"badSignature":-1}', '{"badSignature":"2"}', '{"badSignature":1,"x":1}', '']) {
      expect((await post('notify-faults', bad)).status).toBe(400);
    }
    expect(await post('notify-faults', '{"badSignature":0}')).toEqual({
      status: 200,
      body: { ok: true, badSignature: 0 },
    });
    expect((await post('modes', '{"gatewayErrors":"sometimes"}')).status).toBe(400);
    expect((await post('modes', '{"tradeCreation":"buyer","other":1}')).status).toBe(400);
    expect((await post('modes', '{}')).body).toMatchObject({ tradeCreation: 'buyer' });
  });

  it('keeps the keys and credentials it issued across a restart on the same database', async () => {
    const again = await createAlipaySandbox({
      db,
      clock,
      log: silentLogger,
      notifier: createNotifier({ db, clock, log: silentLogger, timeScale: 1 }),
      publicUrl: server.url,
    });
    expect(again.credentials).toEqual(creds);
  });
});
