import { generateKeyPairSync } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../src/lib/log.ts';
import { createAlipayProvider } from '../../../src/providers/alipay/provider.ts';
import { testApp } from '../../support/app.ts';
import { startAlipayHarness, type AlipayHarness } from '../../support/providers/alipay.harness.ts';

let h: AlipayHarness;
beforeAll(async () => {
  h = await startAlipayHarness();
});
afterAll(() => h.close());
afterEach(() => vi.restoreAllMocks());

const MODES = ['unsigned_error_response', 'unsigned_method_response', 'signed_when_app_known'] as const;
const setMode = (gatewayErrors: string) => h.control('modes', { gatewayErrors });
/** An adapter configured with an app_id Alipay does not know: the gateway refuses every call, unsigned. */
const wrongApp = () =>
  createAlipayProvider(
    { ...h.sandbox.credentials, appId: '2021000000000001' },
    { clock: h.clock, log: silentLogger, timeoutMs: 15_000 },
  );

describe('Alipay gateway refusals', () => {
  it.each(MODES)(
    'reads a wrong app_id as a refusal with its code, however the gateway shapes it (%s)',
    async (mode) => {
      await setMode(mode);
      try {
        const provider = wrongApp();
        const payment = h.attempt('qr');
        expect(await provider.createPayment(payment)).toMatchObject({ kind: 'failed', reason: 'isv.invalid-app-id' });
        expect(await provider.refund(h.refundInput(payment, 100))).toMatchObject({
          kind: 'failed',
          reason: 'isv.invalid-app-id',
        });
      } finally {
        await setMode('unsigned_error_response');
      }
    },
  );

  it('reads a request signed with the wrong key as a refusal naming isv.invalid-signature', async () => {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const provider = createAlipayProvider(
      { ...h.sandbox.credentials, privateKey },
      { clock: h.clock, log: silentLogger, timeoutMs: 15_000 },
    );
    expect(await provider.createPayment(h.attempt('qr'))).toMatchObject({
      kind: 'failed',
      reason: 'isv.invalid-signature',
    });
  });

  it('fails the attempt at once and never polls or retries a payment the gateway refused', async () => {
    const t = await testApp({ providers: { alipay: wrongApp() }, clock: h.clock });
    try {
      const order = await t.call('POST', '/api/orders', {
        as: 'customer',
        body: { items: [{ sku: 'FAN-SILK', quantity: 1 }] },
      });
      const calls = vi.spyOn(globalThis, 'fetch');
      const res = await t.call('POST', `/api/orders/${order.body.orderNo}/payments`, {
        as: 'customer',
        body: { method: 'alipay', channel: 'qr' },
      });
      expect(res.status).toBe(502);
      expect(res.body.error).toMatchObject({ code: 'provider_error', details: { reason: 'isv.invalid-app-id' } });
      expect(calls).toHaveBeenCalledTimes(1);
      const [payment] = (await t.call('GET', `/api/orders/${order.body.orderNo}`, { as: 'customer' })).body.payments;
      expect(payment.status).toBe('failed');
      // The poll job that was queued with the attempt finds it failed and asks nobody.
      for (let i = 0; i < 5; i++) {
        h.clock.advance(60_000);
        await t.worker.drain();
      }
      expect(calls).toHaveBeenCalledTimes(1);
    } finally {
      await t.close();
    }
  }, 120_000); // a second app on its own database, and five job rounds
});
