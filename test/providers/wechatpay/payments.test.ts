import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { Formatter, Rsa } from 'wechatpay-axios-plugin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/lib/log.ts';
import {
  attempt,
  paymentNo,
  startWechatpayWorld,
  type WechatpayWorld,
} from '../../support/providers/wechatpay.harness.ts';
import { createWechatpayProvider } from '../../../src/providers/wechatpay/index.ts';

let w: WechatpayWorld;
beforeAll(async () => {
  w = await startWechatpayWorld();
});
afterAll(() => w.close());

const notificationsFor = (no: string) =>
  w.received.filter((r) => r.parsed.kind !== 'rejected' && 'paymentNo' in r.parsed && r.parsed.paymentNo === no);

describe('WeChat Pay payments against the sandbox', () => {
  it('creates a native order whose code_url is the sandbox cashier, verbatim', async () => {
    const no = paymentNo();
    const r = await w.provider.createPayment(attempt(w, no));
    expect(r.kind).toBe('created');
    if (r.kind !== 'created' || r.action.type !== 'qr') throw new Error('expected a qr action');
    expect(r.action.content).toMatch(new RegExp(`^${w.creds.baseUrl}/cashier\\?pr=wx[A-Za-z0-9]+$`));
    const sent = JSON.parse(w.outgoing.at(-1)!.body);
    expect(sent).toMatchObject({
      mchid: w.creds.mchId,
      appid: w.creds.appId,
      out_trade_no: no,
      notify_url: w.notifyUrl,
      amount: { total: 1999, currency: 'CNY' },
    });
    expect(sent.time_expire).toBe('2026-11-25T20:30:00+08:00');
  });

  it('signs its Authorization header in a way wechatpay-axios-plugin verifies with the merchant public key', async () => {
    await w.provider.queryPayment(attempt(w, paymentNo()));
    await w.provider.createPayment(attempt(w, paymentNo()));
    const merchantPublic = createPublicKey(w.creds.privateKey).export({ type: 'spki', format: 'pem' }).toString();
    for (const req of w.outgoing.slice(-2)) {
      const items = Object.fromEntries(
        [...req.headers.get('authorization')!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
      );
      const url = new URL(req.url);
      const message = Formatter.request(
        req.method,
        url.pathname + url.search,
        items.timestamp!,
        items.nonce_str!,
        req.body,
      );
      expect(Rsa.verify(message, items.signature!, merchantPublic)).toBe(true);
      expect(items).toMatchObject({ mchid: w.creds.mchId, serial_no: w.creds.certSerial });
    }
  });

  it('learns of a payment through a notification that decrypts to payment succeeded, and acknowledges it with 204', async () => {
    const no = paymentNo();
    await w.provider.createPayment(attempt(w, no, 2500));
    await w.control(`pay/${no}`);
    await w.notifier.flush();
    const [n] = notificationsFor(no);
    expect(n?.parsed).toMatchObject({
      kind: 'payment',
      paymentNo: no,
      state: 'succeeded',
      amount: 2500,
      confirmByQuery: false,
    });
    expect(n?.status).toBe(204);
    const deliveries = await w.notifier.deliveries('wechatpay');
    expect(
      deliveries
        .filter((d) => (d.payload.resource as { out_trade_no: string }).out_trade_no === no)
        .map((d) => d.status),
    ).toEqual(['delivered']);
  });

  it('answers pending for an unpaid order and for one WeChat has not seen, succeeded once paid', async () => {
    const no = paymentNo();
    expect(await w.provider.queryPayment(attempt(w, no))).toEqual({ kind: 'pending' });
    await w.provider.createPayment(attempt(w, no, 1234));
    expect(await w.provider.queryPayment(attempt(w, no))).toEqual({ kind: 'pending' });
    await w.control(`pay/${no}`);
    const paid = await w.provider.queryPayment(attempt(w, no));
    expect(paid).toMatchObject({ kind: 'succeeded', amount: 1234 });
    if (paid.kind === 'succeeded') expect(paid.providerTradeNo).toMatch(/^42000\d{23}$/);
  });

  it('closes an unpaid order and reports already_paid for a paid one', async () => {
    const open = paymentNo();
    await w.provider.createPayment(attempt(w, open));
    expect(await w.provider.closePayment(attempt(w, open))).toEqual({ kind: 'closed' });
    expect(await w.provider.closePayment(attempt(w, open))).toEqual({ kind: 'closed' });
    expect(await w.provider.queryPayment(attempt(w, open))).toEqual({ kind: 'closed' });
    const paid = paymentNo();
    await w.provider.createPayment(attempt(w, paid));
    await w.control(`pay/${paid}`);
    expect(await w.provider.closePayment(attempt(w, paid))).toEqual({ kind: 'already_paid' });
  });

  it('reports a failed payment by query only, with no notification', async () => {
    const no = paymentNo();
    await w.provider.createPayment(attempt(w, no));
    await w.control(`fail/${no}`);
    await w.notifier.flush();
    expect(await w.provider.queryPayment(attempt(w, no))).toMatchObject({ kind: 'failed' });
    expect(notificationsFor(no)).toEqual([]);
  });

  it('gets the same code_url when it retries the same order, and a final failure when the number is reused for another amount', async () => {
    const no = paymentNo();
    const first = await w.provider.createPayment(attempt(w, no));
    expect(await w.provider.createPayment(attempt(w, no))).toEqual(first);
    expect(await w.provider.createPayment(attempt(w, no, 1))).toMatchObject({
      kind: 'failed',
      reason: 'OUT_TRADE_NO_USED',
    });
  });

  it('creates one order when the same create arrives twice at once', async () => {
    const no = paymentNo();
    const [a, b] = await Promise.all([
      w.provider.createPayment(attempt(w, no)),
      w.provider.createPayment(attempt(w, no)),
    ]);
    expect(a).toMatchObject({ kind: 'created' });
    expect(b).toEqual(a);
  });

  it('treats a system error and a gateway timeout as unknown, and the timed-out order still exists', async () => {
    const a = paymentNo();
    w.sandbox.faults.failNextCall('error', 'native');
    expect(await w.provider.createPayment(attempt(w, a))).toMatchObject({ kind: 'unknown', reason: 'SYSTEM_ERROR' });
    expect(await w.provider.createPayment(attempt(w, a))).toMatchObject({ kind: 'created' });
    const b = paymentNo();
    w.sandbox.faults.failNextCall('timeout', 'native');
    expect(await w.provider.createPayment(attempt(w, b))).toMatchObject({ kind: 'unknown', reason: 'http_504' });
    expect(await w.provider.queryPayment(attempt(w, b))).toEqual({ kind: 'pending' });
    w.sandbox.faults.failNextCall('error', 'query');
    expect(await w.provider.queryPayment(attempt(w, b))).toEqual({ kind: 'unknown', reason: 'SYSTEM_ERROR' });
  });

  it('pays an H5 order in the cashier page and the browser comes back to the return URL with its payment number', async () => {
    const no = paymentNo();
    const r = await w.provider.createPayment(attempt(w, no, 880, 'h5'));
    if (r.kind !== 'created' || r.action.type !== 'redirect') throw new Error('expected a redirect action');
    expect(JSON.parse(w.outgoing.at(-1)!.body).scene_info).toEqual({
      payer_client_ip: '203.0.113.7',
      h5_info: { type: 'Wap' },
    });
    const page = await fetch(r.action.url);
    const html = await page.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('SANDBOX');
    expect(html).toContain(no);
    expect(html).toContain('¥8.80');
    const form = /<form method="post" action="([^"]+)">(.*?)<\/form>/.exec(html)!;
    const fields = new URLSearchParams(
      [...form[2]!.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!.replace(/&#38;/g, '&')]),
    );
    const paid = await fetch(new URL(form[1]!, page.url), { method: 'POST', body: fields, redirect: 'manual' });
    expect(paid.status).toBe(303);
    const back = new URL(paid.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(w.returnUrl);
    expect(
      await w.provider.parseReturn({ method: 'GET', headers: new Headers(), rawBody: '', query: back.searchParams }),
    ).toEqual({ paymentNo: no, verified: false });
    expect(await w.provider.queryPayment(attempt(w, no, 880, 'h5'))).toMatchObject({ kind: 'succeeded', amount: 880 });
  });

  it('trusts no answer signed by a key it does not know, not even a 204 close', async () => {
    const no = paymentNo();
    await w.provider.createPayment(attempt(w, no));
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    const stranger = createWechatpayProvider(
      { ...w.creds, platformKeyId: 'PUB_KEY_ID_0199999999999999999999' },
      { clock: w.clock, log: silentLogger },
    );
    const wrongKey = createWechatpayProvider(
      { ...w.creds, platformPublicKey: other },
      { clock: w.clock, log: silentLogger },
    );
    for (const [p, reason] of [
      [stranger, 'unknown_serial'],
      [wrongKey, 'bad_response_signature'],
    ] as const) {
      expect(await p.queryPayment(attempt(w, no))).toEqual({ kind: 'unknown', reason });
      expect(await p.closePayment(attempt(w, no))).toEqual({ kind: 'unknown', reason });
    }
  });

  it('refuses to send a notify_url with a query or a currency other than CNY', async () => {
    const a = attempt(w, paymentNo());
    expect(await w.provider.createPayment({ ...a, notifyUrl: `${w.notifyUrl}?x=1` })).toMatchObject({
      kind: 'failed',
      reason: 'invalid_notify_url',
    });
    expect(await w.provider.createPayment({ ...a, currency: 'USD' })).toMatchObject({
      kind: 'failed',
      reason: 'unsupported_currency',
    });
  });
});
