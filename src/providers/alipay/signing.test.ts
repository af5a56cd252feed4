import { AlipaySdk } from 'alipay-sdk';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../lib/clock.ts';
import { silentLogger } from '../../lib/log.ts';
import type { CreatePaymentInput } from '../provider.ts';
import { createAlipayProvider } from './provider.ts';

/** No gateway is needed: page/wap URLs are signed locally, which lets us check the request signing itself. */
const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const appPublicKey = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }) as string;
const pkcs1 = createPrivateKey(privateKey).export({ type: 'pkcs1', format: 'pem' }) as string;
const clock = new FakeClock('2026-11-25T12:00:00Z');
const creds = {
  appId: '2021000000000042',
  privateKey,
  alipayPublicKey: appPublicKey,
  gateway: 'https://openapi.example.test/gateway.do',
};
const dir = mkdtempSync(join(tmpdir(), 'alipay-sign-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const input = (over: Partial<CreatePaymentInput> = {}): CreatePaymentInput => ({
  paymentNo: 'P2026_0001',
  channel: 'page',
  amount: 1999,
  currency: 'CNY',
  createdAt: clock.now(),
  subject: 'Tea / cups = 2 & more',
  expiresAt: new Date(clock.now().getTime() + 30 * 60_000),
  notifyUrl: 'https://mall.example/notify/alipay',
  returnUrl: 'https://mall.example/return/alipay',
  clientIp: '127.0.0.1',
  ...over,
});

async function signedUrl(key = privateKey, over: Partial<CreatePaymentInput> = {}) {
  const created = await createAlipayProvider({ ...creds, privateKey: key }, { clock, log: silentLogger }).createPayment(
    input(over),
  );
  if (created.kind !== 'created' || created.action.type !== 'redirect') throw new Error(JSON.stringify(created));
  return new URL(created.action.url);
}
/** The string of docs/protocols/alipay.md#request-signature, by hand: all but sign, sorted, raw values. */
const content = (p: URLSearchParams) =>
  [...p.keys()]
    .filter((k) => k !== 'sign')
    .sort()
    .map((k) => `${k}=${p.get(k)}`)
    .join('&');

describe('Alipay request signing', () => {
  it('signs page.pay URLs so that alipay-sdk rsaCheck verifies them with the app public key', async () => {
    const url = await signedUrl();
    const oracle = new AlipaySdk({ appId: creds.appId, privateKey, keyType: 'PKCS8', alipayPublicKey: appPublicKey });
    expect(url.origin + url.pathname).toBe(creds.gateway);
    expect(oracle.rsaCheck(content(url.searchParams), url.searchParams.get('sign')!)).toBe(true);
  });

  it('produces byte for byte the signature openssl makes over the string of docs/protocols/alipay.md#request-signature', async () => {
    const url = await signedUrl();
    writeFileSync(join(dir, 'key.pem'), privateKey);
    writeFileSync(join(dir, 'content.txt'), content(url.searchParams));
    const sig = execFileSync('/usr/bin/openssl', [
      'dgst',
      '-sha256',
      '-sign',
      join(dir, 'key.pem'),
      join(dir, 'content.txt'),
    ]);
    expect(url.searchParams.get('sign')).toBe(sig.toString('base64'));
  });

  it('detects a PKCS#1 key and signs exactly as with the same key in PKCS#8', async () => {
    expect(pkcs1).toContain('BEGIN RSA PRIVATE KEY');
    expect((await signedUrl(pkcs1)).searchParams.get('sign')).toBe((await signedUrl()).searchParams.get('sign'));
  });

  it('stamps requests with Beijing time even though the process runs in UTC', async () => {
    expect(process.env.TZ).toBe('UTC');
    const p = (await signedUrl()).searchParams;
    expect(p.get('timestamp')).toBe('2026-11-25 20:00:00');
    expect(JSON.parse(p.get('biz_content')!).time_expire).toBe('2026-11-25 20:30:00');
  });

  it('sends the amount as a yuan string, a cleaned subject, both URLs and no empty parameter', async () => {
    const p = (await signedUrl(privateKey, { channel: 'wap', amount: 5 })).searchParams;
    expect(JSON.parse(p.get('biz_content')!)).toEqual({
      out_trade_no: 'P2026_0001',
      total_amount: '0.05',
      subject: 'Tea cups 2 more',
      product_code: 'QUICK_WAP_WAY',
      time_expire: '2026-11-25 20:30:00',
    });
    expect(p.get('method')).toBe('alipay.trade.wap.pay');
    expect(p.get('notify_url')).toBe('https://mall.example/notify/alipay');
    expect(p.get('return_url')).toBe('https://mall.example/return/alipay');
    expect([...p.values()].every((v) => v !== '')).toBe(true);
  });

  it('refuses notify or return URLs with a query, and payment numbers Alipay does not accept', async () => {
    const provider = createAlipayProvider(creds, { clock, log: silentLogger });
    expect(await provider.createPayment(input({ notifyUrl: 'https://mall.example/notify/alipay?x=1' }))).toMatchObject({
      kind: 'failed',
      reason: 'invalid_url',
    });
    expect(await provider.createPayment(input({ paymentNo: 'P-1' }))).toMatchObject({
      kind: 'failed',
      reason: 'invalid_payment_no',
    });
    expect(await provider.createPayment(input({ channel: 'h5' }))).toMatchObject({
      kind: 'failed',
      reason: 'unsupported_channel',
    });
    expect(provider).toMatchObject({
      method: 'alipay',
      channels: ['qr', 'page', 'wap', 'app', 'barcode', 'jsapi'],
      merchantId: creds.appId,
    });
  });
});
