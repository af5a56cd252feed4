import { AlipaySdk } from 'alipay-sdk';
import { createPublicKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beijingDateTime } from '../../../src/lib/clock.ts';
import { silentLogger } from '../../../src/lib/log.ts';
import type { AlipayCredentials } from '../../../src/config.ts';
import { createAlipayProvider } from '../../../src/providers/alipay/provider.ts';
import { startAlipayHarness, type AlipayHarness } from '../../support/providers/alipay.harness.ts';

let h: AlipayHarness;
// Issuing the certificates generates four RSA-2048 key pairs: slow on a loaded machine.
beforeAll(async () => {
  h = await startAlipayHarness({ keyMode: 'certificate' });
}, 180_000);
afterAll(() => h.close());

const provider = (creds: AlipayCredentials) =>
  createAlipayProvider(creds, { clock: h.clock, log: silentLogger, timeoutMs: 15_000 });
const certs = () => h.sandbox.credentials.certificates!;

describe('Alipay in certificate mode (公钥证书) through the sandbox', () => {
  it('is issued three certificates and no public key', () => {
    expect(h.sandbox.credentials.alipayPublicKey).toBeUndefined();
    expect(certs().appCert).toContain('BEGIN CERTIFICATE');
    expect(certs().alipayRootCert.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
  });

  it('takes a payment and a refund end to end, every answer and notification verified with the Alipay certificate', async () => {
    const payment = await h.paid('qr', 1000);
    expect(h.received.at(-1)!.parsed).toMatchObject({ kind: 'payment', paymentNo: payment.paymentNo, amount: 1000 });
    expect(await h.provider.queryPayment(payment)).toMatchObject({ kind: 'succeeded', amount: 1000 });
    const r = h.refundInput(payment, 400);
    expect(await h.provider.refund(r)).toEqual({ kind: 'succeeded', providerRefundNo: null });
    await h.notifier.flush();
    expect(h.received.at(-1)!.parsed).toMatchObject({ kind: 'refund', refundNo: r.refundNo, state: 'succeeded' });
    expect(await h.provider.queryRefund(r)).toEqual({ kind: 'succeeded', providerRefundNo: null });
  });

  it('names the signing certificate in every answer, which alipay-sdk set up from the same files verifies', async () => {
    const sdk = new AlipaySdk({
      appId: h.sandbox.credentials.appId,
      privateKey: h.sandbox.credentials.privateKey,
      keyType: 'PKCS8',
      appCertContent: certs().appCert,
      alipayPublicCertContent: certs().alipayPublicCert,
      alipayRootCertContent: certs().alipayRootCert,
      gateway: h.sandbox.credentials.gateway,
    });
    const params = new URLSearchParams(
      sdk.sdkExecute('alipay.trade.query', {
        bizContent: { out_trade_no: 'NONE_1' },
        timestamp: beijingDateTime(h.clock.now()),
      }),
    );
    expect(params.get('app_cert_sn')).toBe(sdk.config.appCertSn);
    expect(params.get('alipay_root_cert_sn')).toMatch(/^[0-9a-f]{32}_[0-9a-f]{32}$/);
    const raw = await (await fetch(h.sandbox.credentials.gateway, { method: 'POST', body: params })).text();
    const doc = JSON.parse(raw) as { alipay_cert_sn: string; sign: string };
    expect(doc.alipay_cert_sn).toBe(sdk.config.alipayCertSn);
    expect(raw).toMatch(/\},"alipay_cert_sn":"[0-9a-f]{32}","sign":"/);
    expect(() => sdk.checkResponseSign(raw, 'alipay_trade_query_response', doc.sign, 't')).not.toThrow();
  });

  it('is refused a wrong app certificate serial number as Alipay does, isv.app-cert-not-exist, as a final failure', async () => {
    const wrong = provider({
      ...h.sandbox.credentials,
      certificates: { ...certs(), appCert: certs().alipayPublicCert },
    });
    const payment = h.attempt('qr');
    expect(await wrong.createPayment(payment)).toMatchObject({ kind: 'failed', reason: 'isv.app-cert-not-exist' });
    expect(await wrong.refund(h.refundInput(payment, 100))).toMatchObject({
      kind: 'failed',
      reason: 'isv.app-cert-not-exist',
    });
  });

  it('is refused a root file other than Alipay’s, isv.invalid-alipay-root-cert-sn', async () => {
    const firstRootOnly = certs().alipayRootCert.slice(
      0,
      certs().alipayRootCert.indexOf('-----END CERTIFICATE-----') + 26,
    );
    const wrong = provider({ ...h.sandbox.credentials, certificates: { ...certs(), alipayRootCert: firstRootOnly } });
    expect(await wrong.createPayment(h.attempt('qr'))).toMatchObject({
      kind: 'failed',
      reason: 'isv.invalid-alipay-root-cert-sn',
    });
  });

  it('is refused a request in public-key mode by an app set to certificate mode, isv.missing-app-cert-sn', async () => {
    const { certificates: _c, ...rest } = h.sandbox.credentials;
    const alipayPublicKey = createPublicKey(certs().alipayPublicCert).export({ type: 'spki', format: 'pem' }) as string;
    const keyMode = provider({ ...rest, alipayPublicKey });
    expect(await keyMode.createPayment(h.attempt('qr'))).toMatchObject({
      kind: 'failed',
      reason: 'isv.missing-app-cert-sn',
    });
  });

  it('rejects a notification signed over other content as bad_signature', async () => {
    await h.control('notify-faults', { badSignature: 1 });
    await h.paid('qr', 300);
    expect(h.received.at(-1)!.parsed).toMatchObject({ kind: 'rejected', reason: 'bad_signature' });
  });
});
