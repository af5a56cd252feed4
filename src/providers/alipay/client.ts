import { AlipaySdk } from 'alipay-sdk';
import type { AlipayCredentials } from '../../config.ts';
import { beijingDateTime, type Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/log.ts';
import { readGatewayAnswer, type GatewayAnswer } from './gateway-answer.ts';
import { keyTypeOf } from './wire.ts';

export type { GatewayAnswer } from './gateway-answer.ts';

export interface AlipayClientDeps {
  clock: Clock;
  log: Logger;
  timeoutMs?: number;
}

/**
 * Common parameters that travel in the URL query, biz_content in the form body: alipay-sdk's own split
 * (`formatUrl` in alipay-sdk@4.14.0), which the gateway merges before it verifies (docs/protocols/alipay.md#transport).
 */
const URL_PARAMS = new Set([
  'app_id',
  'method',
  'format',
  'charset',
  'sign_type',
  'sign',
  'timestamp',
  'version',
  'notify_url',
  'return_url',
  'app_auth_token',
  'app_cert_sn',
  'alipay_root_cert_sn',
]);

/**
 * alipay-sdk signs (public-key or certificate mode: with `appCertContent` … it adds `app_cert_sn` and
 * `alipay_root_cert_sn` and takes Alipay's key from its certificate) and verifies; the HTTP exchange is ours, because
 * `exec()` throws away the raw answer when it cannot verify it, and Alipay's gateway refusals come back unsigned
 * (docs/protocols/alipay.md#responses): only the raw text tells a refusal from a forgery. `timestamp` is passed in
 * Beijing time: the SDK formats the process's local time (docs/protocols/alipay.md#times).
 */
export function createAlipayClient(creds: AlipayCredentials, deps: AlipayClientDeps) {
  const certs = creds.certificates;
  const sdk = new AlipaySdk({
    appId: creds.appId,
    privateKey: creds.privateKey,
    keyType: keyTypeOf(creds.privateKey),
    ...(certs
      ? {
          appCertContent: certs.appCert,
          alipayPublicCertContent: certs.alipayPublicCert,
          alipayRootCertContent: certs.alipayRootCert,
        }
      : { alipayPublicKey: creds.alipayPublicKey }),
    gateway: creds.gateway,
    timeout: deps.timeoutMs ?? 10_000,
    camelcase: false,
  });
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const timestamp = () => beijingDateTime(deps.clock.now());
  const check = {
    verify(raw: string, responseKey: string, sign: string): boolean {
      try {
        sdk.checkResponseSign(raw, responseKey, sign, '');
        return true;
      } catch {
        return false;
      }
    },
    alipayCertSn: sdk.config.alipayCertSn,
  };

  async function call(
    method: string,
    biz: Record<string, unknown>,
    common: { notifyUrl?: string } = {},
  ): Promise<GatewayAnswer> {
    const signed = new URLSearchParams(sdk.sdkExecute(method, { bizContent: biz, timestamp: timestamp(), ...common }));
    const url = new URL(creds.gateway);
    const form = new URLSearchParams();
    for (const [k, v] of signed) (URL_PARAMS.has(k) ? url.searchParams : form).set(k, v);
    let raw: string;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded;charset=utf-8',
          accept: 'application/json',
        },
        body: form,
        signal: AbortSignal.timeout(timeoutMs),
      });
      raw = await res.text();
      if (res.status !== 200) return unknown(method, 'http_error', `HTTP ${res.status}`);
    } catch (err) {
      return unknown(method, 'transport_error', String(err));
    }
    const answer = readGatewayAnswer(raw, method, check);
    if (answer.kind === 'unknown')
      deps.log.warn({ method, reason: answer.reason }, 'alipay call without a trustworthy answer');
    if (answer.kind === 'refused' && !answer.signed)
      deps.log.error({ method, code: answer.code, subCode: answer.subCode }, 'alipay gateway refused the request');
    return answer;
  }

  function unknown(method: string, reason: string, message: string): GatewayAnswer {
    deps.log.warn({ method, reason }, 'alipay call without a trustworthy answer');
    return { kind: 'unknown', reason, message: message.slice(0, 300) };
  }

  /** page.pay / wap.pay: a signed GET URL to the gateway; nothing is sent until the browser follows it. */
  function pageUrl(
    method: string,
    biz: Record<string, unknown>,
    urls: { notifyUrl: string; returnUrl: string },
  ): string {
    return sdk.pageExecute(method, 'GET', { bizContent: biz, ...urls, timestamp: timestamp() });
  }

  /**
   * alipay.trade.app.pay: the signed order string the Alipay app SDK takes as is (alipay-sdk `sdkExecute`); nothing
   * is sent to the gateway, the buyer's Alipay app sends it.
   */
  function orderString(method: string, biz: Record<string, unknown>, common: { notifyUrl: string }): string {
    return sdk.sdkExecute(method, { bizContent: biz, timestamp: timestamp(), ...common });
  }

  /**
   * docs/protocols/alipay.md#notification-verification: checkNotifySignV2 (no second decoding; sign and sign_type left
   * out) with Alipay's public key, which in certificate mode alipay-sdk took from the Alipay public certificate.
   */
  function verifyNotify(fields: Record<string, string>): boolean {
    try {
      return sdk.checkNotifySignV2(fields);
    } catch {
      return false;
    }
  }

  return { call, pageUrl, orderString, verifyNotify };
}

export type AlipayClient = ReturnType<typeof createAlipayClient>;
