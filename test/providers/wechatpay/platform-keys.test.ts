import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/lib/log.ts';
import { createWechatpayProvider } from '../../../src/providers/wechatpay/index.ts';
import {
  attempt,
  paymentNo,
  startWechatpayWorld,
  type WechatpayWorld,
} from '../../support/providers/wechatpay.harness.ts';

const MINUTE = 60_000;
const serialOf = (r: { headers: Headers }) => r.headers.get('wechatpay-serial');
const certificateCalls = (w: WechatpayWorld) => w.outgoing.filter((r) => r.url.endsWith('/v3/certificates'));

/** GET /_control/platform: the merchant state and the certificates WeChat serves. */
async function platformInfo(w: WechatpayWorld) {
  const res = await fetch(`${w.creds.baseUrl}/_control/platform`);
  return (await res.json()) as { state: string; certificates: { serial: string; expireAt: string }[] };
}

async function payAndDeliver(w: WechatpayWorld) {
  const no = paymentNo();
  expect((await w.provider.createPayment(attempt(w, no))).kind).toBe('created');
  await w.control(`pay/${no}`);
  await w.notifier.flush();
  return w.received.filter((r) => r.request.rawBody && 'paymentNo' in r.parsed && r.parsed.paymentNo === no);
}

describe('a WeChat Pay merchant on platform certificates only', () => {
  let w: WechatpayWorld;
  beforeAll(async () => {
    w = await startWechatpayWorld({ sandbox: { merchantState: 'certificate' } });
  });
  afterAll(() => w.close());

  it('is configured with no public key and learns its certificates from GET /v3/certificates before its first call', async () => {
    expect(w.creds.platformPublicKey).toBeUndefined();
    expect(w.creds.platformCerts).toEqual([]);
    const no = paymentNo();
    expect((await w.provider.createPayment(attempt(w, no))).kind).toBe('created');
    const [fetch, create] = w.outgoing.slice(-2);
    expect(fetch!.url).toMatch(/\/v3\/certificates$/);
    const [cert] = (await platformInfo(w)).certificates;
    expect(cert!.serial).toMatch(/^[0-9A-F]{40}$/);
    expect(serialOf(create!)).toBe(cert!.serial);
    expect(await w.provider.queryPayment(attempt(w, no))).toEqual({ kind: 'pending' });
  });

  it('verifies a notification signed with the platform certificate', async () => {
    const [n] = await payAndDeliver(w);
    expect(n?.parsed).toMatchObject({ kind: 'payment', state: 'succeeded' });
    expect(serialOf(n!.request)).toMatch(/^[0-9A-F]{40}$/);
  });

  it('follows a certificate rotation: the new certificate is served beside the old, learnt on first sight, and named from then on', async () => {
    const before = certificateCalls(w).length;
    const { body } = await w.control('platform/rotate');
    const fresh = (body as { serial: string }).serial;
    expect((body as { certificates: string[] }).certificates).toHaveLength(2);
    w.clock.advance(2 * MINUTE);
    const [n] = await payAndDeliver(w);
    expect(serialOf(n!.request)).toBe(fresh);
    expect(n?.parsed).toMatchObject({ kind: 'payment', state: 'succeeded' });
    expect(certificateCalls(w).length).toBe(before + 1);
    await w.provider.queryPayment(attempt(w, paymentNo()));
    expect(serialOf(w.outgoing.at(-1)!)).toBe(fresh);
  });

  it('refuses a notification naming a serial WeChat never issued as unknown_serial, asking WeChat at most once a minute', async () => {
    w.clock.advance(2 * MINUTE);
    const [n] = await payAndDeliver(w);
    const before = certificateCalls(w).length;
    const forged = (serial: string) => {
      const headers = new Headers(n!.request.headers);
      headers.set('wechatpay-serial', serial);
      return w.provider.parseNotification({ ...n!.request, headers });
    };
    for (const serial of ['1234567890ABCDEF1234567890ABCDEF12345678', 'FEDCBA0987654321FEDCBA0987654321FEDCBA09'])
      expect(await forged(serial)).toMatchObject({ kind: 'rejected', reason: 'unknown_serial' });
    expect(certificateCalls(w).length).toBe(before + 1);
  });

  it('drops the old certificate once WeChat retires it after the overlap', async () => {
    const old = (await platformInfo(w)).certificates[0]!;
    w.clock.set(new Date(new Date(old.expireAt).getTime() + MINUTE));
    const [n] = await payAndDeliver(w);
    const headers = new Headers(n!.request.headers);
    headers.set('wechatpay-serial', old.serial);
    expect(await w.provider.parseNotification({ ...n!.request, headers })).toMatchObject({
      kind: 'rejected',
      reason: 'unknown_serial',
    });
  });
});

describe('a WeChat Pay merchant with the public key only', () => {
  let w: WechatpayWorld;
  beforeAll(async () => {
    w = await startWechatpayWorld({ sandbox: { merchantState: 'public_key' } });
  });
  afterAll(() => w.close());

  it('names its PUB_KEY_ID_ (34 digits) in every request and gets answers signed with it', async () => {
    expect(w.creds.platformKeyId).toMatch(/^PUB_KEY_ID_\d{34}$/);
    expect(w.creds.platformCerts).toBeUndefined();
    const no = paymentNo();
    await w.provider.createPayment(attempt(w, no));
    expect(await w.provider.queryPayment(attempt(w, no))).toEqual({ kind: 'pending' });
    for (const r of w.outgoing) expect(serialOf(r)).toBe(w.creds.platformKeyId);
  });

  it('is answered 404 RESOURCE_NOT_EXISTS by GET /v3/certificates, as WeChat answers such merchants', async () => {
    const r = await w.signedGet('/v3/certificates');
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ code: 'RESOURCE_NOT_EXISTS', message: expect.stringMatching(/^无可用的平台证书/) });
  });

  it('refuses, as unknown_serial, every answer when configured for certificates only', async () => {
    const certsOnly = createWechatpayProvider(
      { ...w.creds, platformPublicKey: undefined, platformKeyId: undefined, platformCerts: [] },
      { clock: w.clock, log: silentLogger },
    );
    expect(await certsOnly.queryPayment(attempt(w, paymentNo()))).toEqual({
      kind: 'unknown',
      reason: 'unknown_serial',
    });
  });
});

describe('a WeChat Pay merchant migrating from platform certificates to the public key', () => {
  let w: WechatpayWorld;
  let coin = 0;
  beforeAll(async () => {
    // Alternates the notification key: public key, certificate, public key, …
    w = await startWechatpayWorld({ sandbox: { merchantState: 'migrating', random: () => (coin++ % 2) * 0.9 } });
  });
  afterAll(() => w.close());

  it('is configured with both, names the public key and is answered with it', async () => {
    expect(w.creds.platformKeyId).toMatch(/^PUB_KEY_ID_/);
    expect(w.creds.platformCerts).toEqual([]);
    const no = paymentNo();
    await w.provider.createPayment(attempt(w, no));
    expect(await w.provider.queryPayment(attempt(w, no))).toEqual({ kind: 'pending' });
    expect(serialOf(w.outgoing.at(-1)!)).toBe(w.creds.platformKeyId);
  });

  it('verifies each notification by the key its Wechatpay-Serial names, public key or certificate', async () => {
    const first = (await payAndDeliver(w))[0]!;
    const second = (await payAndDeliver(w))[0]!;
    const serials = [serialOf(first.request), serialOf(second.request)];
    expect(serials).toContain(w.creds.platformKeyId);
    expect(serials.find((s) => s !== w.creds.platformKeyId)).toMatch(/^[0-9A-F]{40}$/);
    for (const n of [first, second]) expect(n.parsed).toMatchObject({ kind: 'payment', state: 'succeeded' });
  });

  it('signs an answer with the platform certificate when the request names it', async () => {
    const cert = (await platformInfo(w)).certificates[0]!.serial;
    const res = await fetch(`${w.creds.baseUrl}/v3/certificates`, { headers: { 'Wechatpay-Serial': cert } });
    // Unauthenticated, so a 401 SIGN_ERROR, but signed all the same with the key named.
    expect(res.status).toBe(401);
    expect(res.headers.get('wechatpay-serial')).toBe(cert);
  });
});
