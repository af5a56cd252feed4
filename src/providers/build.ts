import type { AlipayCredentials, Config, PaymentMethod, UnionpayCredentials, WechatpayCredentials } from '../config.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import { createAlipayProvider } from './alipay/index.ts';
import type { Providers } from './registry.ts';
import { createUnionpayProvider } from './unionpay/index.ts';
import { createWechatpayProvider } from './wechatpay/index.ts';

export interface ProviderCredentials {
  alipay?: AlipayCredentials | undefined;
  wechatpay?: WechatpayCredentials | undefined;
  unionpay?: UnionpayCredentials | undefined;
}

/** One adapter per enabled method, each with the credentials it was given (real or a sandbox's). */
export function buildProviders(
  methods: readonly PaymentMethod[],
  creds: ProviderCredentials,
  deps: { clock: Clock; log: Logger; timeoutMs?: number },
): Providers {
  const providers: Providers = {};
  for (const method of methods) {
    const log = deps.log.child({ provider: method });
    const d = { ...deps, log };
    if (method === 'alipay' && creds.alipay) providers.alipay = createAlipayProvider(creds.alipay, d);
    if (method === 'wechatpay' && creds.wechatpay) providers.wechatpay = createWechatpayProvider(creds.wechatpay, d);
    if (method === 'unionpay' && creds.unionpay) providers.unionpay = createUnionpayProvider(creds.unionpay, d);
  }
  return providers;
}

/** The methods whose credentials are unset: the built-in sandbox serves them, where sandboxes are on. */
export function sandboxedMethods(config: Config): PaymentMethod[] {
  if (!config.sandbox) return [];
  return config.paymentMethods.filter((m) => !config[m]);
}
