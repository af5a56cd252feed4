import { AlipaySdk } from 'alipay-sdk';
import type { AlipayCredentials } from '../../config.ts';
import { beijingDateTime, type Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/log.ts';
import { gatewayVerdict } from './status.ts';
import { keyTypeOf } from './wire.ts';

export type GatewayAnswer =
  | { kind: 'ok'; body: Record<string, unknown> }
  /** A definitive refusal: 40001/40002/40004/40006 with its sub_code. */
  | { kind: 'refused'; code: string; subCode: string; message: string }
  /** 20000, a timeout, a non-200, an unsigned or badly signed answer: nothing is known. */
  | { kind: 'unknown'; reason: string; message: string };

export interface AlipayClientDeps {
  clock: Clock;
  log: Logger;
  timeoutMs?: number;
}

/**
 * alipay-sdk with the two settings that matter: responses are ALWAYS verified (§1.4, `validateSign` is off
 * by default), and `timestamp` is passed explicitly in Beijing time: the SDK formats the process's local time
 * (§1.3), and its `sign()` lets an explicit `timestamp` parameter override that.
 */
export function createAlipayClient(creds: AlipayCredentials, deps: AlipayClientDeps) {
  const sdk = new AlipaySdk({
    appId: creds.appId,
    privateKey: creds.privateKey,
    keyType: keyTypeOf(creds.privateKey),
    alipayPublicKey: creds.alipayPublicKey,
    gateway: creds.gateway,
    timeout: deps.timeoutMs ?? 10_000,
    camelcase: false,
  });
  const timestamp = () => beijingDateTime(deps.clock.now());

  async function call(
    method: string,
    biz: Record<string, unknown>,
    common: { notifyUrl?: string } = {},
  ): Promise<GatewayAnswer> {
    let body: Record<string, unknown>;
    try {
      body = (await sdk.exec(
        method,
        { bizContent: biz, timestamp: timestamp(), ...common },
        { validateSign: true },
      )) as Record<string, unknown>;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const reason = /验签失败|sign/i.test(message)
        ? 'bad_response_signature'
        : /status/i.test(message)
          ? 'http_error'
          : 'transport_error';
      deps.log.warn({ method, reason }, 'alipay call without a trustworthy answer');
      return { kind: 'unknown', reason, message: message.slice(0, 300) };
    }
    const code = typeof body.code === 'string' ? body.code : undefined;
    const subCode = typeof body.sub_code === 'string' ? body.sub_code : undefined;
    const message = [body.msg, body.sub_msg].filter((v) => typeof v === 'string').join(': ');
    switch (gatewayVerdict(code, subCode)) {
      case 'ok':
        return { kind: 'ok', body };
      case 'refused':
        return { kind: 'refused', code: code!, subCode: subCode ?? code!, message };
      case 'unknown':
        return { kind: 'unknown', reason: subCode ?? `code_${code ?? 'missing'}`, message };
    }
  }

  /** page.pay / wap.pay: a signed GET URL to the gateway; nothing is sent until the browser follows it. */
  function pageUrl(
    method: string,
    biz: Record<string, unknown>,
    urls: { notifyUrl: string; returnUrl: string },
  ): string {
    return sdk.pageExecute(method, 'GET', { bizContent: biz, ...urls, timestamp: timestamp() });
  }

  /** §1.6: checkNotifySignV2 (no second decoding; sign and sign_type left out) with the Alipay public key. */
  function verifyNotify(fields: Record<string, string>): boolean {
    try {
      return sdk.checkNotifySignV2(fields);
    } catch {
      return false;
    }
  }

  return { call, pageUrl, verifyNotify };
}

export type AlipayClient = ReturnType<typeof createAlipayClient>;
