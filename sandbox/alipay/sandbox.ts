import type { AlipayCredentials } from '../../src/config.ts';
import { mountControls, newSandboxApp, type Sandbox, type SandboxDeps } from '../shared/sandbox.ts';
import { createRecordStore } from '../shared/store.ts';
import { createAlipayApis } from './api.ts';
import { createAlipayBill } from './bill.ts';
import { createBuyerActions } from './buyer.ts';
import { mountCashier } from './cashier.ts';
import { certSerials, loadAlipayCerts, publicKeyOf } from './certs.ts';
import { mountAlipayControls } from './controls.ts';
import { mountGateway } from './gateway.ts';
import { createAppPay } from './app-pay.ts';
import { mountAlipayClientControls } from './client-controls.ts';
import { createFaceToFaceApis } from './face-to-face.ts';
import { createInAppApis } from './in-app.ts';
import { loadAlipayKeys, type AlipaySandboxKeys } from './keys.ts';
import { DEFAULT_MODES, type AlipayModes } from './modes.ts';
import { alipayNotifyProtocol } from './notify.ts';
import type { SandboxTrade } from './trades.ts';

export interface AlipaySandboxOptions {
  timeScale?: number;
  /** `certificate`: the merchant app is in certificate mode (公钥证书), as set in Alipay's console. */
  keyMode?: 'public_key' | 'certificate';
}

/**
 * Alipay's side of OpenAPI v2 (docs/protocols/alipay.md), mounted at `${publicUrl}/sandbox/alipay`: gateway.do, the
 * hosted cashier, signed notifications, scripted controls (docs/sandbox/alipay.md).
 */
export async function createAlipaySandbox(
  deps: SandboxDeps,
  opts: AlipaySandboxOptions = {},
): Promise<Sandbox<AlipayCredentials> & { modes: AlipayModes }> {
  const base = `${deps.publicUrl}/sandbox/alipay`;
  const keys = await sandboxKeys(deps, opts.keyMode ?? 'public_key');
  const store = createRecordStore(deps.db, deps.clock, 'alipay');
  const { app, faults } = newSandboxApp();
  deps.notifier.register('alipay', alipayNotifyProtocol(keys.alipayPrivateKey), faults);

  const modes: AlipayModes = { ...DEFAULT_MODES };
  const notifyFaults = { badSignature: 0 };
  const apis = createAlipayApis({
    store,
    notifier: deps.notifier,
    clock: deps.clock,
    keys,
    modes,
    baseUrl: base,
    timeScale: opts.timeScale ?? 1,
    notifyFaults,
  });
  const buyer = createBuyerActions(apis, deps.clock, keys);
  const bill = createAlipayBill({
    store,
    clock: deps.clock,
    appId: keys.appId,
    sellerId: keys.sellerId,
    secret: keys.alipayPrivateKey,
    baseUrl: base,
  });
  const faceToFace = createFaceToFaceApis({ apis, store, clock: deps.clock, sellerId: keys.sellerId });
  const inApp = createInAppApis({ apis, store, clock: deps.clock });
  mountGateway(app, { apis, faults, clock: deps.clock, keys, modes, base, bill, faceToFace, inApp });
  bill.mount(app);
  mountCashier(app, base, store, buyer, keys);
  // Alipay's validated controls come first: Hono answers with the first route that matches.
  mountAlipayControls(app, { buyer, store, modes, notifyFaults });
  mountAlipayClientControls(app, { payOrderString: createAppPay({ apis, keys, clock: deps.clock }), inApp });
  mountControls(app, faults, deps.notifier, {
    pay: (no) => buyer.pay(no),
    fail: (no) => buyer.fail(no),
    trade: (no) => store.get<SandboxTrade>('trade', no),
  });

  return {
    provider: 'alipay',
    app,
    faults,
    modes,
    credentials: {
      appId: keys.appId,
      privateKey: keys.appPrivateKey,
      ...(keys.certMode ? { certificates: await issuedCertificates(deps) } : { alipayPublicKey: keys.alipayPublicKey }),
      gateway: `${base}/gateway.do`,
      sellerId: keys.sellerId,
    },
  };
}

/** In certificate mode the app's and Alipay's key pairs are those of the certificates the sandbox issued. */
async function sandboxKeys(deps: SandboxDeps, mode: 'public_key' | 'certificate'): Promise<AlipaySandboxKeys> {
  const keys = await loadAlipayKeys(deps.db);
  if (mode === 'public_key') return keys;
  const certs = await loadAlipayCerts(deps.db, deps.clock.now());
  return {
    ...keys,
    alipayPrivateKey: certs.alipayPrivateKey,
    alipayPublicKey: publicKeyOf(certs.alipayCert),
    appPrivateKey: certs.appPrivateKey,
    appPublicKey: publicKeyOf(certs.appCert),
    certMode: certSerials(certs),
  };
}

async function issuedCertificates(deps: SandboxDeps) {
  const certs = await loadAlipayCerts(deps.db, deps.clock.now());
  return { appCert: certs.appCert, alipayPublicCert: certs.alipayCert, alipayRootCert: certs.rootCert };
}
