import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { silentLogger } from '../src/lib/log.ts';
import { loadSandboxFactory } from '../src/sandbox-loader.ts';
import { startMall, type Mall } from '../src/server.ts';
import { freshDb } from './support/db.ts';

describe('with MALLPAY_SANDBOX=0', () => {
  let mall: Mall;
  beforeAll(async () => {
    const keys = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
    const app = keys();
    const alipay = keys();
    const config = loadConfig({
      PORT: '0',
      MALLPAY_SANDBOX: '0',
      MALLPAY_DEMO: '1',
      PAYMENT_METHODS: 'alipay',
      ALIPAY_APP_ID: '2021000000000001',
      ALIPAY_PRIVATE_KEY: app.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      ALIPAY_PUBLIC_KEY: alipay.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      // Nothing listens there: the test never reaches a provider.
      ALIPAY_GATEWAY: 'http://127.0.0.1:9/gateway.do',
    });
    // As main.ts does it: the factory is only loaded when sandboxes are on.
    mall = await startMall(config, {
      db: await freshDb(),
      log: silentLogger,
      background: false,
      sandbox: await loadSandboxFactory(config),
    });
  });
  afterAll(() => mall.close());

  it('serves no sandbox route at all', async () => {
    for (const path of [
      '/sandbox/alipay/gateway.do',
      '/sandbox/alipay/_control/pay/P1',
      '/sandbox/wechatpay/v3/certificates',
      '/sandbox/_control/chaos',
    ]) {
      const res = await fetch(mall.url + path);
      expect(res.status, path).toBe(404);
    }
    expect(mall.sandboxes).toBeUndefined();
  });

  it('offers the method with the credentials it was given', async () => {
    const methods = (await (await fetch(`${mall.url}/api/payment-methods`)).json()) as { method: string }[];
    expect(methods.map((m) => m.method)).toEqual(['alipay']);
  });
});
