import { createCipheriv, createSign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/lib/clock.ts';
import { silentLogger } from '../../../src/lib/log.ts';
import { loadOrCreateKeys } from '../../../sandbox/shared/store.ts';
import type { WechatpaySandboxKeys } from '../../../sandbox/wechatpay/keys.ts';
import type { InboundRequest } from '../../../src/providers/provider.ts';
import {
  attempt,
  paymentNo,
  startWechatpayWorld,
  type WechatpayWorld,
} from '../../support/providers/wechatpay.harness.ts';
import { createWechatpayProvider } from '../../../src/providers/wechatpay/index.ts';

let w: WechatpayWorld;
let genuine: InboundRequest;
beforeAll(async () => {
  w = await startWechatpayWorld();
  const no = paymentNo();
  await w.provider.createPayment(attempt(w, no));
  await w.control(`pay/${no}`);
  await w.notifier.flush();
  genuine = w.received.at(-1)!.request;
});
afterAll(() => w.close());

const withHeaders = (req: InboundRequest, changes: Record<string, string | null>): InboundRequest => {
  const headers = new Headers(req.headers);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) headers.delete(k);
    else headers.set(k, v);
  }
  return { ...req, headers };
};
const rejection = async (req: InboundRequest, provider = w.provider) => {
  const p = await provider.parseNotification(req);
  return p.kind === 'rejected' ? p.reason : p.kind;
};

describe('WeChat Pay notifications', () => {
  it('accepts the genuine notification as a payment, keyed by the notification id', async () => {
    const p = await w.provider.parseNotification(genuine);
    expect(p).toMatchObject({
      kind: 'payment',
      eventId: JSON.parse(genuine.rawBody).id,
      state: 'succeeded',
      amount: 1999,
    });
  });

  it('calls a tampered body and a missing header bad_signature, and an unknown serial unknown_serial', async () => {
    expect(await rejection({ ...genuine, rawBody: genuine.rawBody.replace('支付成功', '支付失败') })).toBe(
      'bad_signature',
    );
    expect(await rejection({ ...genuine, rawBody: `${genuine.rawBody} ` })).toBe('bad_signature');
    expect(await rejection(withHeaders(genuine, { 'wechatpay-nonce': null }))).toBe('bad_signature');
    expect(await rejection(withHeaders(genuine, { 'wechatpay-serial': 'PUB_KEY_ID_0000000000000000000000' }))).toBe(
      'unknown_serial',
    );
    expect(
      await rejection(
        withHeaders(genuine, { 'wechatpay-timestamp': String(Number(genuine.headers.get('wechatpay-timestamp')) + 1) }),
      ),
    ).toBe('bad_signature');
  });

  it('calls a correctly signed notification stale from five minutes old or ahead', async () => {
    const at = (ms: number) =>
      createWechatpayProvider(w.creds, {
        clock: new FakeClock(new Date(w.clock.now().getTime() + ms)),
        log: silentLogger,
      });
    expect(await rejection(genuine, at(5 * 60_000))).toBe('stale');
    expect(await rejection(genuine, at(-5 * 60_000))).toBe('stale');
    expect(await rejection(genuine, at(4 * 60_000 + 59_000))).toBe('payment');
  });

  it('judges a replayed notification’s freshness by when it first arrived, not by the replay', async () => {
    const hourLater = createWechatpayProvider(w.creds, {
      clock: new FakeClock(new Date(w.clock.now().getTime() + 3600_000)),
      log: silentLogger,
    });
    expect(await rejection({ ...genuine, firstReceivedAt: w.clock.now() }, hourLater)).toBe('payment');
    // One that was already stale when it arrived stays stale however it is replayed.
    expect(
      await rejection({ ...genuine, firstReceivedAt: new Date(w.clock.now().getTime() + 5 * 60_000) }, hourLater),
    ).toBe('stale');
    // And the signature is still checked first.
    expect(
      await rejection({ ...genuine, rawBody: `${genuine.rawBody} `, firstReceivedAt: w.clock.now() }, hourLater),
    ).toBe('bad_signature');
  });

  it('answers a WECHATPAY/SIGNTEST/ probe with a 4xx and records it as a probe', async () => {
    const no = paymentNo();
    await w.provider.createPayment(attempt(w, no));
    const r = await w.control(`probe/${no}`);
    expect(r.body.status).toBeGreaterThanOrEqual(400);
    expect(r.body.status).toBeLessThan(500);
    expect(JSON.parse(String(r.body.body))).toMatchObject({ code: 'FAIL' });
    expect(w.received.at(-1)!.parsed).toMatchObject({ kind: 'rejected', reason: 'probe' });
  });

  it('calls a genuine notification for another mchid or appid merchant_mismatch', async () => {
    const other = (c: Partial<typeof w.creds>) =>
      createWechatpayProvider({ ...w.creds, ...c }, { clock: w.clock, log: silentLogger });
    expect(await rejection(genuine, other({ mchId: '1900000001' }))).toBe('merchant_mismatch');
    expect(await rejection(genuine, other({ appId: 'wx0000000000000000' }))).toBe('merchant_mismatch');
  });

  it('calls a signed notification whose resource does not open with the APIv3 key malformed', async () => {
    const keys = await loadOrCreateKeys<WechatpaySandboxKeys>(w.db, 'wechatpay', () => {
      throw new Error('keys must exist');
    });
    const nonce = 'abcdefghijkl';
    const cipher = createCipheriv('aes-256-gcm', Buffer.from('x'.repeat(32)), Buffer.from(nonce));
    cipher.setAAD(Buffer.from('transaction'));
    const ciphertext = Buffer.concat([cipher.update('{"mchid":"1"}'), cipher.final(), cipher.getAuthTag()]).toString(
      'base64',
    );
    const body = JSON.stringify({
      id: 'EV-1',
      event_type: 'TRANSACTION.SUCCESS',
      resource: { algorithm: 'AEAD_AES_256_GCM', ciphertext, nonce, associated_data: 'transaction' },
    });
    const ts = String(Math.floor(w.clock.now().getTime() / 1000));
    const signature = createSign('RSA-SHA256').update(`${ts}\nn1\n${body}\n`).sign(keys.platformPrivateKey, 'base64');
    const req = withHeaders(
      { ...genuine, rawBody: body },
      { 'wechatpay-timestamp': ts, 'wechatpay-nonce': 'n1', 'wechatpay-signature': signature },
    );
    expect(await rejection(req)).toBe('malformed');
  });

  it("is sent again on WeChat's schedule until acknowledged, with the same id each time", async () => {
    const no = paymentNo();
    await w.provider.createPayment(attempt(w, no));
    w.refuseNext(2);
    await w.control(`pay/${no}`);
    expect(await w.notifier.flush()).toBe(1);
    expect(await w.notifier.flush()).toBe(0); // the next send waits 15 s
    w.clock.advance(15_000);
    expect(await w.notifier.flush()).toBe(1);
    w.clock.advance(15_000);
    expect(await w.notifier.flush()).toBe(1);
    const mine = w.received.filter((r) => r.parsed.kind === 'payment' && r.parsed.paymentNo === no);
    expect(mine.map((r) => r.status)).toEqual([500, 500, 204]);
    expect(new Set(mine.map((r) => (r.parsed as { eventId: string }).eventId)).size).toBe(1);
    // Each send is signed afresh: a redelivery is never stale.
    expect(new Set(mine.map((r) => r.request.headers.get('wechatpay-timestamp'))).size).toBe(3);
    const delivery = (await w.notifier.deliveries('wechatpay')).find(
      (d) => (d.payload.resource as { out_trade_no: string }).out_trade_no === no,
    );
    expect(delivery).toMatchObject({ status: 'delivered', sends: 3 });
  });

  it('acknowledges with 204 and no body, and refuses with a 4xx JSON FAIL', async () => {
    const yes = w.provider.acknowledge(true);
    expect(yes.status).toBe(204);
    expect(await yes.text()).toBe('');
    const no = w.provider.acknowledge(false, 'bad_signature');
    expect(no.status).toBe(400);
    expect(await no.json()).toEqual({ code: 'FAIL', message: 'bad_signature' });
  });
});
